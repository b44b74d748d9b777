/**
 * Issue 12, site owners: `npm start -- --port X --demo-port Y` must not show a blank card. The
 * demo pages name the API by its default origin, and demo/config.json allows the demo site on its
 * default port: the demo site rewrites the one and the CLI widens the other.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config.js';
import { createDemoApp, followDemoPort } from '../../server/http/server.js';

const DEMO = fileURLToPath(new URL('../../demo', import.meta.url));

describe('the demo follows the ports it is started with', () => {
  it('serves its pages with the API origin it was given, and leaves other files alone', async () => {
    const app = createDemoApp(DEMO, { apiOrigin: 'http://localhost:6100' });
    for (const page of ['/', '/theming.html']) {
      const html = await (await app.request(page)).text();
      expect(html).toContain('src="http://localhost:6100/cita.js"');
      expect(html).not.toContain('localhost:5173');
    }
    const css = await (await app.request('/site.css')).text();
    expect(css).toBe(readFileSync(`${DEMO}/site.css`, 'utf8'));
  });

  it("allows the demo site's real port and points the manage link at it", () => {
    const config = parseConfig(JSON.parse(readFileSync(`${DEMO}/config.json`, 'utf8')), 'demo');
    followDemoPort(config, 6101);
    for (const b of config.businesses.values()) {
      expect(b.originSet.has('http://localhost:6101')).toBe(true);
      expect(b.originSet.has('http://127.0.0.1:6101')).toBe(true);
      if (b.manageUrl) expect(b.manageUrl).toMatch(/^http:\/\/localhost:6101\//);
    }
  });
});
