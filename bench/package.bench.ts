/**
 * What `npm install cita` costs a front-end developer (`npm run bench -- package`; run
 * `npm run build` first): the widget's tarball packed and unpacked (budget 400 KB unpacked, issue
 * 13, also enforced by tools/consumers.ts), and the install itself: the tarball installed into an
 * empty project from the registry, the size of node_modules and its packages (lit, zod, DOMPurify,
 * @simplewebauthn/browser and what they need; nothing server-side). The backend's tarball for
 * comparison: it carries the bundles it serves.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './run.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function duBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += duBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

export default async function packageBench(): Promise<BenchRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'cita-package-bench-'));
  try {
    const pack = (args: string[]) =>
      (
        JSON.parse(
          execFileSync('npm', ['pack', '--json', '--pack-destination', work, ...args], {
            cwd: ROOT,
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
          }),
        ) as { filename: string; size: number; unpackedSize: number }[]
      )[0]!;
    const widget = pack([]);
    const server = pack(['-w', 'server']);
    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), '{"name":"app","private":true}\n');
    execFileSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', join(work, widget.filename)],
      { cwd: app, stdio: 'ignore' },
    );
    const modules = join(app, 'node_modules');
    const packages = readdirSync(modules)
      .filter((n) => !n.startsWith('.'))
      .flatMap((n) => (n.startsWith('@') ? readdirSync(join(modules, n)).map((s) => `${n}/${s}`) : [n]));
    return [
      { metric: 'cita tarball, packed', value: widget.size, unit: 'B' },
      { metric: 'cita tarball, unpacked', value: widget.unpackedSize, unit: 'B', budget: 400 * 1024 },
      {
        metric: 'npm install cita: node_modules',
        value: Math.round(duBytes(modules) / 1024),
        unit: 'KB',
        note: `${packages.length} packages: ${packages.join(', ')}`,
      },
      {
        metric: 'cita-server tarball, unpacked',
        value: server.unpackedSize,
        unit: 'B',
        note: 'carries cita.js, chunks, frame pages and console with .br/.gz',
      },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
