/**
 * The data directory's protection. It holds the PGlite database (customer names, emails and, in
 * its write-ahead log, manage links) and, without SMTP, the outbox log: only the user running the
 * server may read it. Created 0700; an existing one that group or others can reach is refused
 * unless the operator says otherwise; the files PGlite writes (it asks for 0666) are tightened to
 * 0600 after each open and checkpoint.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Creates `dir` 0700 (parents too) or checks an existing one; returns a problem to report, or undefined. */
export function prepareDataDir(dir: string, allowOpen = false): string | undefined {
  let mode: number;
  try {
    mode = statSync(dir).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700); // whatever the umask
    return undefined;
  }
  if ((mode & 0o077) !== 0 && !allowOpen) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    return (
      `the data directory ${dir} is readable by other users (mode ${octal}); it holds customer data ` +
      `and booking links. Run "chmod 700 ${dir}", or pass --allow-open-data-dir if the host protects it otherwise`
    );
  }
  return undefined;
}

/** Files 0600 and folders 0700 under `dir` (the folder itself included); symbolic links are left alone. */
export function tightenTree(dir: string): void {
  const walk = (path: string) => {
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (st === undefined || st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      if ((st.mode & 0o777) !== 0o700) chmodSync(path, 0o700);
      for (const name of readdirSync(path)) walk(join(path, name));
    } else if ((st.mode & 0o077) !== 0) chmodSync(path, st.mode & 0o700);
  };
  walk(dir);
}
