/**
 * Erased data is gone from the disk (issue 14 item 2): after a confirmation is sent and the
 * database checkpointed, neither the manage token, nor the link, nor the email's body is anywhere
 * in the raw files of the PGlite data directory (heap, WAL, everything).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/index.js';
import { migrate } from '../../server/db/migrations.js';
import { listOutbox } from '../../server/db/stores/outbox.js';
import { OutboxWorker, memoryMailer } from '../../server/domain/outbox.js';
import { bookingRequest, makeApp, postBooking } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'cita-erasure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function filesUnder(d: string): string[] {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Files of the data directory holding `needle` (as UTF-8 bytes). */
function filesHolding(needle: string): string[] {
  const bytes = Buffer.from(needle, 'utf8');
  return filesUnder(dir).filter((f) => readFileSync(f).includes(bytes));
}

describe('sent emails leave nothing readable on disk', () => {
  it(
    'no manage token, link or body in the data directory after sending and a checkpoint',
    { timeout: 180_000 },
    async () => {
      const db = await openDatabase({ dataDir: dir });
      await migrate(db);
      const t = makeApp(db);
      const res = await postBooking(
        t,
        bookingRequest(t.business, { customer: { name: 'Zoe Erasmus', email: 'zoe@example.com' } }),
      );
      expect(res.status).toBe(201);
      const { manageToken } = (await res.json()) as { manageToken: string };
      const [queued] = await listOutbox(db);
      const body = queued!.body!;
      expect(body).toContain(manageToken);
      // Even while queued, the body is stored sealed: the stored column is not the text.
      const [raw] = await db.query<{ body: string }>('SELECT body FROM outbox');
      expect(raw!.body.startsWith('e1.')).toBe(true);

      const [{ key } = { key: '' }] = await db.query<{ key: string }>('SELECT key FROM erasure_keys');
      expect(key).toHaveLength(43);

      const mailer = memoryMailer();
      expect(await new OutboxWorker(db, mailer).drain()).toBe(1);
      expect(mailer.sent[0]!.text).toBe(body);
      await db.query('CHECKPOINT');
      await db.close();

      const bodyLines = body.split('\n').filter((l) => l.length > 25);
      expect(bodyLines.length).toBeGreaterThan(2);
      expect(filesHolding(manageToken)).toEqual([]);
      // Nor the body's key: what the WAL and old row versions hold is ciphertext nobody can open.
      expect(filesHolding(key)).toEqual([]);
      for (const line of bodyLines) expect(filesHolding(line), line).toEqual([]);
      // The same search does find what is meant to stay (the check can see into these files).
      expect(filesHolding('zoe@example.com').length).toBeGreaterThan(0);
    },
  );
});
