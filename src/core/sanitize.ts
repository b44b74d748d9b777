/**
 * The only way rich text (policies, service descriptions, invoice notes: limited HTML sent by the
 * backend) reaches the page. It comes back as a `DocumentFragment` for Lit to insert as a child
 * value; no HTML string produced here ever reaches an HTML sink. Never modify the result as a
 * string, and never put it inside a raw-text element (`<noscript>`, `<textarea>`, `<title>`,
 * `<style>`, `srcdoc`): that re-opens mutation XSS.
 *
 * Allowlist (everything else is removed; an unknown element's text is kept, the content of
 * `script`, `style`, `template`, `svg`, `math`, `iframe`, `noscript` and the like is dropped):
 *
 * | element | attributes |
 * |---|---|
 * | `p` `br` `ul` `ol` `li` `strong` `b` `em` `i` `blockquote` `code` | none |
 * | `h2` `h3` `h4` | none. `h1` becomes `h2`, `h5` and `h6` become `h4`: rich text sits inside a widget on someone else's page, under the widget's own heading, so it never gets the page's top level and keeps its outline within three levels |
 * | `a` | `href`, only if {@link safeUrl} accepts it as `https:` or `mailto:` (otherwise the link keeps its text and loses `href`); every `a` gets `target="_blank"` and `rel="noopener noreferrer"` |
 *
 * No `style`, `class`, `id`, `name`, `data-*`, `aria-*` or event-handler attribute survives, and
 * no form, image, media, frame, SVG or MathML element.
 *
 * Length: input longer than {@link MAX_RICH_TEXT_LENGTH} UTF-16 code units (the contract's
 * `RichText` cap) is refused with a `RangeError`, not truncated: policy text is consented to by
 * its hash, so showing a cut version would make the consent proof describe text the customer
 * never saw. The caller shows its "could not load" state instead.
 *
 * Isolation: a private DOMPurify instance (`DOMPurify(window)`, created on first use). The
 * default instance a host page (or another library) configures with `setConfig` or `addHook` is
 * never used, so their settings never reach us; our hooks live on our instance only, so ours
 * never reach them.
 *
 * Trusted Types: DOMPurify parses its input through `DOMParser`, an HTML sink. Where the browser
 * has Trusted Types we hand it our own policy `cita-sanitize` (see `trusted-types.ts`), never its
 * default `dompurify` policy. That policy only wraps markup while our sanitiser is parsing it into
 * an inert document, and refuses to create script URLs. If the host's CSP refuses the policy,
 * we fall back to a path that needs no Trusted Types: the browser's own HTML Sanitizer
 * (`Element.setHTML`, which is not a Trusted Types sink) into an inert document, followed by the
 * same allowlist; and where that API is missing too, the text alone, in paragraphs.
 */
import createDOMPurify from 'dompurify';
import type { Config, DOMPurify } from 'dompurify';
import type { TrustedTypePolicyOptions } from 'trusted-types/lib';
import { normalizeText } from './text.js';
import { getPolicy, trustedTypesSupported } from './trusted-types.js';
import { safeUrl, type UrlScheme } from './url.js';

/** Longest accepted input, in UTF-16 code units; the same cap as the contract's `RichText`. */
export const MAX_RICH_TEXT_LENGTH = 20_000;

/** Elements that can appear in the output. */
export const RICH_TEXT_ELEMENTS = [
  'p',
  'br',
  'ul',
  'ol',
  'li',
  'strong',
  'b',
  'em',
  'i',
  'h2',
  'h3',
  'h4',
  'a',
  'blockquote',
  'code',
] as const;

/** Schemes a rich-text link may use. */
export const RICH_TEXT_LINK_SCHEMES: readonly UrlScheme[] = ['https:', 'mailto:'];

const HEADING_MAP: Readonly<Record<string, string>> = { h1: 'h2', h5: 'h4', h6: 'h4' };
/** What the parser keeps before headings are mapped. */
const PARSED_ELEMENTS: readonly string[] = [...RICH_TEXT_ELEMENTS, ...Object.keys(HEADING_MAP)];

