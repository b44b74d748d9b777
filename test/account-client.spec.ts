/**
 * The frame's account client (src/frame/account-client.ts) with a recording `fetch`: where the
 * session token lives and goes, the activity header, what ends a session, and that nothing is
 * sent or kept when an input or an answer breaks the contract.
 */
import { describe, expect, it } from 'vitest';
import { AccountClient, type SessionStore } from '../src/frame/account-client.js';
import { ContractError, NetworkError, ProblemError, ValidationError } from '../src/api/errors.js';
import { problemType } from '../src/api/contract.js';

const TOKEN = 'A'.repeat(43);
const later = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const account = {
  id: '3f2b8c1e-4d5a-4b6c-9d7e-8f9a0b1c2d3e',
  business: 'salon-rosa',
  kind: 'customer',
  email: 'ana@example.com',
  name: 'Ana',
  createdAt: '2026-02-20T09:00:00Z',
};
const signedIn = (expiresIn = 3600) => ({
  session: { token: TOKEN, expiresAt: later(expiresIn), idleTimeoutSeconds: 1800 },
  account,
});

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

function setup(answers: (Response | Error)[], storage: SessionStore | null = memoryStore()) {
  const sent: Sent[] = [];
  let ended = 0;
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({
      method: init?.method ?? 'GET',
      url: String(input),
      headers: Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>)),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  };
  const client = new AccountClient({
    endpoint: 'http://127.0.0.1:5199',
    business: 'salon-rosa',
    fetch,
    storage,
    retries: 0,
    onSessionEnded: () => ended++,
  });
  return { client, sent, storage, ended: () => ended };
}

function memoryStore(initial: Record<string, string> = {}): SessionStore & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const empty = (status: number) => new Response(null, { status });
const problem = (code: string, status: number) =>
  new Response(JSON.stringify({ type: problemType(code as never), title: code, status }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });

