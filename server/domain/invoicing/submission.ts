/**
 * Sending billing records to the tax agency: an outbox (`invoice_submissions`) drained in chain
 * order through an adapter. Cita ships no real adapter: the AEAT's service is SOAP over mutual
 * TLS with the business's qualified certificate, out of scope (docs/invoices.md). By default
 * records are written and stay `pending`; the QR then points to `ValidarQRNoVerifactu` and no
 * VERI*FACTU legend is printed.
 *
 * `httpAgencyAdapter` speaks a small JSON protocol to a fake agency in the tests (accept, reject
 * with a code, time out, ask to slow down), so the queue's behaviour is exercised for real:
 * - accepted: the record is done; the invoice's QR and PDF switch to `ValidarQR` + legend;
 * - rejected (with the agency's code): kept, marked `rejected` for the staff to correct;
 * - asked to wait (HTTP 429/503 with Retry-After): retried after that, the batch stops there;
 * - timeout or network error: retried with exponential backoff (30 s doubling, at most 1 h),
 *   the batch stops there. Resending is safe: the record and its hash never change.
 */
import type { Database } from '../../db/index.js';
import { claimSubmissions, settleSubmission, type SubmissionJob } from '../../db/stores/invoices.js';

export type AgencyAnswer =
  | { status: 'accepted' }
  | { status: 'rejected'; code: string; message: string }
  | { status: 'wait'; seconds: number };

export interface AgencyAdapter {
  /** Throws on a timeout or a network error. */
  submit(job: SubmissionJob): Promise<AgencyAnswer>;
}

export const BACKOFF_BASE_SECONDS = 30;
export const BACKOFF_MAX_SECONDS = 3600;

export interface DrainResult {
  accepted: number;
  rejected: number;
  deferred: number;
}

/** Send every due record, oldest first; stops at the first deferral (flow control). */
export async function drainSubmissions(
  db: Database,
  adapter: AgencyAdapter,
  now: () => Date,
  batch = 50,
): Promise<DrainResult> {
  const result: DrainResult = { accepted: 0, rejected: 0, deferred: 0 };
  const start = now();
  const jobs = await db.transaction((tx) =>
    claimSubmissions(tx, start, new Date(start.getTime() + 120_000), batch),
  );
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i]!;
    let answer: AgencyAnswer;
    try {
      answer = await adapter.submit(job);
    } catch (err) {
      const seconds = Math.min(BACKOFF_BASE_SECONDS * 2 ** (job.attempts - 1), BACKOFF_MAX_SECONDS);
      await deferAll(db, jobs.slice(i), now(), seconds, (err as Error).message || 'network error');
      result.deferred += jobs.length - i;
      return result;
    }
    if (answer.status === 'accepted') {
      await settleSubmission(db, job, { status: 'accepted', at: now() });
      result.accepted++;
    } else if (answer.status === 'rejected') {
      await settleSubmission(db, job, { status: 'rejected', code: answer.code, message: answer.message });
      result.rejected++;
    } else {
      await deferAll(
        db,
        jobs.slice(i),
        now(),
        answer.seconds,
        `the agency asked to wait ${answer.seconds} s`,
      );
      result.deferred += jobs.length - i;
      return result;
    }
  }
  return result;
}

async function deferAll(db: Database, jobs: SubmissionJob[], at: Date, seconds: number, message: string) {
  const retryAt = new Date(at.getTime() + seconds * 1000);
  for (const j of jobs) await settleSubmission(db, j, { status: 'pending', retryAt, message });
}

/**
 * A JSON-over-HTTP adapter (simulated agency; not the AEAT's protocol): POSTs
 * `{ nif, seq, kind, fields, hash }`; answers `{ estado: "Correcto" }`,
 * `{ estado: "Incorrecto", codigo, descripcion }`, or 429/503 with `Retry-After`.
 */
export function httpAgencyAdapter(url: string, opts: { timeoutMs?: number } = {}): AgencyAdapter {
  return {
    async submit(job) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          nif: job.issuer_nif,
          seq: job.seq,
          kind: job.kind,
          fields: job.fields,
          hash: job.hash,
        }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      if (res.status === 429 || res.status === 503) {
        const seconds = Number(res.headers.get('retry-after'));
        return {
          status: 'wait',
          seconds: Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 86_400) : 60,
        };
      }
      if (!res.ok) throw new Error(`agency answered HTTP ${res.status}`);
      const body = (await res.json()) as { estado?: string; codigo?: unknown; descripcion?: unknown };
      if (body.estado === 'Correcto' || body.estado === 'AceptadoConErrores') return { status: 'accepted' };
      if (body.estado === 'Incorrecto')
        return {
          status: 'rejected',
          code: String(body.codigo ?? ''),
          message: String(body.descripcion ?? ''),
        };
      throw new Error('agency answer not understood');
    },
  };
}
