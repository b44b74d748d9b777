/**
 * `cita-server users add` end to end on PGlite: a staff account with no password and a one-time
 * setup link; a second run replaces the link; the owner follows it on the running server and
 * signs in at /admin. Also: `check` warns about composition rules and expiry (NIST).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminMe, adminRoutes } from '../../src/api/account-contract.js';
import { runCli, startServer } from './process.js';

// Each run boots tsx and PGlite: seconds each, more on a loaded machine.
describe('cita-server users add', { timeout: 240_000 }, () => {
  let dir: string;
  let config: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cita-users-'));
    config = join(dir, 'config.json');
    const demo = JSON.parse(readFileSync('demo/config.json', 'utf8')) as Record<string, unknown>;
    writeFileSync(config, JSON.stringify({ ...demo, publicUrl: 'https://book.example' }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const add = (...extra: string[]) =>
    runCli(['users', 'add', '--config', config, '--data-dir', join(dir, 'data'), ...extra]);

  it('refuses a missing business, a bad email or role', async () => {
    const bad = await add('--business', 'nope', '--email', 'ana@salon.example');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('no business "nope"');
    expect((await add('--business', 'salon-rosa', '--email', 'a@b.example', '--role', 'god')).code).toBe(1);
  });

  it('prints a one-time setup link; a second run replaces it; the link sets the password at /admin', async () => {
    const first = await add('--business', 'salon-rosa', '--email', 'Ana@Salon.example', '--role', 'owner');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Created owner ana@salon.example at salon-rosa.');
    const link = /https:\/\/book\.example\/admin\/setup#token=([A-Za-z0-9_-]{43})/;
    const oldToken = link.exec(first.stdout)![1]!;
    const second = await add('--business', 'salon-rosa', '--email', 'ana@salon.example');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('already has a owner account');
    const token = link.exec(second.stdout)![1]!;
    expect(token).not.toBe(oldToken);

    const server = await startServer(['--config', config, '--data-dir', join(dir, 'data')], {}, 120_000);
    try {
      // publicUrl is the public origin; the test reaches the server directly, so it says that origin.
      const post = (path: string, body: unknown) =>
        fetch(server.url + path, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Origin: 'https://book.example' },
          body: JSON.stringify(body),
        });
      const password = 'la consola de Ana es segura';
      expect((await post(adminRoutes.setup, { token: oldToken, password })).status).toBe(400);
      const res = await post(adminRoutes.setup, { token, password });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(AdminMe.parse(await res.json()).account).toMatchObject({
        role: 'owner',
        email: 'ana@salon.example',
      });
      expect((await post(adminRoutes.setup, { token, password })).status).toBe(400);
      const signIn = await post(adminRoutes.signIn, {
        business: 'salon-rosa',
        email: 'ana@salon.example',
        password,
      });
      expect(signIn.status).toBe(200);
      expect(signIn.headers.get('set-cookie')).toMatch(/^__Host-cita_admin=/);
    } finally {
      await server.stop();
    }
  });

  it('check warns about composition rules and password expiry', async () => {
    const demo = JSON.parse(readFileSync('demo/config.json', 'utf8')) as {
      businesses: { security: { password: Record<string, unknown> } }[];
    };
    Object.assign(demo.businesses[0]!.security.password, { requireClasses: true, expiryDays: 90 });
    const file = join(dir, 'legacy.json');
    writeFileSync(file, JSON.stringify(demo));
    const { code, stderr } = await runCli(['check', '--config', file]);
    expect(code).toBe(0);
    expect(stderr).toContain('requireClasses is on; NIST SP 800-63B rev. 4');
    expect(stderr).toContain('expiryDays is set; NIST SP 800-63B rev. 4');
  });
});
