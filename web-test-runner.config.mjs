// @web/test-runner: Debian's Chromium driven by Playwright's launcher (never a downloaded browser).
import { playwrightLauncher } from '@web/test-runner-playwright';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { misbehavingServer } from './test/support/misbehaving-server.mjs';
import { citaServer } from './test/support/cita-server-plugin.mjs';
import { frameFixtures } from './test/support/frame-fixtures.mjs';
import { frameCommands } from './test/support/frame-commands.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/support/chromium-args.mjs';

// The real Cita server (PGlite, fresh data directory) for the tests that book or sign in, with an
// owner of wtr-salon created by `users add` (test/admin-console.test.ts follows its setup link).
const cita = citaServer({
  config: 'test/fixtures/wtr-config.json',
  port: 5199,
  host: '127.0.0.1',
  staff: [
    { business: 'wtr-salon', email: 'owner@example.com', role: 'owner' },
    // test/invoice-viewer.test.ts issues invoices with this one.
    { business: 'wtr-salon', email: 'billing@example.com', role: 'staff' },
    // test/console-bookings.test.ts: an owner and a staff member of its own business.
    { business: 'wtr-console', email: 'owner@console.example', role: 'owner' },
    { business: 'wtr-console', email: 'desk@console.example', role: 'staff' },
    // test/console-break-glass.test.ts: an owner and a staff member of their own business.
    { business: 'wtr-breakglass', email: 'bg-owner@example.com', role: 'owner' },
    { business: 'wtr-breakglass', email: 'bg-nurse@example.com', role: 'staff' },
    // test/admin-console-hipaa.test.ts: the HIPAA sign-in notice and the console's idle warning.
    { business: 'wtr-hipaa', email: 'nurse@example.com', role: 'owner' },
    // test/console-people.test.ts: its own business, so its counts are its own.
    { business: 'wtr-people', email: 'owner@people.example', role: 'owner' },
  ],
  // Bookings that ended weeks ago, for the console's clean history (test/console-people.test.ts).
  seed: [
    {
      script: 'test/support/seed-past-bookings.ts',
      args: ['wtr-people', 'marta@people.example', 'Marta Pasado', '2'],
    },
    // Bookings of wtr-console that have already started or are past their cutoff
    // (test/console-bookings.test.ts).
    { script: 'test/support/seed-console-bookings.ts', args: ['test/fixtures/wtr-config.json'] },
  ],
});

export default {
  files: ['test/**/*.test.ts'],
  // A fixed origin for the test pages (listed in the fixture's allowedOrigins), other than the API's.
  hostname: 'localhost',
  port: 8765,
  nodeResolve: { exportConditions: ['production'] },
  // A deliberately misbehaving API under /__cita/ for test/client.test.ts; scripted frames under
  // /__frame/ for test/frame-channel.test.ts; the real server's API proxied under /__cita-api/
  // on this origin, and its outbox, for the account tests.
  middleware: [misbehavingServer(), frameFixtures(), cita.middleware],
  // The esbuild plugin reads tsconfig.json as raw text (no `extends`): it must stay flat so the
  // legacy decorator settings reach it.
  // frameCommands: acting inside the real (cross-origin) frames, for test/booking-frame.test.ts.
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
    cita,
    frameCommands(),
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS },
    }),
  ],
  concurrency: 2,
  testFramework: { config: { timeout: 10000 } },
};
