/**
 * The submission queue against a fake tax agency on loopback (simulated: not the AEAT's SOAP
 * service): accepted records switch the invoice's QR to ValidarQR with the legend; a rejection
 * keeps the agency's code; a timeout and a "slow down" defer the rest of the batch (in chain
 * order) and are retried later; nothing is duplicated on our side.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Business } from '../../server/config.js';
import { ephemeralKeyring } from '../../server/crypto/keyring.js';
import { findInvoice, listSubmissions } from '../../server/db/stores/invoices.js';
import { invoiceView, issueForBooking, type InvoiceDeps } from '../../server/domain/invoicing/invoices.js';
import { drainSubmissions, httpAgencyAdapter } from '../../server/domain/invoicing/submission.js';
import { verifyChains } from '../../server/domain/invoicing/verify.js';
import { Clock, openTestDb, type TestDb } from './helpers.js';
import { booking, invoicingRaw } from './invoice-fixtures.js';

type Behaviour = 'accept' | 'reject' | 'timeout' | 'slow-down';

describe('submission queue with a fake agency', () => {
  let tdb: TestDb;
  let server: Server;
  let url: string;
  let business: Business;
  let deps: InvoiceDeps;
  const clock = new Clock('2026-03-05T10:00:00Z');
  /** What the fake agency does with each request, in order; then it accepts. */
  const script: Behaviour[] = [];
  const received: { seq: number; hash: string }[] = [];

  beforeAll(async () => {
    tdb = await openTestDb('pglite');
    business = parseConfig(invoicingRaw()).businesses.get('test-salon')!;
    deps = { db: tdb.db, now: clock.now, keyring: ephemeralKeyring() };
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const record = JSON.parse(body) as { seq: number; hash: string };
        const what = script.shift() ?? 'accept';
        received.push({ seq: record.seq, hash: record.hash });
        if (what === 'timeout') return; // never answers
        if (what === 'slow-down') {
          res.writeHead(429, { 'Retry-After': '120' }).end();
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify(
            what === 'accept'
              ? { estado: 'Correcto' }
              : { estado: 'Incorrecto', codigo: '1100', descripcion: 'Valor o tipo incorrecto del campo' },
          ),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/verifactu`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await tdb.drop();
  });

  const issue = async () => {
    const bookingId = await booking(tdb.db, business, `s${received.length}-${Math.random()}@example.com`);
    return issueForBooking(
      deps,
      business,
      { bookingId },
      { actor: null, baseUrl: 'https://b.example' },
      { clientAddress: 't' },
    );
  };
  const adapter = () => httpAgencyAdapter(url, { timeoutMs: 300 });

  it('accepts: the invoice QR points to ValidarQR and carries the legend', async () => {
    const inv = await issue();
    expect(inv.qr).toMatchObject({ verifactu: false });
    expect(inv.qr!.url).toContain('/ValidarQRNoVerifactu?');
    script.push('accept');
    expect(await drainSubmissions(tdb.db, adapter(), clock.now)).toEqual({
      accepted: 1,
      rejected: 0,
      deferred: 0,
    });
    const view = await invoiceView(deps, business, (await findInvoice(tdb.db, business.slug, inv.id))!);
    expect(view.qr).toEqual({
      url: inv.qr!.url.replace('ValidarQRNoVerifactu', 'ValidarQR'),
      verifactu: true,
    });
  });

  it('a timeout defers the rest in chain order; retried after the backoff; then accepted once each', async () => {
    const before = received.length;
    await issue();
    await issue();
    script.push('timeout');
    expect(await drainSubmissions(tdb.db, adapter(), clock.now)).toEqual({
      accepted: 0,
      rejected: 0,
      deferred: 2,
    });
    let subs = await listSubmissions(tdb.db);
    expect(subs.slice(-2).map((s) => [s.status, s.attempts])).toEqual([
      ['pending', 1],
      ['pending', 1],
    ]);
    expect(subs.at(-2)!.last_error).toMatch(/timeout|abort/i);
    // Not due yet: nothing is sent.
    expect(await drainSubmissions(tdb.db, adapter(), clock.now)).toEqual({
      accepted: 0,
      rejected: 0,
      deferred: 0,
    });
    clock.set('2026-03-05T10:00:31Z');
    expect(await drainSubmissions(tdb.db, adapter(), clock.now)).toEqual({
      accepted: 2,
      rejected: 0,
      deferred: 0,
    });
    subs = await listSubmissions(tdb.db);
    expect(subs.every((s) => s.status === 'accepted')).toBe(true);
    // The agency saw the first record twice (the timed-out try, then the retry): same hash.
    const sent = received.slice(before);
    expect(sent.map((r) => r.seq)).toEqual([sent[0]!.seq, sent[0]!.seq, sent[0]!.seq + 1]);
    expect(sent[0]!.hash).toBe(sent[1]!.hash);
  });

  it('"slow down" waits as long as asked; a rejection keeps the agency’s code', async () => {
    await issue();
    await issue();
    script.push('slow-down');
    expect(await drainSubmissions(tdb.db, adapter(), clock.now)).toEqual({
      accepted: 0,
      rejected: 0,
      deferred: 2,
    });
    clock.set('2026-03-05T10:02:00Z'); // 89 s later: not yet
    expect((await drainSubmissions(tdb.db, adapter(), clock.now)).accepted).toBe(0);
    clock.set('2026-03-05T10:02:32Z');
    script.push('reject', 'accept');
    expect(await drainSubmissions(tdb.db, adapter(), clock.now)).toEqual({
      accepted: 1,
      rejected: 1,
      deferred: 0,
    });
    const rejected = (await listSubmissions(tdb.db)).filter((s) => s.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ error_code: '1100' });
    // Our chain is untouched by all of it.
    const [report] = await verifyChains(tdb.db);
    expect(report).toMatchObject({ records: 5 });
    expect(report!.broken).toBeUndefined();
  });
});
