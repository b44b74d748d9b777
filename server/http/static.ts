/** Serving files from a directory: no traversal, no dotfiles, correct types, ETags. */
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { Context } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

/** A file under `root` for the URL path `urlPath` (already without its prefix), or undefined. */
export async function findFile(
  root: string,
  urlPath: string,
  index = 'index.html',
): Promise<StaticFile | undefined> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const segments = rel.split('/').filter((s) => s !== '');
  if (segments.some((s) => s.startsWith('.') || s.includes('\\') || s.includes('\0'))) return undefined;
  const base = resolve(root);
  let path = resolve(base, ...segments);
  if (path !== base && !path.startsWith(base + sep)) return undefined;
  try {
    let info = await stat(path);
    if (info.isDirectory()) {
      path = resolve(path, index);
      info = await stat(path);
    }
    if (!info.isFile()) return undefined;
    const type = TYPES[extname(path).toLowerCase()];
    if (!type) return undefined;
    return {
      body: await readFile(path),
      type,
      etag: `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
    };
  } catch {
    return undefined;
  }
}

/** 200 with the file, or 304 when the client's copy is current. Headers set by the caller stay. */
export function sendFile(c: Context, file: StaticFile): Response {
  c.header('ETag', file.etag);
  if (c.req.header('if-none-match') === file.etag) return c.body(null, 304);
  c.header('Content-Type', file.type);
  return c.body(new Uint8Array(file.body), 200);
}
