/**
 * The lockout across server instances (needs CITA_TEST_PG_URL): two `cita-server` processes on
 * one PostgreSQL share the failed sign-in counters, so failures spread over both lock the
 * account on both, with one lock email; the right password is then refused on either.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignedIn, accountRoutes } from '../../src/api/account-contract.js';
import { problemType } from '../../src/api/contract.js';
import { openDatabase, type Database } from '../../server/db/index.js';
import { insertAccount } from '../../server/db/stores/accounts.js';
import { hashPassword } from '../../server/domain/passwords.js';
import { PG_URL, rawConfig } from './helpers.js';
import { startServer, type ServerProcess } from './process.js';

const PASSWORD = 'una frase larga de verdad 7';

describe.skipIf(!PG_URL)('lockout across two server processes on one PostgreSQL', () => {
  let dir: string;
  let admin: Database;
  let db: Database;
  let schema: string;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cita-acct-procs-'));
    schema = `cita_test_${randomBytes(6).toString('hex')}`;
    admin = await openDatabase({ url: PG_URL!, poolSize: 1 });
    await admin.exec('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await admin.exec(`CREATE SCHEMA ${schema}`);
    const url = new URL(PG_URL!);
    url.searchParams.set('options', `-c search_path=${schema},public`);
    writeFileSync(join(dir, 'config.json'), JSON.stringify(rawConfig()));
    const args = ['--config', join(dir, 'config.json'), '--data-dir', dir];
    [a, b] = await Promise.all([
      startServer(args, { DATABASE_URL: url.toString() }),
      startServer(args, { DATABASE_URL: url.toString() }),
    ]);
    db = await openDatabase({ url: PG_URL!, schema, poolSize: 2 });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.close();
    await admin?.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function customer(): Promise<string> {
    const email = `lock-${randomBytes(4).toString('hex')}@example.com`;
    const now = new Date();
    await insertAccount(db, {
      id: randomUUID(),
      business: 'test-salon',
      kind: 'customer',
      role: null,
      email,
      name: null,
      locale: 'es-ES',
      email_verified_at: now,
      password_hash: await hashPassword(PASSWORD),
      password_changed_at: now,
      created_at: now,
    });
    return email;
  }

  const signIn = (server: ServerProcess, email: string, password: string) =>
    fetch(server.url + accountRoutes.sessions('test-salon'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.url },
      body: JSON.stringify({ email, password }),
    });

  const lockEmails = async (email: string) =>
    (
      await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM outbox WHERE kind = 'lock_notice' AND recipient = $1",
        [email],
      )
    )[0]!.n;

  it('failures on either instance count together and lock the account on both', async () => {
    const email = await customer();
    expect((await signIn(a, email, PASSWORD)).status).toBe(201);
    for (const server of [a, b, a, b, a])
      expect((await signIn(server, email, `${PASSWORD}x`)).status).toBe(401);
    for (const server of [a, b]) {
      const res = await signIn(server, email, PASSWORD);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { type: string }).type).toBe(problemType('invalid_credentials'));
    }
    expect(await lockEmails(email)).toBe(1);
  });

  it('a burst of guesses sent to both at once locks once, with one email', async () => {
    const email = await customer();
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) => signIn(i % 2 ? a : b, email, `${PASSWORD} ${i}`)),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(16).fill(401));
    expect(await lockEmails(email)).toBe(1);
    expect((await signIn(b, email, PASSWORD)).status).toBe(401);
    const fresh = await customer();
    const ok = await signIn(b, fresh, PASSWORD);
    expect(ok.status).toBe(201);
    SignedIn.parse(await ok.json());
  });
});
