/**
 * Serving files from a directory: no traversal, no dotfiles, correct types, ETags, and the
 * precompressed `<file>.br` / `<file>.gz` written by tools/compress.ts when the client accepts it.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, resolve, sep } from 'node:path';
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

/** Types worth compressing: tools/compress.ts writes `.br` and `.gz` beside these. */
export const COMPRESSIBLE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.svg',
  '.txt',
]);

export type Encoding = 'br' | 'gzip';

/** In order of preference when the client weighs them equally. */
const ENCODINGS: readonly { name: Encoding; suffix: string }[] = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
];

export interface EncodedFile {
  /** The precompressed sibling (`<file>.br`, `<file>.gz`), read only when chosen. */
  path: string;
  etag: string;
}

export interface StaticFile {
  /** The file itself (identity), read only when sent as is. */
  path: string;
  type: string;
  etag: string;
  /** A compressible type: every response says `Vary: Accept-Encoding`. */
  compressible: boolean;
  /** Precompressed siblings that exist and are not older than the file. */
  encoded: Partial<Record<Encoding, EncodedFile>>;
}

/**
 * A directory holding `.precompressed` (or whose parent does) was copied whole from one build (cita-server's `public/`,
 * tools/server-manifest.mjs): its siblings match their originals whatever their times (npm sets
 * each file's time when it extracts it, in the tarball's order). Elsewhere (a build directory) an
 * older sibling is left from an earlier build and is not served.
 */
const sealedRoots = new Map<string, Promise<boolean>>();
function sealedRoot(root: string): Promise<boolean> {
  let sealed = sealedRoots.get(root);
  if (!sealed) {
    sealed = stat(resolve(root, '.precompressed')).then(
      (s) => s.isFile(),
      () => false,
    );
    sealedRoots.set(root, sealed);
  }
  return sealed;
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
    const tag = `${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}`;
    const compressible = COMPRESSIBLE_EXTENSIONS.has(extname(path).toLowerCase());
    const encoded: StaticFile['encoded'] = {};
    if (compressible) {
      // The marker sits in public/; frames are served from public/frame/.
      const sealed = (await sealedRoot(base)) || (await sealedRoot(dirname(base)));
      await Promise.all(
        ENCODINGS.map(async ({ name, suffix }) => {
          const sibling = await stat(path + suffix).catch(() => undefined);
          // An older sibling is left from an earlier build: it holds other bytes.
          if (sibling?.isFile() && (sealed || sibling.mtimeMs >= info.mtimeMs))
            encoded[name] = { path: path + suffix, etag: `W/"${tag}-${suffix.slice(1)}"` };
        }),
      );
    }
    return { path, type, etag: `W/"${tag}"`, compressible, encoded };
  } catch {
    return undefined;
  }
}

/**
 * 200 with the file (precompressed when the client accepts it and a sibling exists), or 304 when
 * the client's copy of that representation is current. Headers set by the caller stay.
 */
export async function sendFile(c: Context, file: StaticFile): Promise<Response> {
  if (file.compressible) c.header('Vary', 'Accept-Encoding', { append: true });
  const available = ENCODINGS.map((e) => e.name).filter((name) => file.encoded[name]);
  const encoding = chooseEncoding(c.req.header('accept-encoding'), available);
  const chosen = encoding ? file.encoded[encoding] : undefined;
  if (etagMatches(c.req.header('if-none-match'), chosen?.etag ?? file.etag)) {
    c.header('ETag', chosen?.etag ?? file.etag);
    return c.body(null, 304);
  }
  let body: Buffer | undefined;
  let etag = file.etag;
  if (encoding && chosen) {
    body = await readFile(chosen.path).catch(() => undefined); // removed since findFile: send the file
    if (body) {
      etag = chosen.etag;
      c.header('Content-Encoding', encoding);
    }
  }
  body ??= await readFile(file.path);
  c.header('ETag', etag);
  c.header('Content-Type', file.type);
  return c.body(new Uint8Array(body), 200);
}

/**
 * The content coding to use among `available` (in preference order) for an Accept-Encoding
 * value, or undefined for identity. Absent header: identity. A coding is acceptable when named,
 * or covered by `*`, with q > 0; the highest q wins, ties go to the earlier in `available`. When
 * identity is refused too (`identity;q=0`) and nothing else fits, identity is served anyway
 * rather than 406.
 */
export function chooseEncoding(
  header: string | undefined,
  available: readonly Encoding[],
): Encoding | undefined {
  if (header === undefined) return undefined;
  const weights = new Map<string, number>();
  for (const item of header.split(',')) {
    const [name = '', ...params] = item.split(';').map((s) => s.trim());
    if (name === '') continue;
    let q = 1;
    for (const param of params) {
      const m = /^q\s*=\s*(\S*)$/i.exec(param);
      if (!m) continue;
      // A malformed weight makes the coding unacceptable: identity is always a safe answer.
      q = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(m[1]) ? Number(m[1]) : 0;
    }
    const coding = name.toLowerCase();
    weights.set(coding === 'x-gzip' ? 'gzip' : coding, q);
  }
  let best: Encoding | undefined;
  let bestQ = 0;
  for (const name of available) {
    const q = weights.get(name) ?? weights.get('*') ?? 0;
    if (q > bestQ) [best, bestQ] = [name, q];
  }
  return best;
}

/** If-None-Match against an ETag: weak comparison, lists and `*`. */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}
