/**
 * The one gate for every URL Cita binds to `href` (Lit does not sanitise URL bindings:
 * `href=${x}` happily renders `javascript:`).
 *
 * Rules:
 * - absolute URLs only. A relative URL (`/terms`, `terms.html`, `#top`, `//host/x`) would resolve
 *   against the *host* page, never what the backend meant, so it is refused;
 * - schemes: `https:` and `mailto:` by default; `http:` only for a loopback host (`localhost`,
 *   `*.localhost`, `127.0.0.0/8`, `[::1]`) and only when the caller allows `'http-loopback'`
 *   (development backends). Everything else is refused: `javascript:`, `data:`, `blob:`,
 *   `vbscript:`, `file:`, `ftp:`, `http:` to a real host...;
 * - `https:` must be written `https://host`: `https:host`, `https:/host` and `https:///host`,
 *   which the URL parser would quietly repair, are refused;
 * - no credentials (`https://user:pass@host`, `https://good.example@evil.example`);
 * - `mailto:` needs an address with an `@` before any `?headers`;
 * - leading and trailing white space is trimmed; anything left that a person or a parser could
 *   read two ways is refused: ASCII control characters, any white space inside (`java\tscript:`,
 *   `https://exa mple.com`: encode it as `%20`), zero-width and bidi formatting characters, the
 *   BOM, backslashes, lone surrogates;
 * - at most {@link MAX_URL_LENGTH} UTF-16 code units.
 *
 * HTML character references (`&#106;avascript:`) are not decoded here: a value bound through Lit
 * is never HTML-decoded, and such a string has no valid scheme, so it is refused as relative.
 *
 * The result is the URL parser's serialisation (`URL.href`), so what is bound is exactly what
 * was checked (host lower-cased, IDN hosts in punycode, which also shows homographs for what
 * they are).
 */

/** What a caller may allow. `'http-loopback'` means `http:` to a loopback host only. */
export type UrlScheme = 'https:' | 'mailto:' | 'http-loopback';

export interface SafeUrlOptions {
  /** Schemes to accept. Default: `['https:', 'mailto:']`. */
  allow?: readonly UrlScheme[];
}

export const MAX_URL_LENGTH = 2048;

const DEFAULT_ALLOW: readonly UrlScheme[] = ['https:', 'mailto:'];

// C0 controls and space, DEL, C1 controls and NBSP, soft hyphen, Ogham space, Mongolian vowel
// separator, U+2000–U+200F (spaces, zero-width, LRM/RLM), U+2028–U+202F (line/paragraph separators,
// bidi embeddings and overrides, narrow NBSP), U+205F–U+206F (math space, word joiner, invisible
// operators, bidi isolates), ideographic space, BOM, interlinear annotation marks, backslash.
const FORBIDDEN =
  /[\u0000-\u0020\u007F-\u00A0\u00AD\u061C\u1680\u180E\u2000-\u200F\u2028-\u202F\u205F-\u206F\u3000\uFEFF\uFFF9-\uFFFB\\]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * `value` as a URL that is safe to bind to `href`, or `undefined` if it is not acceptable.
 * Never throws.
 */
export function safeUrl(value: string, options: SafeUrlOptions = {}): string | undefined {
  if (typeof value !== 'string') return undefined;
  const allow = options.allow ?? DEFAULT_ALLOW;
  const raw = value.trim();
  if (raw === '' || raw.length > MAX_URL_LENGTH) return undefined;
  if (FORBIDDEN.test(raw) || LONE_SURROGATE.test(raw)) return undefined;

  const scheme = SCHEME.exec(raw)?.[1]?.toLowerCase();
  if (scheme === undefined) return undefined; // relative, or a disguised scheme such as "&#106;avascript:"

  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${scheme}:`) return undefined;

  switch (scheme) {
    case 'https':
      if (!allow.includes('https:')) return undefined;
      return isHierarchical(raw, url) ? url.href : undefined;
    case 'http':
      if (!allow.includes('http-loopback')) return undefined;
      return isHierarchical(raw, url) && isLoopback(url.hostname) ? url.href : undefined;
    case 'mailto': {
      if (!allow.includes('mailto:')) return undefined;
      const to = url.pathname;
      return to.includes('@') && !to.startsWith('/') ? url.href : undefined;
    }
    default:
      return undefined;
  }
}

/** `scheme://host...` written out in full, with a host and no credentials. */
function isHierarchical(raw: string, url: URL): boolean {
  return /^[a-z]+:\/\/[^/]/i.test(raw) && url.hostname !== '' && url.username === '' && url.password === '';
}

function isLoopback(hostname: string): boolean {
  // `URL` has already normalised the host: lower case, IPv4 in dotted decimal, IPv6 in brackets.
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname) ||
    hostname === '[::1]'
  );
}
