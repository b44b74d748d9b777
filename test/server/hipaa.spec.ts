/**
 * HIPAA mode (issue 11): a server with a HIPAA business refuses to start on a network address
 * without TLS or a trusted TLS-terminating proxy; loopback-only (development, the demo) is fine.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { hipaaStartProblem } from '../../server/hipaa.js';
import { testConfig } from './helpers.js';
import { runCli } from './process.js';

describe('HIPAA mode: HTTPS only', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cita-hipaa-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('needs TLS, a trusted proxy or a loopback-only address when a business is in HIPAA mode', async () => {
    // The demo's clinic is in HIPAA mode.
    const demo = await loadConfig('demo/config.json');
    const open = { tls: false, trustProxy: 0, host: '0.0.0.0' };
    expect(hipaaStartProblem(demo, open)).toMatch(/^HIPAA mode \(clinica-norte\) needs HTTPS/);
    expect(hipaaStartProblem(demo, { ...open, host: '::' })).toBeDefined();
    expect(hipaaStartProblem(demo, { ...open, tls: true })).toBeUndefined();
    expect(hipaaStartProblem(demo, { ...open, trustProxy: 1 })).toBeUndefined();
    expect(hipaaStartProblem(demo, { ...open, host: '127.0.0.1' })).toBeUndefined();
    // Without a HIPAA business nothing changes.
    expect(hipaaStartProblem(testConfig(), open)).toMatch(/^HIPAA mode \(test-clinic\)/);
    const salonOnly = testConfig((raw) => {
      raw.businesses = raw.businesses.filter((b) => b.slug === 'test-salon');
    });
    expect(hipaaStartProblem(salonOnly, open)).toBeUndefined();
  });

  it('cita-server start refuses before opening the database', async () => {
    const data = join(dir, 'data');
    const r = await runCli([
      'start',
      '--config',
      'demo/config.json',
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--data-dir',
      data,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'HIPAA mode (clinica-norte) needs HTTPS: start with --cert and --key, or behind a TLS-terminating proxy with --trust-proxy',
    );
    expect(existsSync(join(data, 'pglite'))).toBe(false);
  });
});
