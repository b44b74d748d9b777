/**
 * Email delivery from the outbox table. A booking writes its email in the same transaction as
 * the booking; this worker sends it afterwards (SMTP through nodemailer when configured,
 * otherwise appended to a local log file), retrying with back-off. Several instances can run
 * workers on one database: rows are claimed with FOR UPDATE SKIP LOCKED and a lease.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Transporter } from 'nodemailer';
import type { SmtpSettings } from '../config.js';
import type { Database } from '../db/index.js';
import { reclaimErasedKeys } from '../db/erasure.js';
import { claimOutbox, markOutboxFailed, markOutboxSent, markOutboxUnsendable } from '../db/stores/outbox.js';

export interface Email {
  to: string;
  subject: string;
  text: string;
  /** An iCalendar invitation (text/calendar; its METHOD line says REQUEST, CANCEL or PUBLISH). */
  calendar?: { method: string; content: string };
}

/** The METHOD of an iCalendar text (REQUEST when it says none). */
export function calendarMethod(content: string): string {
  return /^METHOD:([A-Z-]+)\r?$/m.exec(content)?.[1] ?? 'REQUEST';
}

export interface Mailer {
  readonly description: string;
  send(email: Email): Promise<void>;
  close?(): void;
}

export function smtpMailer(s: SmtpSettings): Mailer {
  const password = s.passwordEnv ? process.env[s.passwordEnv] : s.password;
  // nodemailer loads with the first email, not with every server start.
  let transport: Promise<Transporter> | undefined;
  const connect = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        host: s.host,
        port: s.port,
        secure: s.secure,
        requireTLS: !s.secure,
        ...(s.user ? { auth: { user: s.user, pass: password ?? '' } } : {}),
      }),
    ));
  return {
    description: `SMTP ${s.host}:${s.port}`,
    async send(e) {
      await (
        await connect()
      ).sendMail({
        from: s.from,
        to: e.to,
        subject: e.subject,
        text: e.text,
        // A text/calendar alternative (calendars show Accept/Add) and an invite.ics attachment.
        ...(e.calendar
          ? { icalEvent: { method: e.calendar.method, filename: 'invite.ics', content: e.calendar.content } }
          : {}),
      });
    },
    close: () => void transport?.then((t) => t.close()),
  };
}

/** Development stand-in for SMTP: each email appended to a file (it holds manage links). */
export function fileMailer(path: string): Mailer {
  // The folder is made once, on the first email (retried if that fails).
  let ready: Promise<unknown> | undefined;
  return {
    description: `log file ${path}`,
    async send(e) {
      ready ??= mkdir(dirname(path), { recursive: true, mode: 0o700 }).catch((err: unknown) => {
        ready = undefined;
        throw err;
      });
      await ready;
      const calendar = e.calendar
        ? `\n--- invite.ics (text/calendar; method=${e.calendar.method})\n${e.calendar.content.replace(/\r\n/g, '\n')}`
        : '';
      const entry = `=== ${new Date().toISOString()}\nTo: ${e.to}\nSubject: ${e.subject}\n\n${e.text}\n${calendar}`;
      await appendFile(path, entry, { encoding: 'utf8', mode: 0o600 });
    },
  };
}

/** Keeps emails in memory (tests). */
export function memoryMailer(): Mailer & { sent: Email[] } {
  const sent: Email[] = [];
  return {
    description: 'memory',
    sent,
    async send(e) {
      sent.push(e);
    },
  };
}

const MAX_ATTEMPTS = 10;
const LEASE_SECONDS = 120;

export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;

  constructor(
    private readonly db: Database,
    private readonly mailer: Mailer,
    private readonly now: () => Date = () => new Date(),
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Send what is due now, soon (coalesces calls). */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    void this.drain().catch((err: unknown) => this.log(`outbox: ${(err as Error).message}`));
  }

  /** Send every due message; resolves with the number sent. */
  async drain(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let sent = 0;
      do {
        this.again = false;
        for (;;) {
          const batch = await claimOutbox(this.db, this.now(), 20, LEASE_SECONDS);
          if (batch.length === 0) break;
          // Marked sent together after the batch: one commit for up to 20 emails instead of one
          // each (issue 15). A crash in between sends those again after the lease, as a crash
          // between sending and marking one email always could: delivery is at least once.
          const done: number[] = [];
          try {
            for (const m of batch) {
              if (m.body === null) {
                // Its key lived in an UNLOGGED table and a crash emptied it (server/db/erasure.ts).
                await markOutboxUnsendable(this.db, m.id, 'body key lost in a crash before sending');
                this.log(`outbox: message ${m.id} (${m.kind}) cannot be sent: its key was lost in a crash`);
                continue;
              }
              try {
                await this.mailer.send({
                  to: m.recipient,
                  subject: m.subject,
                  text: m.body,
                  ...(m.calendar
                    ? { calendar: { method: calendarMethod(m.calendar), content: m.calendar } }
                    : {}),
                });
                done.push(m.id);
                sent++;
              } catch (err) {
                const retryIn =
                  m.attempts >= MAX_ATTEMPTS
                    ? 100 * 365 * 86_400_000
                    : Math.min(3_600_000, 30_000 * 2 ** (m.attempts - 1));
                // The message is about the transport; it never contains the email's body.
                await markOutboxFailed(
                  this.db,
                  m.id,
                  (err as Error).message ?? 'send failed',
                  new Date(this.now().getTime() + retryIn),
                );
                this.log(
                  `outbox: message ${m.id} not sent (attempt ${m.attempts}): ${(err as Error).message}`,
                );
              }
            }
          } finally {
            await markOutboxSent(this.db, done, this.now());
          }
        }
      } while (this.again);
      // Sent bodies' keys are destroyed; reclaim their space so no copy stays in the file.
      if (sent > 0) await reclaimErasedKeys(this.db);
      return sent;
    })();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  start(intervalMs = 15_000): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => 0);
  }
}