const CONFIG = {
  // `body` is the root DOMPurify parses into and is never part of the output (only its children
  // are returned; the HTML parser never creates a second `body`, it merges attributes into the
  // root, where they are sanitised like any other). Without it DOMPurify removes the root itself,
  // cloning all of its raw children into `<html>` first: wasted work, and a cloned `<script>`
  // raises a Trusted Types violation report on a strict host page.
  ALLOWED_TAGS: [...PARSED_ELEMENTS, 'body'],
  ALLOWED_ATTR: ['href'],
  ALLOW_ARIA_ATTR: false,
  ALLOW_DATA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOW_SELF_CLOSE_IN_ATTR: false,
  ALLOWED_URI_REGEXP: /^(?:https:|mailto:)/i,
  KEEP_CONTENT: true,
  SAFE_FOR_XML: true,
  SANITIZE_DOM: true,
  SANITIZE_NAMED_PROPS: true,
  WHOLE_DOCUMENT: false,
  RETURN_DOM_FRAGMENT: true,
  RETURN_TRUSTED_TYPE: false,
} satisfies Config;

let purify: DOMPurify | undefined;
/** > 0 only while our instance is parsing: the only time `cita-sanitize` will wrap markup. */
let parsing = 0;

const POLICY_RULES: TrustedTypePolicyOptions = {
  createHTML(markup: string): string {
    if (parsing === 0) throw new TypeError('[cita] cita-sanitize only wraps markup for the sanitiser.');
    return markup;
  },
  createScriptURL(): string {
    throw new TypeError('[cita] cita-sanitize never creates script URLs.');
  },
};

/**
 * Sanitise untrusted rich text into a new `DocumentFragment` (inserting it empties it, so call
 * again for a second copy). Empty input gives an empty fragment.
 *
 * @throws TypeError if `html` is not a string, or outside a browser.
 * @throws RangeError if `html` is longer than {@link MAX_RICH_TEXT_LENGTH}.
 */
export function sanitizeToFragment(html: string): DocumentFragment {
  if (typeof html !== 'string') throw new TypeError('[cita] Rich text must be a string.');
  if (html.length > MAX_RICH_TEXT_LENGTH) {
    throw new RangeError(`[cita] Rich text is longer than ${MAX_RICH_TEXT_LENGTH} characters; refused.`);
  }
  const p = instance();
  let policy = null;
  if (trustedTypesSupported()) {
    policy = getPolicy('cita-sanitize', POLICY_RULES);
    if (!policy) return sanitizeWithoutTrustedTypes(html);
  }
  parsing++;
  let fragment: DocumentFragment | null;
  try {
    // `TRUSTED_TYPES_POLICY: null` (no Trusted Types in this browser) also stops DOMPurify from
    // creating its default `dompurify` policy.
    fragment = p.sanitize(html, { ...CONFIG, TRUSTED_TYPES_POLICY: policy });
  } finally {
    parsing--;
  }
  if (!fragment) return document.createDocumentFragment();
  mapHeadings(fragment);
  return fragment;
}

function instance(): DOMPurify {
  if (purify) return purify;
  if (typeof window === 'undefined' || typeof document === 'undefined') {
    throw new TypeError('[cita] sanitizeToFragment needs a browser document.');
  }
  // A new instance bound to this window: its own config and hooks, shared with no one.
  const p = createDOMPurify(window);
  if (!p.isSupported) throw new TypeError('[cita] This browser cannot run the sanitiser.');
  p.addHook('uponSanitizeAttribute', (node, event) => {
    // ALLOWED_ATTR is global in DOMPurify; `href` is for links only.
    if (event.attrName === 'href' && node.nodeName !== 'A') event.keepAttr = false;
  });
  p.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') secureLink(node as Element);
  });
  purify = p;
  return p;
}

/** `href` through `safeUrl` (kept only if https:/mailto:), then `target` and `rel` forced. */
function secureLink(a: Element): void {
  const href = a.getAttribute('href');
  if (href !== null) {
    const safe = safeUrl(href, { allow: RICH_TEXT_LINK_SCHEMES });
    if (safe === undefined) a.removeAttribute('href');
    else a.setAttribute('href', safe);
  }
  a.setAttribute('target', '_blank');
  a.setAttribute('rel', 'noopener noreferrer');
}

