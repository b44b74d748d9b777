/**
 * The frame bundle's entry (`dist/frame/frame-[hash].js`), loaded by the pages the backend serves
 * at `/frame/{business}/{element}` on its own origin. It opens the channel to the shell on the
 * host page (src/core/frame-channel.ts), then loads and renders the one element named by the path
 * once the first theme has arrived, and keeps the shell informed of its height.
 *
 * Opened top-level (not framed: an emailed link, a popup), the element renders with the default
 * theme and no channel.
 */
import { ALLOWED_ORIGINS_META, isFrameElement, type FrameElementName } from '../api/frame-contract.js';
import { configure } from '../core/config.js';
import {
  connectToHost,
  type FrameChannel,
  type HostToFrame,
  type ThemeTokens,
} from '../core/frame-channel.js';

interface FrameElementEntry {
  /** The tag the element registers. */
  tag: string;
  /** Imports the chunk that registers it. */
  load: () => Promise<unknown>;
  /**
   * The element's DOM events relayed to the shell (which re-emits those its own `frameEvents`
   * allow). Their details must carry ids only: the channel refuses free text anyway.
   */
  events: readonly string[];
  /** The shell's attributes (from the frame URL's fragment) this element takes. */
  attributes?: readonly string[];
  /** A property set to the host page's origin (checked by the handshake), for the element's records. */
  hostOrigin?: string;
}

const ELEMENTS: Record<FrameElementName, FrameElementEntry> = {
  probe: { tag: 'cita-frame-probe', load: () => import('./define-probe.js'), events: [] },
  account: {
    tag: 'cita-account',
    load: () => import('./define-account.js'),
    events: ['cita-signed-in', 'cita-signed-out', 'cita-booking-cancelled'],
  },
  // The invoice viewer on its own (issue 10); it shows the account's sign-in when needed.
  invoices: {
    tag: 'cita-invoice-viewer',
    load: () => import('./define-invoices.js'),
    events: ['cita-signed-in', 'cita-invoice-opened', 'cita-invoice-downloaded', 'cita-full-invoice-issued'],
  },
  'two-factor': {
    tag: 'cita-two-factor-prompt',
    load: () => import('./define-two-factor.js'),
    events: ['cita-two-factor-passed'],
  },
  // HIPAA mode: the booking flow runs here, its customer data never in the host page. The host
  // hears that a booking was made (ids only), not what or when: no service or time crosses.
  booking: {
    tag: 'cita-booking-form',
    load: () => import('./define-booking.js'),
    events: ['cita-booking-confirmed', 'cita-booking-held', 'cita-error'],
    attributes: ['service', 'time-zone'],
    // The consents record the site the customer booked on, not the frame's origin.
    hostOrigin: 'embeddingOrigin',
  },
  // Not framed: the window a passkey is created in where the browser refuses to in a frame.
  'passkey-popup': { tag: 'cita-passkey-popup', load: () => import('./define-passkey-popup.js'), events: [] },
};

const PAGE_STYLES = `
  html { color-scheme: light dark; }
  /* In a frame the shell sizes the iframe to the content; opened directly (an emailed reset
     link), the page scrolls as any page does. */
  html[data-framed] { overflow: hidden; }
  html[data-scheme='light'] { color-scheme: light; }
  html[data-scheme='dark'] { color-scheme: dark; }
  body {
    display: flow-root;
    margin: 0;
    background: transparent;
    color: var(--cita-color-text, CanvasText);
    font-family: var(--cita-font-family, system-ui, sans-serif);
  }
`;

const root = document.documentElement;
let channel: FrameChannel | undefined;
let element: HTMLElement | undefined;
let mounting: Promise<void> | undefined;
let appliedTokens: string[] = [];
let lastHeight = -1;

function pathParts(): { endpoint: string; business: string; element: string } | undefined {
  const m = /^(.*)\/frame\/([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(location.pathname);
  if (!m) return undefined;
  return { endpoint: location.origin + m[1], business: m[2]!, element: m[3]! };
}

function applyTheme(tokens: ThemeTokens, scheme: string): void {
  for (const name of appliedTokens) root.style.removeProperty(name);
  for (const [name, value] of Object.entries(tokens)) root.style.setProperty(name, value);
  appliedTokens = Object.keys(tokens);
  root.dataset.scheme = scheme;
  element?.setAttribute('theme', scheme);
}

function setLang(lang: string): void {
  root.lang = lang;
}

function reportHeight(): void {
  const height = Math.ceil(document.body.getBoundingClientRect().height);
  if (height === lastHeight) return;
  lastHeight = height;
  channel?.send({ type: 'resize', height });
}

function relay(event: Event): void {
  if (!channel) return; // opened directly: there is no host to tell
  const detail = (event as CustomEvent).detail ?? {};
  if (!channel?.send({ type: 'event', name: event.type, detail }))
    console.warn(`[cita] frame: not relayed: ${event.type} (its detail must carry ids only)`);
}

function mount({ tag, load, events, attributes = [], hostOrigin }: FrameElementEntry): Promise<void> {
  return (mounting ??= (async () => {
    await load();
    element = document.createElement(tag);
    for (const [name, value] of Object.entries(channel?.attributes ?? {}))
      if (attributes.includes(name)) element.setAttribute(name, value);
    if (hostOrigin && channel) Object.assign(element, { [hostOrigin]: channel.origin });
    for (const name of events) element.addEventListener(name, relay);
    if (root.dataset.scheme) element.setAttribute('theme', root.dataset.scheme);
    document.body.append(element);
    await (element as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete;
    new ResizeObserver(reportHeight).observe(document.body);
    reportHeight();
    channel?.send({ type: 'ready' });
  })());
}

function onHostMessage(message: HostToFrame, start: () => void): void {
  if (message.type === 'theme') {
    applyTheme(message.tokens, message.scheme);
    start();
  } else {
    setLang(message.lang);
  }
}

function main(): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(PAGE_STYLES);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

  const parts = pathParts();
  if (!parts || !isFrameElement(parts.element)) {
    console.warn('[cita] frame: unknown element');
    return;
  }
  configure({ endpoint: parts.endpoint, business: parts.business });
  const entry = ELEMENTS[parts.element];
  const start = () => void mount(entry).catch((err) => console.error('[cita] frame: could not load', err));

  const meta = document.querySelector<HTMLMetaElement>(`meta[name="${ALLOWED_ORIGINS_META}"]`);
  const result = connectToHost({
    hash: location.hash,
    allowedOrigins: (meta?.content ?? '').split(' ').filter(Boolean),
    parent: window.parent,
    self: window,
    ancestorOrigins: location.ancestorOrigins,
    onMessage: (m) => onHostMessage(m, start),
  });
  if (!('refused' in result)) {
    channel = result;
    root.dataset.framed = '';
    if (result.lang) setLang(result.lang);
    return;
  }
  if (result.refused === 'not-framed') {
    start();
    return;
  }
  // Framed by a page that is not on the allowlist, or without a valid fragment: nothing renders.
  console.warn(`[cita] frame: refused to connect (${result.refused})`);
}

main();
