/**
 * Sign-in figures (`npx tsx bench/run.ts accounts`), in process on PGlite, argon2id included
 * (m = 19 MiB, t = 2, p = 1): the latency of a successful sign-in (verify, counters, audit row,
 * new session), of a wrong password and of an unknown email (the dummy verification: these two
 * should match the first, which is the point), and one bare argon2 verification for scale.
 * Sequential requests, one at a time, so the figure is latency, not throughput.
 */
import { randomUUID } from 'node:crypto';
import { parseConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/index.ts';
import { migrate } from '../server/db/migrations.ts';
import { insertAccount } from '../server/db/stores/accounts.ts';
import { hashPassword, verifyPassword, warmPasswordHashing } from '../server/domain/passwords.ts';
import { createApp } from '../server/http/app.ts';
import { accountRoutes } from '../src/api/account-contract.ts';
import type { BenchRow } from './run.ts';

const RUNS = 15;
const PASSWORD = 'una frase larga de verdad 7';

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

export default async function accountsBench(): Promise<BenchRow[]> {
  const db = await openDatabase();
  await migrate(db);
  const config = parseConfig({
    businesses: [
      {
        slug: 'bench',
        name: 'Bench',
        timeZone: 'Europe/Madrid',
        locale: 'es-ES',
        currency: 'EUR',
        allowedOrigins: ['https://shop.example'],
        rules: { slotStepMinutes: 15, minNoticeMinutes: 0, maxAdvanceDays: 60 },
        staff: [{ id: 'a', name: 'A', weeklyHours: { mon: [['09:00', '17:00']] } }],
        services: [{ id: 's', name: 'S', durationMinutes: 30, staff: ['a'] }],
        // Never lock during the run: the figure is the cost of an attempt, not of a refusal.
        security: { lockout: { threshold: 100, perAddressThreshold: 10_000 } },
      },
    ],
  });
  const app = createApp({ config, db });
  const now = new Date();
  const email = 'bench@example.com';
  const hash = await hashPassword(PASSWORD);
  await insertAccount(db, {
    id: randomUUID(),
    business: 'bench',
    kind: 'customer',
    role: null,
    email,
    name: null,
    locale: null,
    email_verified_at: now,
    password_hash: hash,
    password_changed_at: now,
    created_at: now,
  });
  await warmPasswordHashing();

  const signIn = async (e: string, password: string, expect: number) => {
    const t0 = performance.now();
    const res = await app.request(accountRoutes.sessions('bench'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: e, password }),
    });
    const ms = performance.now() - t0;
    if (res.status !== expect) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
    return ms;
  };

  const ok: number[] = [];
  const wrong: number[] = [];
  const unknown: number[] = [];
  const bare: number[] = [];
  await signIn(email, PASSWORD, 201); // warm-up
  for (let i = 0; i < RUNS; i++) {
    ok.push(await signIn(email, PASSWORD, 201));
    wrong.push(await signIn(email, `${PASSWORD}x`, 401));
    unknown.push(await signIn(`nobody${i}@example.com`, PASSWORD, 401));
    const t0 = performance.now();
    await verifyPassword(hash, PASSWORD);
    bare.push(performance.now() - t0);
    // A success clears the failures, so the wrong-password runs never add up to a lock.
  }
  await db.close();
  return [
    {
      metric: 'sign-in, right password, p50',
      value: pct(ok, 0.5),
      unit: 'ms',
      note: `${RUNS} sequential, PGlite`,
    },
    { metric: 'sign-in, right password, max', value: Math.max(...ok), unit: 'ms' },
    { metric: 'sign-in, wrong password, p50', value: pct(wrong, 0.5), unit: 'ms' },
    {
      metric: 'sign-in, unknown email, p50',
      value: pct(unknown, 0.5),
      unit: 'ms',
      note: 'dummy argon2 verification',
    },
    {
      metric: 'argon2id verification alone, p50',
      value: pct(bare, 0.5),
      unit: 'ms',
      note: 'm=19 MiB, t=2, p=1',
    },
  ];
}