/** h1 -> h2, h5/h6 -> h4, by moving nodes (no markup is re-parsed). */
function mapHeadings(root: DocumentFragment | Element): void {
  for (const heading of Array.from(root.querySelectorAll('h1, h5, h6'))) {
    const replacement = heading.ownerDocument.createElement(HEADING_MAP[heading.localName]!);
    replacement.append(...Array.from(heading.childNodes));
    heading.replaceWith(replacement);
  }
}

/* ------------------------------------------------------------------------------------------------
 * Fallback when the host's CSP refused our Trusted Types policy
 * --------------------------------------------------------------------------------------------- */

const HTML_NS = 'http://www.w3.org/1999/xhtml';
const ALLOWED = new Set<string>(PARSED_ELEMENTS);
/** Removed with everything inside (the rest of the unknown elements are unwrapped). */
const DROP_WITH_CONTENT = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'noembed',
  'noframes',
  'xmp',
  'plaintext',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'math',
  'textarea',
  'select',
  'option',
  'title',
  'head',
  'audio',
  'video',
]);

interface SetHtmlElement extends Element {
  setHTML?: (html: string) => void;
}

function sanitizeWithoutTrustedTypes(html: string): DocumentFragment {
  // An inert document: nothing inside it loads or runs, whatever it holds.
  const doc = document.implementation.createHTMLDocument('');
  const holder: SetHtmlElement = doc.createElement('div');
  if (typeof holder.setHTML === 'function') {
    // The HTML Sanitizer API with its default (safe) configuration; then our allowlist.
    holder.setHTML(html);
    enforceAllowlist(holder);
    mapHeadings(holder);
  } else {
    appendPlainText(holder, html);
  }
  const fragment = doc.createDocumentFragment();
  fragment.append(...Array.from(holder.childNodes));
  return fragment;
}

function enforceAllowlist(parent: Node): void {
  for (const node of Array.from(parent.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE) continue;
    if (node.nodeType !== Node.ELEMENT_NODE) {
      parent.removeChild(node); // comments, processing instructions, CDATA
      continue;
    }
    const el = node as Element;
    const name = el.localName;
    if (el.namespaceURI !== HTML_NS || DROP_WITH_CONTENT.has(name)) {
      el.remove();
      continue;
    }
    enforceAllowlist(el);
    if (!ALLOWED.has(name)) {
      el.replaceWith(...Array.from(el.childNodes));
      continue;
    }
    for (const attr of Array.from(el.attributes)) {
      if (!(name === 'a' && attr.name === 'href')) el.removeAttribute(attr.name);
    }
    if (name === 'a') secureLink(el);
  }
}

const ENTITY = /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|(amp|lt|gt|quot|apos|nbsp));/gi;
const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** Last resort: no parser at all. The text, in paragraphs, as text nodes. Every regex is linear. */
function appendPlainText(holder: Element, html: string): void {
  const text = html
    .replace(/<(script|style)\b[^<>]*>[^<]*<\/\1\s*>/gi, '')
    .replace(/<br\b[^<>]*>/gi, '\n')
    .replace(
      /<\/?(?:p|div|li|ul|ol|h[1-6]|blockquote|tr|table|section|article|header|footer)\b[^<>]*>/gi,
      '\n\n',
    )
    .replace(/<[^<>]*>/g, '')
    .replace(ENTITY, (_m, dec?: string, hex?: string, name?: string) => {
      if (name) return NAMED[name.toLowerCase()] ?? '';
      const cp = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
      return cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\uFFFD';
    });
  const doc = holder.ownerDocument;
  for (const paragraph of normalizeText(text, { multiline: true }).split(/\n{2,}/)) {
    if (paragraph === '') continue;
    const p = doc.createElement('p');
    paragraph.split('\n').forEach((line, i) => {
      if (i > 0) p.append(doc.createElement('br'));
      p.append(doc.createTextNode(line));
    });
    holder.append(p);
  }
}
