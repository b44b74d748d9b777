/**
 * Shared fixtures for the server specs: a database per spec file (PGlite in memory, or a fresh
 * schema on the PostgreSQL at CITA_TEST_PG_URL), a test configuration, a settable clock and an
 * in-process client for the Hono app.
 */
import { randomBytes } from 'node:crypto';
import { parseConfig, type Business, type ServerConfig } from '../../server/config.js';
import { openDatabase, type Database } from '../../server/db/index.js';
import { migrate } from '../../server/db/migrations.js';
import { createApp, type AppOptions } from '../../server/http/app.js';
import {
  problemType,
  type Consent,
  type CreateBookingRequest,
  type ProblemCode,
} from '../../src/api/contract.js';

export type Backend = 'pglite' | 'postgres';

export const PG_URL = process.env.CITA_TEST_PG_URL;

/** PGlite always; PostgreSQL too when CITA_TEST_PG_URL is set (CI sets it). */
export const BACKENDS: Backend[] = PG_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDb {
  db: Database;
  /** PostgreSQL: the schema this file uses (also given to child processes). */
  schema?: string;
  /** A URL that selects the same schema (for child processes). */
  url?: string;
  drop(): Promise<void>;
}

/** A migrated, empty database for one spec file. */
export async function openTestDb(backend: Backend, poolSize?: number): Promise<TestDb> {
  if (backend === 'pglite') {
    const db = await openDatabase();
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  if (!PG_URL) throw new Error('CITA_TEST_PG_URL is not set');
  const schema = `cita_test_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ url: PG_URL, poolSize: 1 });
  // The extension is database-wide; create it outside the test schema so dropping the schema keeps it.
  await admin.exec('CREATE EXTENSION IF NOT EXISTS btree_gist');
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const db = await openDatabase({ url: PG_URL, schema, ...(poolSize ? { poolSize } : {}) });
  await migrate(db);
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema},public`);
  return {
    db,
    schema,
    url: url.toString(),
    async drop() {
      await db.close();
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

/* ------------------------------------------------------------------------------------------------
 * Configuration
 * --------------------------------------------------------------------------------------------- */

export const ORIGIN = 'https://shop.example';
export const OTHER_ORIGIN = 'https://evil.example';

const week = (hours: [string, string][]) => ({ mon: hours, tue: hours, wed: hours, thu: hours, fri: hours });

/** A raw configuration object (what a config file holds). */
export function rawConfig(): Record<string, unknown> {
  return {
    rateLimits: {
      windowSeconds: 60,
      availability: { perIp: 100_000, perBusiness: 100_000 },
      bookings: { perIp: 100_000, perBusiness: 100_000 },
      manage: { perIp: 100_000 },
      account: { perIp: 100_000 },
    },
    businesses: [
      {
        slug: 'test-salon',
        name: 'Salón de Prueba',
        timeZone: 'Europe/Madrid',
        locale: 'es-ES',
        currency: 'EUR',
        allowedOrigins: [ORIGIN, 'http://localhost:5174'],
        manageUrl: 'https://shop.example/reservas#cita-manage={id}.{token}',
        rules: { slotStepMinutes: 15, minNoticeMinutes: 60, maxAdvanceDays: 60 },
        // Tests book many times with one email; test/server/hoarding.spec.ts checks the default.
        limits: { liveBookingsPerEmail: 1000 },
        closedDates: ['2026-03-19'],
        staff: [
          {
            id: 'ana',
            name: 'Ana Ruiz',
            weeklyHours: {
              ...week([
                ['09:00', '14:00'],
                ['16:00', '20:00'],
              ]),
              sat: [['10:00', '14:00']],
            },
            exceptions: [{ date: '2026-03-06', hours: [] }],
          },
          { id: 'ben', name: 'Ben Ortiz', weeklyHours: week([['09:00', '18:00']]) },
        ],
        services: [
          {
            id: 'cut',
            name: 'Corte',
            description: '<p>Corte y peinado</p>',
            durationMinutes: 30,
            priceMinor: 2500,
            bufferAfterMinutes: 10,
            staff: ['ana', 'ben'],
          },
          { id: 'color', name: 'Color', durationMinutes: 60, bufferBeforeMinutes: 5, staff: ['ana'] },
        ],
        policies: {
          terms: { version: '1', title: 'Condiciones', text: '<p>Condiciones del servicio.</p>' },
          privacy: {
            version: '2026-01',
            title: 'Privacidad',
            text: '<p>Tratamos tus datos para gestionar la cita.</p>',
          },
          cancellation: {
            version: '1',
            title: 'Cancelación',
            text: '<p>Cancela hasta 24 h antes.</p>',
            cutoffHours: 24,
          },
        },
      },
      {
        slug: 'test-clinic',
        name: 'Test Clinic',
        timeZone: 'America/Sao_Paulo',
        locale: 'en-GB',
        currency: 'BRL',
        allowedOrigins: ['https://clinic.example'],
        customerFields: ['name', 'email', 'phone'],
        rules: { slotStepMinutes: 30, minNoticeMinutes: 0, maxAdvanceDays: 30 },
        staff: [{ id: 'dr-lima', name: 'Dr Lima', weeklyHours: week([['08:00', '12:00']]) }],
        services: [{ id: 'visit', name: 'Visit', durationMinutes: 30, staff: ['dr-lima'] }],
        security: { twoFactor: 'required', hipaa: true, sessionIdleMinutes: 10 },
      },
    ],
  };
}

export function testConfig(
  mutate?: (raw: ReturnType<typeof rawConfig> & { businesses: Record<string, unknown>[] }) => void,
): ServerConfig {
  const raw = rawConfig() as ReturnType<typeof rawConfig> & { businesses: Record<string, unknown>[] };
  mutate?.(raw);
  return parseConfig(raw, 'test config');
}

/* ------------------------------------------------------------------------------------------------
 * App, clock, requests
 * --------------------------------------------------------------------------------------------- */

/** Monday 2 March 2026, 09:00 in Madrid. */
export const T0 = '2026-03-02T08:00:00Z';

export class Clock {
  private t: number;
  constructor(iso = T0) {
    this.t = Date.parse(iso);
  }
  now = (): Date => new Date(this.t);
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
}

export interface TestApp {
  request(path: string, init?: RequestInit, ip?: string): Promise<Response>;
  clock: Clock;
  config: ServerConfig;
  business: Business;
  emailsQueued: number;
}

export function makeApp(db: Database, options: Partial<AppOptions> & { clock?: Clock } = {}): TestApp {
  const clock = options.clock ?? new Clock();
  const config = options.config ?? testConfig();
  const t: TestApp = {
    clock,
    config,
    business: config.businesses.get('test-salon')!,
    emailsQueued: 0,
    request: async (path, init, ip = '192.0.2.10') =>
      app.request(path, init, { incoming: { socket: { remoteAddress: ip } } }),
  };
  const app = createApp({ db, now: clock.now, onEmailQueued: () => t.emailsQueued++, ...options, config });
  return t;
}

export function consentsFor(business: Business): Consent[] {
  return Object.entries(business.publicConfig.policies).map(([policy, p]) => ({
    policy: policy as Consent['policy'],
    version: p.version,
    sha256: p.sha256,
  }));
}

/** Wednesday 4 March 2026, 10:00 in Madrid (09:00Z): Ana and Ben both work. */
export const SLOT = '2026-03-04T10:00:00+01:00';

export function bookingRequest(
  business: Business,
  over: Partial<CreateBookingRequest> = {},
): CreateBookingRequest {
  return {
    service: 'cut',
    start: SLOT,
    staff: 'ana',
    customer: { name: 'Lucía Gómez', email: 'lucia@example.com' },
    consents: consentsFor(business),
    locale: 'es-ES',
    ...over,
  };
}

export const newKey = () => randomBytes(16).toString('base64url');

export interface PostOptions {
  key?: string | null;
  origin?: string | null;
  ip?: string;
  headers?: Record<string, string>;
  slug?: string;
}

export function postBooking(t: TestApp, body: unknown, o: PostOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...o.headers };
  const key = o.key === undefined ? newKey() : o.key;
  if (key !== null) headers['Idempotency-Key'] = key;
  const origin = o.origin === undefined ? ORIGIN : o.origin;
  if (origin !== null) headers.Origin = origin;
  return t.request(
    `/v1/businesses/${o.slug ?? 'test-salon'}/bookings`,
    { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) },
    o.ip,
  );
}

/** Asserts a problem+json response with this code; returns its body. */
export async function expectProblem(
  res: Response,
  code: ProblemCode,
  status?: number,
): Promise<Record<string, unknown>> {
  const body = (await res.json()) as Record<string, unknown>;
  if (
    res.headers.get('content-type') !== 'application/problem+json' ||
    body.type !== problemType(code) ||
    (status && res.status !== status)
  ) {
    throw new Error(
      `expected problem ${code}${status ? ` (${status})` : ''}, got ${res.status} ${JSON.stringify(body)}`,
    );
  }
  return body;
}
