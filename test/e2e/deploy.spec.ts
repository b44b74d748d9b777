/**
 * The deployment of docs/deploy.md, run on this machine: two compiled `cita-server` instances
 * (`--trust-proxy`) on one PostgreSQL, behind Caddy running the repository's deploy/Caddyfile
 * with Caddy's internal CA on a loopback address. Through HTTPS: the widget, loaded by a script
 * tag from Caddy's origin into a page on the business's site in Chromium (trusting Caddy's root
 * only), books; then (Node trusting Caddy's root) a booking; HSTS; rate limits keyed by the client address Caddy forwards (clients on different
 * loopback addresses), not Caddy's own; a race for one slot across both instances books it once;
 * an idempotent create replayed through both instances returns one booking.
 *
 * Needs /usr/bin/caddy (or caddy on PATH) and CITA_TEST_PG_URL; skipped with a message otherwise.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/index.js';
import { Availability, BusinessConfig, CreatedBooking, problemType, routes } from '../../src/api/contract.js';
import { ORIGIN, PG_URL, rawConfig } from '../server/helpers.js';
import { startServer, type ServerProcess } from '../server/process.js';
import { launchChromium } from '../support/chromium.js';

const CADDY = spawnSync('sh', ['-c', 'command -v caddy'], { encoding: 'utf8' }).stdout.trim();
const CADDYFILE = fileURLToPath(new URL('../../deploy/Caddyfile', import.meta.url));
const missing = [
  !CADDY && 'caddy (apt-get install caddy)',
  !PG_URL && 'PostgreSQL (CITA_TEST_PG_URL)',
].filter(Boolean);
if (missing.length) console.warn(`test/e2e/deploy.spec.ts skipped: needs ${missing.join(' and ')}`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

describe.skipIf(missing.length > 0)('deployment: Caddy (TLS) + two instances + PostgreSQL', () => {
  let dir: string;
  let schema: string;
  let admin: Database;
  let db: Database;
  let a: ServerProcess;
  let b: ServerProcess;
  let caddy: ChildProcess;
  let caddyOut = '';
  let httpsPort: number;
  let ca: Buffer;

  /** One HTTPS request to Caddy from a chosen loopback address, trusting only Caddy's root. */
  function call(
    path: string,
    o: { from?: string; method?: string; headers?: Record<string, string>; body?: unknown } = {},
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const body = o.body === undefined ? undefined : JSON.stringify(o.body);
      const req = request(
        {
          host: '127.0.0.1',
          servername: 'localhost',
          port: httpsPort,
          path,
          method: o.method ?? 'GET',
          ca,
          agent: false,
          localAddress: o.from ?? '127.0.0.1',
          headers: {
            Host: `localhost:${httpsPort}`,
            ...(body ? { 'Content-Type': 'application/json' } : {}),
            ...o.headers,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cita-deploy-'));
    schema = `cita_deploy_${randomBytes(6).toString('hex')}`;
    admin = await openDatabase({ url: PG_URL!, poolSize: 1 });
    await admin.exec('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await admin.exec(`CREATE SCHEMA ${schema}`);
    const url = new URL(PG_URL!);
    url.searchParams.set('options', `-c search_path=${schema},public`);
    const raw = rawConfig();
    raw.rateLimits = {
      windowSeconds: 3600,
      availability: { perIp: 3, perBusiness: 100_000 },
      bookings: { perIp: 100_000, perBusiness: 100_000 },
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(raw));
    const args = ['--config', join(dir, 'config.json'), '--trust-proxy'];
    [a, b] = await Promise.all([
      startServer([...args, '--data-dir', join(dir, 'a')], { DATABASE_URL: url.toString() }, 110_000),
      startServer([...args, '--data-dir', join(dir, 'b')], { DATABASE_URL: url.toString() }, 110_000),
    ]);
    db = await openDatabase({ url: PG_URL!, schema, poolSize: 2 });

    // The repository's Caddyfile, preceded by the global options of a loopback test run.
    httpsPort = await freePort();
    const httpPort = await freePort();
    const caddyfile = join(dir, 'Caddyfile');
    writeFileSync(
      caddyfile,
      `{
	admin off
	storage file_system ${join(dir, 'caddy')}
	local_certs
	skip_install_trust
	default_bind 127.0.0.1
	http_port ${httpPort}
	https_port ${httpsPort}
}
${readFileSync(CADDYFILE, 'utf8')}`,
    );
    const upstreams = [a, b].map((s) => new URL(s.url).host).join(' ');
    caddy = spawn(CADDY, ['run', '--config', caddyfile, '--adapter', 'caddyfile'], {
      env: {
        ...process.env,
        CITA_SITE: `https://localhost:${httpsPort}`,
        CITA_UPSTREAMS: upstreams,
        XDG_CONFIG_HOME: join(dir, 'xdg-config'),
        XDG_DATA_HOME: join(dir, 'xdg-data'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    caddy.stdout!.on('data', (d: Buffer) => (caddyOut += d.toString()));
    caddy.stderr!.on('data', (d: Buffer) => (caddyOut += d.toString()));
    const root = join(dir, 'caddy', 'pki', 'authorities', 'local', 'root.crt');
    for (let i = 0; i < 300 && !existsSync(root); i++) await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(root)) throw new Error(`Caddy did not create its root certificate:\n${caddyOut}`);
    ca = readFileSync(root);
    // Ready when it answers over TLS with a certificate chaining to that root.
    for (let i = 0; ; i++) {
      try {
        const r = await call(routes.business('test-salon'), { from: '127.0.0.1' });
        if (r.status === 200) break;
      } catch (err) {
        if (i > 100)
          throw new Error(`Caddy not ready: ${(err as Error).message}\n${caddyOut}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 180_000);

  afterAll(async () => {
    caddy?.kill('SIGTERM');
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.close();
    await admin?.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let config: BusinessConfig;
  let slots: Availability['slots'];
  const consents = () =>
    Object.entries(config.policies).map(([policy, p]) => ({ policy, version: p.version, sha256: p.sha256 }));
  const booking = (start: string, staff: string, i = 0) => ({
    service: 'cut',
    start,
    staff,
    customer: { name: `Cliente ${i}`, email: `c${i}@example.com`, phone: '+34600111222' },
    consents: consents(),
  });

  it('the widget books in Chromium: script tag from Caddy, page on the business’s site', async () => {
    // Chromium accepts Caddy's local CA and nothing else it would otherwise refuse: the SPKI
    // hashes of its root and of the intermediate Caddy presents with each certificate.
    const authority = join(dir, 'caddy', 'pki', 'authorities', 'local');
    const spki = ['root.crt', 'intermediate.crt'].map((f) =>
      createHash('sha256')
        .update(
          new X509Certificate(readFileSync(join(authority, f))).publicKey.export({
            type: 'spki',
            format: 'der',
          }),
        )
        .digest('base64'),
    );
    const browser = await launchChromium([
      `--ignore-certificate-errors-spki-list=${spki.join(',')}`,
      '--host-resolver-rules=MAP localhost 127.0.0.1',
      // The business's page is served by the test (a public origin to Chromium), the backend is on
      // loopback here, as it is not in a deployment: Local Network Access would ask the visitor.
      '--disable-features=LocalNetworkAccessChecks',
    ]);
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const log: string[] = [];
      page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
      page.on('requestfailed', (r) => log.push(`failed ${r.url()}: ${r.failure()?.errorText}`));
      // The business's own page (its origin is in allowedOrigins); the script comes from Caddy.
      await page.route(`${ORIGIN}/**`, (route) =>
        route.fulfill({
          contentType: 'text/html; charset=utf-8',
          body: `<!doctype html><html lang="en"><title>Shop</title>
<script type="module" src="https://localhost:${httpsPort}/cita.js" data-business="test-salon"></script>
<cita-booking-form></cita-booking-form>`,
        }),
      );
      await page.goto(`${ORIGIN}/book`);
      const form = page.locator('cita-booking-form');
      await form
        .getByRole('button', { name: /Corte/ })
        .click({ timeout: 30_000 })
        .catch(async (err: Error) => {
          throw new Error(
            `${err.message}\n${log.join('\n')}\n${await form.evaluate((f) => f.shadowRoot?.innerHTML ?? '')}`,
          );
        });
      await expect.poll(() => form.locator('.day.available').count(), { timeout: 20_000 }).toBeGreaterThan(0);
      await form.locator('.day.available').first().click();
      await form.locator('[part~="slot"]').first().click();
      await form.getByLabel('Name').fill('Ana García');
      await form.getByLabel('Email').fill('ana@example.com');
      if (await form.getByLabel('Phone').count()) await form.getByLabel('Phone').fill('+34 600 123 456');
      for (const box of await form.locator('cita-consent-checkbox').all()) await box.locator('input').check();
      await form.getByRole('button', { name: 'Continue' }).click();
      await form.getByRole('button', { name: 'Confirm booking' }).click();
      await expect
        .poll(() => form.getByRole('heading', { level: 2 }).textContent(), { timeout: 20_000 })
        .toBe('Booking confirmed');
      const reference = (await form.locator('.reference').textContent())?.trim() ?? '';
      expect(reference).not.toBe('');
      expect(errors).toEqual([]);
      const rows = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM bookings WHERE customer_email = 'ana@example.com' AND status = 'confirmed'`,
      );
      expect(rows[0]!.n).toBe(1);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('books through HTTPS, with HSTS sent', async () => {
    const res = await call(routes.business('test-salon'), { from: '127.0.0.2', headers: { Origin: ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    config = BusinessConfig.parse(JSON.parse(res.text));
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    const avail = await call(
      `${routes.availability('test-salon')}?service=cut&from=${day(1)}&to=${day(30)}`,
      {
        from: '127.0.0.2',
      },
    );
    expect(avail.status).toBe(200);
    slots = Availability.parse(JSON.parse(avail.text)).slots;
    expect(slots.length).toBeGreaterThan(3);
    const created = await call(routes.bookings('test-salon'), {
      from: '127.0.0.2',
      method: 'POST',
      headers: { Origin: ORIGIN, 'Idempotency-Key': randomUUID() },
      body: booking(slots[0]!.start, slots[0]!.staff[0]!),
    });
    expect(created.status, created.text).toBe(201);
    expect(created.headers['strict-transport-security']).toBe('max-age=31536000');
    CreatedBooking.parse(JSON.parse(created.text));
  });

  it('rate-limits the client address Caddy forwards, not Caddy’s own', async () => {
    const path = `${routes.availability('test-salon')}?service=cut&from=${slots[0]!.start.slice(0, 10)}&to=${slots[0]!.start.slice(0, 10)}`;
    // 127.0.0.3 uses its three requests (across both instances: the counter is in PostgreSQL),
    // even when it claims another address in X-Forwarded-For (Caddy replaces the header).
    // Every 250 ms each instance shares its counts or reads the others' totals
    // (server/http/rate-limiter.ts), even when it served nothing: with requests 700 ms apart the
    // limit holds exactly (unshared, the two instances would let six through).
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await call(path, { from: '127.0.0.3' })).status);
      await new Promise((r) => setTimeout(r, 700));
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    const limited = await call(path, { from: '127.0.0.3', headers: { 'X-Forwarded-For': '203.0.113.9' } });
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.text).type).toBe(problemType('rate_limited'));
    // Another client, through the same Caddy, is not limited.
    expect((await call(path, { from: '127.0.0.4' })).status).toBe(200);
  });

  it('books one slot once when a race reaches both instances', async () => {
    const slot = slots[slots.length - 1]!;
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call(routes.bookings('test-salon'), {
          from: `127.0.1.${i + 1}`,
          method: 'POST',
          headers: { Origin: ORIGIN, 'Idempotency-Key': randomUUID() },
          body: booking(slot.start, slot.staff[0]!, i),
        }),
      ),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(39);
    const rows = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM bookings WHERE starts_at = $1 AND status = 'confirmed'`,
      [slot.start],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('holds an Idempotency-Key across the instances', async () => {
    const slot = slots[Math.floor(slots.length / 2)]!;
    const key = randomUUID();
    const body = booking(slot.start, slot.staff[0]!, 99);
    // Round robin: consecutive requests go to alternate instances.
    const replies = [];
    for (let i = 0; i < 4; i++)
      replies.push(
        await call(routes.bookings('test-salon'), {
          from: '127.0.0.5',
          method: 'POST',
          headers: { Origin: ORIGIN, 'Idempotency-Key': key },
          body,
        }),
      );
    const created = replies.map((r) => {
      expect(r.status, r.text).toBe(201);
      return CreatedBooking.parse(JSON.parse(r.text));
    });
    expect(new Set(created.map((c) => c.id)).size).toBe(1);
    expect(new Set(created.map((c) => c.manageToken)).size).toBe(1);
    expect(replies.slice(1).every((r) => r.headers['idempotent-replayed'] === 'true')).toBe(true);
  });
});