describe('AccountClient', () => {
  it('keeps the token after sign-in, sends it only as Authorization, never in a URL or on `session`', async () => {
    const store = memoryStore();
    const { client, sent } = setup(
      [json(signedIn(), 201), json({ account, session: { expiresAt: later(60), idleTimeoutSeconds: 1800 } })],
      store,
    );
    await client.signIn({ email: 'ana@example.com', password: 'pw' }, { userAction: true });
    expect(sent[0]!.headers.Authorization).toBeUndefined();
    expect(sent[0]!.headers['Cita-User-Activity']).toBe('1');
    expect(sent[0]!.url).toBe('http://127.0.0.1:5199/v1/businesses/salon-rosa/account/sessions');
    expect(client.signedIn).toBe(true);
    expect(JSON.stringify(client.session)).not.toContain(TOKEN);
    expect(JSON.parse(store.data.get('cita.session.salon-rosa')!).token).toBe(TOKEN);

    await client.me();
    expect(sent[1]!.headers.Authorization).toBe(`Bearer ${TOKEN}`);
    // A background read does not claim a user action (the idle timer must not move).
    expect(sent[1]!.headers['Cita-User-Activity']).toBeUndefined();
    for (const s of sent) expect(s.url).not.toContain(TOKEN);
  });

  it('restores a stored session after a reload; drops an expired or malformed one', async () => {
    const key = 'cita.session.salon-rosa';
    expect(setup([], memoryStore({ [key]: JSON.stringify(signedIn().session) })).client.signedIn).toBe(true);
    const expired = memoryStore({ [key]: JSON.stringify(signedIn(-10).session) });
    expect(setup([], expired).client.signedIn).toBe(false);
    expect(expired.data.has(key)).toBe(false);
    const junk = memoryStore({ [key]: '{"token":"x"' });
    expect(setup([], junk).client.signedIn).toBe(false);
    expect(junk.data.has(key)).toBe(false);
  });

  it('an `unauthorized` answer ends the session once; an authenticated call without one sends nothing', async () => {
    const store = memoryStore({ 'cita.session.salon-rosa': JSON.stringify(signedIn().session) });
    const { client, sent, ended } = setup([problem('unauthorized', 401)], store);
    await expect(client.bookings()).rejects.toMatchObject({ code: 'unauthorized' });
    expect(client.signedIn).toBe(false);
    expect(store.data.size).toBe(0);
    expect(ended()).toBe(1);
    await expect(client.bookings()).rejects.toBeInstanceOf(ProblemError);
    expect(sent).toHaveLength(1);
    expect(ended()).toBe(1);
  });

  it('signing out forgets the token even when the server cannot be reached', async () => {
    const store = memoryStore({ 'cita.session.salon-rosa': JSON.stringify(signedIn().session) });
    const { client, sent } = setup([new TypeError('offline')], store);
    await expect(client.signOut()).rejects.toBeInstanceOf(NetworkError);
    expect(sent[0]!.method).toBe('DELETE');
    expect(client.signedIn).toBe(false);
    expect(store.data.size).toBe(0);
  });

  it('reads 202 and 204 answers as done, whatever their body', async () => {
    const { client } = setup([empty(202), empty(204), new Response('ignored', { status: 202 })]);
    await expect(client.signUpStart({ email: 'ana@example.com' })).resolves.toBeUndefined();
    await expect(
      client.resetComplete({ token: TOKEN, newPassword: 'x'.repeat(20) }),
    ).resolves.toBeUndefined();
    await expect(client.resetStart({ email: 'ana@example.com' })).resolves.toBeUndefined();
  });

  it('keeps nothing when the sign-in answer breaks the contract, and sends nothing for a bad input', async () => {
    const store = memoryStore();
    const { client, sent } = setup([json({ session: { token: 'short' }, account }, 201)], store);
    await expect(client.signIn({ email: 'ana@example.com', password: 'pw' })).rejects.toBeInstanceOf(
      ContractError,
    );
    expect(store.data.size).toBe(0);
    expect(client.signedIn).toBe(false);
    await expect(client.signIn({ email: 'not an email', password: 'pw' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      client.signUpComplete({ email: 'ana@example.com', code: '12345', password: 'pw' }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(client.cancelAccountBooking('not-an-id')).rejects.toBeInstanceOf(ValidationError);
    expect(sent).toHaveLength(1);
  });

  it('never retries a sign-in or a cancellation, and works without storage', async () => {
    const { client, sent } = setup([problem('internal_error', 503)], null);
    const retrying = new AccountClient({
      endpoint: 'http://127.0.0.1:5199',
      business: 'salon-rosa',
      storage: null,
    });
    expect(retrying.retries).toBe(2);
    await expect(client.signIn({ email: 'ana@example.com', password: 'pw' })).rejects.toMatchObject({
      status: 503,
    });
    expect(sent).toHaveLength(1);
  });

  it('learns the idle deadline from the server: a new session, `me`, a user action; forgets it with the session', async () => {
    const seen: (number | undefined)[] = [];
    const sent: string[] = [];
    const answers = [
      json(signedIn(), 201),
      json({
        account,
        session: { expiresAt: later(3600), idleTimeoutSeconds: 1800, idleRemainingSeconds: 90 },
      }),
      json({ upcoming: [], past: [] }),
      empty(204),
    ];
    const client = new AccountClient({
      endpoint: 'http://127.0.0.1:5199',
      business: 'salon-rosa',
      storage: null,
      retries: 0,
      fetch: async (input) => {
        sent.push(String(input));
        return answers.shift()!;
      },
      onIdleDeadline: (d) => seen.push(d),
    });
    const t0 = Date.now();
    await client.signIn({ email: 'ana@example.com', password: 'pw' });
    expect(client.idle.deadline! - t0).toBeGreaterThanOrEqual(1_800_000 - 50);
    expect(client.idle.deadline! - Date.now()).toBeLessThanOrEqual(1_800_000);
    await client.me();
    expect(client.idle.deadline! - Date.now()).toBeLessThanOrEqual(90_000);
    expect(client.idle.deadline! - t0).toBeGreaterThanOrEqual(90_000 - 50);
    // A background read moves nothing; a user action restarts the whole timeout.
    const before = client.idle.deadline;
    await client.bookings({ userAction: true });
    expect(client.idle.deadline!).toBeGreaterThan(before! + 1_000_000);
    await client.signOut();
    expect(client.idle.deadline).toBeUndefined();
    expect(seen.at(-1)).toBeUndefined();
    expect(seen).toHaveLength(4);
  });

  it('a wrong password typed again keeps the session; erasing forgets it', async () => {
    const store = memoryStore({ 'cita.session.salon-rosa': JSON.stringify(signedIn().session) });
    const erased = {
      bookings: 2,
      upcoming: 1,
      account: true,
      kept: ['invoices', 'anonymised_bookings', 'audit_log'],
    };
    const { client, sent, ended } = setup(
      [problem('invalid_credentials', 401), empty(204), json(erased)],
      store,
    );
    await expect(client.reauthenticate({ password: 'wrong' })).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(client.signedIn).toBe(true);
    await client.reauthenticate({ password: 'right' });
    expect(sent[1]!.url).toBe(
      'http://127.0.0.1:5199/v1/businesses/salon-rosa/account/sessions/current/reauthenticate',
    );
    expect(sent[1]!.headers['Cita-User-Activity']).toBe('1');
    await expect(client.erase()).resolves.toMatchObject({ upcoming: 1 });
    expect(sent[2]!.body).toEqual({ confirm: true });
    expect(client.signedIn).toBe(false);
    expect(store.data.size).toBe(0);
    expect(ended()).toBe(0);
  });
});
