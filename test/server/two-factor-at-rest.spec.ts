/**
 * Two-factor secrets at rest: after an authenticator app is set up and the database
 * checkpointed, neither its secret (as the base32 an app takes, nor as raw bytes) nor a recovery
 * code is anywhere in the raw files of the PGlite data directory; `cita-server keys rotate`
 * re-wraps the sealed secret under a new key, and codes still work with the new keyring alone.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SignedIn, accountRoutes } from '../../src/api/account-contract.js';
import {
  FactorAdded,
  TotpEnrolment,
  accountBase,
  twoFactorRoutes,
} from '../../src/api/two-factor-contract.js';
import { createKeyring } from '../../server/crypto/keyring.js';
import { rotateKeys } from '../../server/crypto/rotate.js';
import { openDatabase } from '../../server/db/index.js';
import { migrate } from '../../server/db/migrations.js';
import { listOutbox } from '../../server/db/stores/outbox.js';
import { secretFromBase32, totpCode, totpStep } from '../../server/domain/two-factor/totp.js';
import { normaliseRecoveryCode } from '../../server/domain/two-factor/recovery.js';
import { Clock, makeApp, testConfig } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'cita-2fa-at-rest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function filesUnder(d: string): string[] {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}
const filesHolding = (bytes: Buffer) => filesUnder(dir).filter((f) => readFileSync(f).includes(bytes));

const SLUG = 'test-salon';
const tf = twoFactorRoutes(accountBase(SLUG));
const GOOD = 'una frase larga de verdad 7';

describe('two-factor secrets at rest', () => {
  it(
    'leaves no secret or recovery code on disk; keys rotate re-wraps the secret',
    { timeout: 180_000 },
    async () => {
      const oldKey = { id: 'old', key: randomBytes(32) };
      const db = await openDatabase({ dataDir: dir });
      await migrate(db);
      const clock = new Clock();
      const config = testConfig((raw) => {
        raw.businesses[0]!.security = { twoFactor: 'optional' };
      });
      const t = makeApp(db, { clock, config, keyring: createKeyring([oldKey]) });
      const post = (path: string, body?: unknown, token?: string) =>
        t.request(path, {
          method: 'POST',
          headers: {
            Origin: 'http://localhost',
            ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
      const email = 'rest@example.com';
      await post(accountRoutes.signupStart(SLUG), { email });
      const code = /\b(\d{6})\b/.exec((await listOutbox(db)).pop()!.body!)![1]!;
      const token = SignedIn.parse(
        await (await post(accountRoutes.signupComplete(SLUG), { email, code, password: GOOD })).json(),
      ).session.token;
      const enrol = TotpEnrolment.parse(await (await post(tf.totpEnrol, undefined, token)).json());
      const secret = secretFromBase32(enrol.secret);
      const now = () => totpStep(clock.now().getTime());
      const added = FactorAdded.parse(
        await (
          await post(tf.totpConfirm, { enrolmentId: enrol.enrolmentId, code: totpCode(secret, now()) }, token)
        ).json(),
      );
      await db.query('CHECKPOINT');
      await db.close();

      expect(filesHolding(Buffer.from(enrol.secret))).toEqual([]);
      expect(filesHolding(Buffer.from(secret))).toEqual([]);
      for (const c of added.recoveryCodes!) {
        expect(filesHolding(Buffer.from(c))).toEqual([]);
        expect(filesHolding(Buffer.from(normaliseRecoveryCode(c)!))).toEqual([]);
      }
      // The search does see into these files.
      expect(filesHolding(Buffer.from(email)).length).toBeGreaterThan(0);

      // Rotation: a new key first, the old one kept for the run, then the new one alone.
      const newKey = { id: 'new', key: randomBytes(32) };
      const db2 = await openDatabase({ dataDir: dir });
      const report = await rotateKeys(db2, createKeyring([newKey, oldKey]));
      expect(report).toContainEqual({ column: 'two_factor_totp.secret', rewrapped: 1, already: 0 });
      const [row] = await db2.query<{ secret: string }>('SELECT secret FROM two_factor_totp');
      expect(row!.secret.startsWith('k1.new.')).toBe(true);
      const t2 = makeApp(db2, { clock, config, keyring: createKeyring([newKey]) });
      clock.set(new Date(clock.now().getTime() + 30_000).toISOString());
      const pending = SignedIn.parse(
        await (
          await t2.request(accountRoutes.sessions(SLUG), {
            method: 'POST',
            headers: { Origin: 'http://localhost', 'Content-Type': 'application/json' },
            body: JSON.stringify({ email, password: GOOD }),
          })
        ).json(),
      );
      const passed = await t2.request(tf.challengeTotp, {
        method: 'POST',
        headers: {
          Origin: 'http://localhost',
          'Content-Type': 'application/json',
          Authorization: `Bearer ${pending.session.token}`,
        },
        body: JSON.stringify({ code: totpCode(secret, now()) }),
      });
      expect(passed.status, await passed.clone().text()).toBe(200);
      await db2.close();
    },
  );
});
