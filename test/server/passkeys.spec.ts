/**
 * Passkeys over HTTP, in process, with a software authenticator (test/server/soft-authenticator.ts)
 * so every field of a WebAuthn answer can be made wrong: registration (the embedding origin checked
 * against the business's allowed origins), sign-in with a passkey alone, the second step of a
 * password sign-in, and each bad answer refused with its own problem, nothing stored, the attempt
 * counted: another challenge, a spent one, another origin or top origin, another RP ID, no user
 * verification, another account, a counter gone backwards (a cloned authenticator), a removed
 * passkey, an unknown one.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SignedIn, accountRoutes } from '../../src/api/account-contract.js';
import {
  ChallengePassed,
  FactorAdded,
  PasskeyCreationOptions,
  PasskeyRequestOptions,
  TwoFactorStatus,
  accountBase,
  twoFactorRoutes,
} from '../../src/api/two-factor-contract.js';
import { listAudit } from '../../server/db/stores/audit.js';
import { listOutbox } from '../../server/db/stores/outbox.js';
import {
  BACKENDS,
  ORIGIN,
  expectProblem,
  makeApp,
  openTestDb,
  testConfig,
  type TestApp,
  type TestDb,
} from './helpers.js';
import { SoftAuthenticator, type CeremonyOptions } from './soft-authenticator.js';

const SLUG = 'test-salon';
const OWN = 'http://localhost'; // the origin app.request() addresses: the WebAuthn origin
const RP = 'localhost';
const GOOD = 'una frase larga de verdad 7';
const tf = twoFactorRoutes(accountBase(SLUG));

describe.each(BACKENDS)('passkeys on %s', (backend) => {
  let tdb: TestDb;
  let t: TestApp;
  let seq = 0;

  beforeAll(async () => {
    tdb = await openTestDb(backend);
  });
  afterAll(async () => {
    await tdb?.drop();
  });
  beforeEach(() => {
    t = makeApp(tdb.db, {
      config: testConfig((raw) => {
        // Nine failures before a lock: enough to try every bad answer on one account.
        raw.businesses[0]!.security = { twoFactor: 'optional', lockout: { threshold: 9 } };
      }),
    });
  });

  const post = (path: string, body?: unknown, token?: string) =>
    t.request(path, {
      method: 'POST',
      headers: {
        Origin: OWN,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const status = async (token: string) =>
    TwoFactorStatus.parse(
      await (
        await t.request(tf.status, { headers: { Origin: OWN, Authorization: `Bearer ${token}` } })
      ).json(),
    );
  const events = async (id: string) =>
    (await listAudit(tdb.db, SLUG)).filter((e) => e.account_id === id).map((e) => e.event);

  async function signUp() {
    const email = `pk${++seq}.${Date.now().toString(36)}@example.com`;
    await post(accountRoutes.signupStart(SLUG), { email });
    const mail = (await listOutbox(tdb.db)).filter((m) => m.recipient === email).pop()!;
    const code = /\b(\d{6})\b/.exec(mail.body!)![1]!;
    const res = await post(accountRoutes.signupComplete(SLUG), { email, code, password: GOOD });
    return { email, ...SignedIn.parse(await res.json()) };
  }

  const ceremony = (challenge: string, extra: Partial<CeremonyOptions> = {}): CeremonyOptions => ({
    challenge,
    origin: OWN,
    rpId: RP,
    ...extra,
  });

  /** A customer with a passkey registered in the frame as the business's site embeds it. */
  async function withPasskey() {
    const user = await signUp();
    const token = user.session.token;
    const options = PasskeyCreationOptions.parse(
      await (await post(tf.passkeyOptions, undefined, token)).json(),
    );
    const key = new SoftAuthenticator();
    const response = key.register(
      ceremony(options.challenge, { crossOrigin: true, topOrigin: ORIGIN }),
      options.user.id,
    );
    const res = await post(tf.passkeyAdd, { name: 'Phone', response }, token);
    expect(res.status, await res.clone().text()).toBe(200);
    return { ...user, token, key, added: FactorAdded.parse(await res.json()) };
  }

  const signInOptions = async () =>
    PasskeyRequestOptions.parse(await (await post(tf.passkeySignInOptions)).json());

  describe('registration', () => {
    it('asks for user verification and a discoverable credential; stores the passkey with its first factor’s codes', async () => {
      const user = await signUp();
      const options = PasskeyCreationOptions.parse(
        await (await post(tf.passkeyOptions, undefined, user.session.token)).json(),
      );
      expect(options.rp).toMatchObject({ id: RP, name: 'Salón de Prueba' });
      expect(options.authenticatorSelection).toMatchObject({
        residentKey: 'required',
        userVerification: 'required',
      });
      expect(options.attestation).toBe('none');
      // Not the email: the handle is the account's random id.
      expect(Buffer.from(options.user.id, 'base64url').toString('hex')).toBe(
        user.account.id.replaceAll('-', ''),
      );
      const { added, token, account } = await withPasskey();
      expect(added.recoveryCodes).toHaveLength(10);
      const s = await status(token);
      expect(s.methods).toEqual(['passkey', 'recovery']);
      expect(s.passkeys).toEqual([expect.objectContaining({ name: 'Phone', synced: false })]);
      expect(await events(account.id)).toContain('authn_mfa_passkey_added');
      void user;
    });

    it('refuses each bad registration with its own problem, stores nothing, counts the attempt', async () => {
      const user = await signUp();
      const token = user.session.token;
      const options = async () =>
        PasskeyCreationOptions.parse(await (await post(tf.passkeyOptions, undefined, token)).json());
      const add = async (extra: Partial<CeremonyOptions>, challenge?: string) => {
        const o = await options();
        const key = new SoftAuthenticator();
        return post(
          tf.passkeyAdd,
          { name: 'X', response: key.register(ceremony(challenge ?? o.challenge, extra), o.user.id) },
          token,
        );
      };
      await expectProblem(await add({ origin: 'https://evil.example' }), 'passkey_origin_mismatch', 400);
      // In a frame: the page embedding it must be one of the business's sites, and must be named.
      await expectProblem(
        await add({ crossOrigin: true, topOrigin: 'https://evil.example' }),
        'passkey_origin_mismatch',
      );
      await expectProblem(await add({ crossOrigin: true }), 'passkey_origin_mismatch');
      await expectProblem(await add({ crossOrigin: false, topOrigin: ORIGIN }), 'passkey_origin_mismatch');
      await expectProblem(await add({ rpId: 'evil.example' }), 'passkey_rp_mismatch', 400);
      await expectProblem(await add({ uv: false }), 'passkey_uv_required', 400);
      await expectProblem(await add({ type: 'webauthn.get' }), 'passkey_invalid', 400);
      await expectProblem(
        await add({}, 'bm90LWEtY2hhbGxlbmdlLXdlLWdhdmU'),
        'passkey_challenge_mismatch',
        400,
      );
      // Another session's challenge.
      const other = await signUp();
      const theirs = PasskeyCreationOptions.parse(
        await (await post(tf.passkeyOptions, undefined, other.session.token)).json(),
      );
      await expectProblem(await add({}, theirs.challenge), 'passkey_challenge_mismatch');
      expect((await status(token)).passkeys).toEqual([]);
      expect((await events(user.account.id)).filter((e) => e === 'authn_mfa_passkey_add_fail')).toHaveLength(
        9,
      );
      // The ninth failure locked the account: even a good answer waits now.
      const o = await options();
      const locked = await post(
        tf.passkeyAdd,
        { name: 'X', response: new SoftAuthenticator().register(ceremony(o.challenge), o.user.id) },
        token,
      );
      await expectProblem(locked, 'rate_limited', 429);
    });

    it('a challenge is spent by its first answer, and the same authenticator cannot register twice', async () => {
      const { token, key } = await withPasskey();
      const o = PasskeyCreationOptions.parse(await (await post(tf.passkeyOptions, undefined, token)).json());
      expect(o.excludeCredentials?.map((c) => c.id)).toEqual([key.id]);
      const again = key.register(ceremony(o.challenge), o.user.id);
      await expectProblem(
        await post(tf.passkeyAdd, { name: 'Again', response: again }, token),
        'passkey_exists',
        409,
      );
      await expectProblem(
        await post(tf.passkeyAdd, { name: 'Again', response: again }, token),
        'passkey_challenge_mismatch',
      );
    });
  });

  describe('signing in', () => {
    it('with the passkey alone: a full session; the counter moves forward; a clone is refused', async () => {
      const { key, account } = await withPasskey();
      const o = await signInOptions();
      expect(o).toMatchObject({ rpId: RP, userVerification: 'required', allowCredentials: [] });
      const res = await post(tf.passkeySignIn, {
        response: key.assert(ceremony(o.challenge, { crossOrigin: true, topOrigin: ORIGIN })),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      const signedIn = SignedIn.parse(await res.json());
      expect(signedIn.account.id).toBe(account.id);
      expect(signedIn.stage).toBeUndefined();
      // Safari sends no top origin from a frame: accepted (frame-ancestors limits who embeds it).
      expect(
        (
          await post(tf.passkeySignIn, {
            response: key.assert(ceremony((await signInOptions()).challenge, { crossOrigin: true })),
          })
        ).status,
      ).toBe(201);
      // A copy of the authenticator, behind on its counter.
      const cloned = key.assert(ceremony((await signInOptions()).challenge, { counter: 1 }));
      await expectProblem(
        await post(tf.passkeySignIn, { response: cloned }),
        'passkey_counter_regressed',
        400,
      );
      expect(await events(account.id)).toEqual(
        expect.arrayContaining(['authn_mfa_passkey_success', 'authn_mfa_passkey_fail']),
      );
    });

    it('refuses each bad assertion with its own problem', async () => {
      const { key } = await withPasskey();
      const assert = async (extra: Partial<CeremonyOptions>) =>
        post(tf.passkeySignIn, { response: key.assert(ceremony((await signInOptions()).challenge, extra)) });
      await expectProblem(await assert({ origin: 'https://evil.example' }), 'passkey_origin_mismatch');
      await expectProblem(
        await assert({ crossOrigin: true, topOrigin: 'https://evil.example' }),
        'passkey_origin_mismatch',
      );
      await expectProblem(await assert({ rpId: 'evil.example' }), 'passkey_rp_mismatch');
      await expectProblem(await assert({ uv: false }), 'passkey_uv_required');
      await expectProblem(
        await assert({ userHandle: Buffer.alloc(16, 7).toString('base64url') }),
        'passkey_user_mismatch',
      );
      await expectProblem(
        await post(tf.passkeySignIn, { response: key.assert(ceremony('bm90LWEtY2hhbGxlbmdlLXdlLWdhdmU')) }),
        'passkey_challenge_mismatch',
      );
      await expectProblem(
        await post(tf.passkeySignIn, {
          response: new SoftAuthenticator().assert(ceremony((await signInOptions()).challenge)),
        }),
        'passkey_unknown',
      );
    });

    it('as the second step after the password; another account’s passkey is refused; a removed one too', async () => {
      const mine = await withPasskey();
      const theirs = await withPasskey();
      const pending = SignedIn.parse(
        await (await post(accountRoutes.sessions(SLUG), { email: mine.email, password: GOOD })).json(),
      );
      expect(pending).toMatchObject({ stage: 'second_factor', methods: ['passkey', 'recovery'] });
      const p = pending.session.token;
      const options = async () =>
        PasskeyRequestOptions.parse(await (await post(tf.challengePasskeyOptions, undefined, p)).json());
      const o1 = await options();
      expect(o1.allowCredentials?.map((c) => c.id)).toEqual([mine.key.id]);
      await expectProblem(
        await post(tf.challengePasskey, { response: theirs.key.assert(ceremony(o1.challenge)) }, p),
        'passkey_user_mismatch',
      );
      // A sign-in challenge answered here (another purpose): refused.
      const signInChallenge = (await signInOptions()).challenge;
      await expectProblem(
        await post(tf.challengePasskey, { response: mine.key.assert(ceremony(signInChallenge)) }, p),
        'passkey_challenge_mismatch',
      );
      const ok = await post(
        tf.challengePasskey,
        { response: mine.key.assert(ceremony((await options()).challenge)) },
        p,
      );
      expect(ok.status, await ok.clone().text()).toBe(200);
      const full = ChallengePassed.parse(await ok.json()).session!.token;

      // Remove it (the password again); used again, it is refused as removed.
      const id = (await status(full)).passkeys![0]!.id;
      await expectProblem(
        await post(tf.passkeyRemove(id), { password: 'not the password at all!' }, full),
        'invalid_credentials',
      );
      expect((await post(tf.passkeyRemove(id), { password: GOOD }, full)).status).toBe(204);
      expect(
        (await listOutbox(tdb.db)).filter((m) => m.recipient === mine.email && m.kind === 'factor_removed'),
      ).toHaveLength(1);
      await expectProblem(
        await post(tf.passkeySignIn, {
          response: mine.key.assert(ceremony((await signInOptions()).challenge)),
        }),
        'factor_removed',
      );
    });
  });

  it('renames a passkey; ids of other accounts’ passkeys are not found', async () => {
    const mine = await withPasskey();
    const theirs = await withPasskey();
    const id = (await status(mine.token)).passkeys![0]!.id;
    expect((await post(tf.passkeyRename(id), { name: 'Work laptop' }, mine.token)).status).toBe(204);
    expect((await status(mine.token)).passkeys![0]!.name).toBe('Work laptop');
    await expectProblem(
      await post(tf.passkeyRename(id), { name: 'Mine now' }, theirs.token),
      'not_found',
      404,
    );
    await expectProblem(await post(tf.passkeyRemove(id), { password: GOOD }, theirs.token), 'not_found', 404);
  });
});
