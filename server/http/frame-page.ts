/**
 * The frame pages of the isolated tier (`/frame/{business}/{element}`): their HTML, their
 * Content Security Policy, and where the frame bundle's hashed files are.
 *
 * A frame page is an empty document that loads the frame bundle from the same origin. It has no
 * inline script and no inline style (its CSP allows neither), names the business's allowed
 * origins for the frame's own handshake check, and may be framed only by exactly those origins
 * (`frame-ancestors`): no other site can embed it, so none can clickjack it.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ALLOWED_ORIGINS_META, FRAME_TRUSTED_TYPES, frameRoutes } from '../../src/api/frame-contract.js';

/**
 * The CSP of a frame page. Everything is `'self'` (the backend's origin) or nothing:
 * - scripts and styles only from files on this origin (Lit's styles are constructed sheets, which
 *   CSP does not govern); no inline code, no eval;
 * - `connect-src 'self'`: the frame talks to its own API only;
 * - images from this origin and `data:` (QR codes rendered locally);
 * - `form-action 'self'`, `base-uri 'none'`;
 * - Trusted Types required, under the bundle's own policy names only;
 * - `frame-ancestors`: exactly the business's allowed origins, never a wildcard.
 */
export function frameCsp(allowedOrigins: readonly string[]): string {
  const ancestors = allowedOrigins.length ? allowedOrigins.join(' ') : "'none'";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${ancestors}`,
    "require-trusted-types-for 'script'",
    `trusted-types ${FRAME_TRUSTED_TYPES.join(' ')}`,
  ].join('; ');
}

export interface FramePageOptions {
  /** The page's language (the business's locale; the shell's choice arrives in the fragment). */
  lang: string;
  /** The business's name, for the document title. */
  title: string;
  allowedOrigins: readonly string[];
  /** The frame bundle's entry, relative to the assets path. */
  entry: string;
  /** The element's chunks, relative to the assets path, preloaded beside the entry. */
  preload: readonly string[];
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

/** The HTML of a frame page. Every value is escaped; the page holds no data beyond the origins. */
export function framePageHtml(o: FramePageOptions): string {
  const asset = (file: string) => escapeHtml(frameRoutes.assets + file);
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(o.lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<meta name="robots" content="noindex">',
    `<meta name="${ALLOWED_ORIGINS_META}" content="${escapeHtml(o.allowedOrigins.join(' '))}">`,
    `<title>${escapeHtml(o.title)}</title>`,
    `<script type="module" src="${asset(o.entry)}"></script>`,
    ...o.preload.map((file) => `<link rel="modulepreload" href="${asset(file)}">`),
    '</head>',
    '<body></body>',
    '</html>',
    '',
  ].join('\n');
}

interface ManifestChunk {
  file: string;
  imports?: string[];
  isEntry?: boolean;
}

export interface FrameBundle {
  entry: string;
  /** The chunks an element needs, by element name. */
  preload(element: string): string[];
}

let cached: { path: string; mtimeMs: number; bundle: FrameBundle } | undefined;

/**
 * The frame bundle built into `{distDir}/frame` (from Vite's manifest), or undefined when it has
 * not been built. Re-read when the manifest changes (a rebuild while the server runs).
 */
export function readFrameBundle(distDir: string): FrameBundle | undefined {
  const path = join(distDir, 'frame', '.vite', 'manifest.json');
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
  if (cached?.path === path && cached.mtimeMs === mtimeMs) return cached.bundle;
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, ManifestChunk>;
  const entry = manifest['src/frame/main.ts']?.file;
  if (!entry) return undefined;
  const closure = (key: string, seen = new Set<string>()): string[] => {
    const chunk = manifest[key];
    if (!chunk || seen.has(key)) return [];
    seen.add(key);
    return [chunk.file, ...(chunk.imports ?? []).flatMap((k) => closure(k, seen))];
  };
  const bundle: FrameBundle = {
    entry,
    preload: (element) => [...new Set(closure(`src/frame/define-${element}.ts`))].filter((f) => f !== entry),
  };
  cached = { path, mtimeMs, bundle };
  return bundle;
}
