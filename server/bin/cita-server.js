#!/usr/bin/env node
// The `cita-server` command: runs the compiled server (server/dist/cli.js, written by
// `npm run build:server`, part of `npm run build`), in this process: no TypeScript at run time.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write(
    'cita-server: the server is not built (server/dist/cli.js): run "npm run build:server"\n',
  );
  process.exit(1);
}
await import(cli.href);
