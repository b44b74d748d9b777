/**
 * The audit log's hash chain (issue 11): `verifyAuditChain` / `cita-server audit verify` finds
 * the first edited or removed row (and a removed tail), and writers on two "instances" (two
 * pools on one PostgreSQL) appending at once never fork the chain.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/index.js';
import { listAudit, verifyAuditChain } from '../../server/db/stores/audit.js';
import { audit } from '../../server/domain/audit.js';
import { BACKENDS, openTestDb, PG_URL, type TestDb } from './helpers.js';
import { runCli } from './process.js';

const meta = { clientAddress: '192.0.2.1', userAgent: 'test' };
const AT = new Date('2026-03-02T08:00:00Z');

/** Runs `fn` with the append-only trigger off: what someone with the database's keys could do. */
async function tamper(db: Database, sql: string, params: unknown[] = []) {
  await db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
    await tx.query(sql, params);
    await tx.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
  });
}

describe.each(BACKENDS)('audit hash chain (%s)', { timeout: 120_000 }, (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(backend);
    for (let i = 0; i < 6; i++)
      await audit(t.db, new Date(AT.getTime() + i * 1000), 'test-salon', 'authn_login_success', null, meta, {
        n: i,
      });
    await audit(t.db, AT, 'test-clinic', 'authn_login_fail', null, meta);
  });
  afterAll(() => t.drop());

  it('an untouched log verifies, each business its own chain', async () => {
    const r = await verifyAuditChain(t.db);
    expect(r.ok).toBe(true);
    expect(r.lines).toContain('Audit log intact.');
    expect(r.lines.find((l) => l.startsWith('test-salon:'))).toMatch(/OK, 6 rows, head [a-f0-9]{64}/);
    expect(r.lines.find((l) => l.startsWith('test-clinic:'))).toMatch(/OK, 1 rows/);
  });

  it('an edited row is named; putting it back makes the log verify again', async () => {
    const rows = await listAudit(t.db, 'test-salon');
    const third = rows[2]!;
    await tamper(t.db, `UPDATE audit_log SET user_agent = 'someone else' WHERE id = $1`, [third.id]);
    let r = await verifyAuditChain(t.db);
    expect(r.ok).toBe(false);
    expect(r.lines).toContain(
      `test-salon: BROKEN: row id ${third.id} (#3, authn_login_success at ${third.at.toISOString()}) was edited (its content does not match its hash)`,
    );
    expect(r.lines.find((l) => l.startsWith('test-clinic:'))).toMatch(/OK/);
    // Recomputing the edited row's own hash does not help: the next row no longer follows.
    await tamper(t.db, `UPDATE audit_log SET detail = '{"n":99}', hash = $2 WHERE id = $1`, [
      third.id,
      'f'.repeat(64),
    ]);
    r = await verifyAuditChain(t.db);
    expect(r.ok).toBe(false);
    expect(r.lines.join('\n')).toMatch(new RegExp(`row id ${third.id} \\(#3`));
    await tamper(
      t.db,
      `UPDATE audit_log SET user_agent = 'test', detail = '{"n":2}', hash = $2 WHERE id = $1`,
      [
        third.id,
        (
          await t.db.query<{ h: string }>('SELECT prev_hash AS h FROM audit_log WHERE id = $1', [rows[3]!.id])
        )[0]!.h,
      ],
    );
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('a removed row in the middle, and removed newest rows, are reported', async () => {
    const rows = await listAudit(t.db, 'test-salon');
    await tamper(t.db, 'DELETE FROM audit_log WHERE id = $1', [rows[1]!.id]);
    let r = await verifyAuditChain(t.db);
    expect(r.ok).toBe(false);
    expect(r.lines.join('\n')).toContain(`1 row(s) removed before row id ${rows[2]!.id} (#3`);

    const clinic = await listAudit(t.db, 'test-clinic');
    await tamper(t.db, 'DELETE FROM audit_log WHERE id = $1', [clinic[0]!.id]);
    r = await verifyAuditChain(t.db);
    expect(r.lines).toContain(
      'test-clinic: BROKEN: the last 1 row(s) were removed (the chain head is at #1, the log ends at #0)',
    );
  });
});

describe.runIf(PG_URL)('two instances appending at once (postgres)', { timeout: 120_000 }, () => {
  it('the chain stays one line: seq 1..n, each row after the one before', async () => {
    const t = await openTestDb('postgres');
    const other = await openDatabase({ url: PG_URL!, schema: t.schema!, poolSize: 5 });
    try {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? other : t.db).transaction(async (tx) => {
            await audit(tx, new Date(), 'test-salon', 'authn_login_success', null, meta, { i });
            // Work after the append in the same transaction: others wait for the head.
            await tx.query('SELECT pg_sleep(0.005)');
          }),
        ),
      );
      const r = await verifyAuditChain(t.db);
      expect(r.lines[0]).toMatch(/^test-salon: OK, 40 rows/);
      const seqs = (await listAudit(t.db, 'test-salon')).map((row) => row.seq).sort((a, b) => a! - b!);
      expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    } finally {
      await other.close();
      await t.drop();
    }
  });
});

describe('cita-server audit verify (PGlite)', { timeout: 240_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cita-audit-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exit 0 for an intact log; exit 1 naming the edited row', async () => {
    const config = join(dir, 'config.json');
    writeFileSync(config, readFileSync('demo/config.json'));
    const data = join(dir, 'data');
    const add = await runCli([
      'users',
      'add',
      '--config',
      config,
      '--data-dir',
      data,
      '--business',
      'salon-rosa',
      '--email',
      'ana@salon.example',
    ]);
    expect(add.code, add.stderr).toBe(0);
    const ok = await runCli(['audit', 'verify', '--data-dir', data]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/salon-rosa: OK, 2 rows, head [a-f0-9]{64}\nAudit log intact\./);

    const db = await openDatabase({ dataDir: join(data, 'pglite') });
    const [first] = await listAudit(db, 'salon-rosa');
    await tamper(db, `UPDATE audit_log SET client_address = '203.0.113.9' WHERE id = $1`, [first!.id]);
    await db.close();
    const bad = await runCli(['audit', 'verify', '--data-dir', data]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`salon-rosa: BROKEN: row id ${first!.id} (#1, user_created at`);
    expect(bad.stdout).toContain('Audit log TAMPERED');
  });
});
