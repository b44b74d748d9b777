/**
 * The channel between a tier-I shell on the host page (`CitaFrameElement`) and the frame it
 * creates on the backend's own origin (`/frame/{business}/{element}`). See docs/frames.md for the
 * sequence diagram and the reasoning.
 *
 * The handshake:
 * 1. The shell draws a random nonce and loads the frame at
 *    `{endpoint}/frame/{business}/{element}#origin={host origin}&nonce={nonce}&lang={lang}`.
 *    The fragment never reaches the server or its logs.
 * 2. The frame refuses to go on unless it is framed and the claimed origin is one of the
 *    business's allowed origins (the server writes them into the page). It creates a
 *    `MessageChannel` and posts `{type: 'cita-frame-hello', v: 1, nonce}` with one port to
 *    `window.parent`, with `targetOrigin` set to that exact origin: if the real parent is any
 *    other origin, the browser drops the message, so a lying fragment gets nothing.
 * 3. The shell accepts the port only from a message whose `source` is its own iframe's window,
 *    whose `origin` is exactly the endpoint's origin, whose data parses as a hello, whose nonce
 *    is its own and which carries exactly one port. Messages from other windows are not ours and
 *    are ignored; anything else from its frame is dropped and logged.
 * 4. From then on every message travels on the port and is parsed with the schemas below, both
 *    ways. A message that does not parse is dropped and logged (without echoing its data).
 *    Nothing is ever posted to `"*"`.
 *
 * What crosses is harmless by construction: sizes, an allowlisted event name with an id-only
 * detail, validated theme values and a language tag. Secrets (session tokens, passwords, codes)
 * and personal data never leave the frame: the host page's scripts share the shell's realm and
 * can see everything the shell sees.
 *
 * The schemas and checks are DOM-free (tested in Node); the two ends are `FrameHostChannel` (the
 * shell) and `connectToHost` (the frame).
 */
import * as z from 'zod/mini';

/** The handshake message type. */
export const HELLO_TYPE = 'cita-frame-hello';
/** Protocol version carried by the hello. */
export const FRAME_PROTOCOL_VERSION = 1;
/** Largest height the frame may ask for, in CSS pixels. */
export const MAX_FRAME_HEIGHT = 100_000;
/** Longest theme value accepted, in UTF-16 code units. */
export const MAX_THEME_VALUE_LENGTH = 200;
/** Most theme tokens in one message. */
export const MAX_THEME_TOKENS = 64;

/* ------------------------------------------------------------------------------------------------
 * Values
 * --------------------------------------------------------------------------------------------- */

/** 128 random bits, base64url (22 characters); accepted up to 64 characters. */
const NONCE = /^[A-Za-z0-9_-]{22,64}$/;
/** A BCP 47-shaped tag: `es`, `es-MX`, `zh-Hant-TW`. */
const LANG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,6}$/;
/** A forwarded attribute (`a.{name}` in the fragment): an id, a slug or a time zone, never free text. */
const ATTR_NAME = /^[a-z][a-z-]{0,31}$/;
const ATTR_VALUE = /^[A-Za-z0-9_.:/+-]{1,64}$/;
const MAX_ATTRS = 8;
/** Cita's own event names. */
const EVENT_NAME = /^cita-[a-z][a-z0-9-]{0,46}$/;
/** Detail keys: camelCase identifiers. */
const DETAIL_KEY = /^[a-z][A-Za-z0-9]{0,31}$/;
/** Detail strings: ids and codes only (no spaces, no `@`): nothing shaped like a name or an email. */
const DETAIL_STRING = /^[A-Za-z0-9_.:-]{0,64}$/;
/** Theme token names. */
const TOKEN_NAME = /^--cita-[a-z0-9]+(?:-[a-z0-9]+){0,8}$/;
/** CSS functions a theme value may call: colours and arithmetic, nothing that fetches or reads. */
const THEME_FUNCTIONS = new Set([
  'rgb',
  'rgba',
  'hsl',
  'hsla',
  'hwb',
  'lab',
  'lch',
  'oklab',
  'oklch',
  'color',
  'color-mix',
  'light-dark',
  'calc',
  'min',
  'max',
  'clamp',
  'var',
]);

/**
 * Whether `value` may be forwarded as the value of a `--cita-*` custom property into the frame.
 * Rules, each for a reason:
 * - at most {@link MAX_THEME_VALUE_LENGTH} characters, not empty: a theme value is short;
 * - no `;`, `{`, `}`, `<`, `>`, `\`, `!`, `@`, control characters, or comments: nothing that could
 *   end the declaration, open a rule, escape characters into something else or add `!important`;
 * - quotes balanced (font names);
 * - functions only from a colour and arithmetic allowlist: no `url()`, `image-set()`, `src()`,
 *   `attr()`, `env()`, nothing that loads a resource or reads the frame's document.
 */
export function isSafeThemeValue(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const v = value.trim();
  if (v === '' || v.length > MAX_THEME_VALUE_LENGTH) return false;
  if (/[;{}<>\\!@\u0000-\u001f\u007f-\u009f\u2028\u2029]|\/\*/.test(v)) return false;
  if ((v.match(/"/g)?.length ?? 0) % 2 || (v.match(/'/g)?.length ?? 0) % 2) return false;
  for (const m of v.matchAll(/([A-Za-z-][A-Za-z0-9-]*)?\(/g)) {
    if (!m[1] || !THEME_FUNCTIONS.has(m[1].toLowerCase())) return false;
  }
  return true;
}

/** Whether `value` is an exact `http:`/`https:` origin (scheme, host, optional port). */
export function isExactOrigin(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 300) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

/** A fresh nonce: 128 bits from the platform's CSPRNG, base64url. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/* ------------------------------------------------------------------------------------------------
 * Messages
 * --------------------------------------------------------------------------------------------- */

/*
 * Written with the zod/mini pieces the host bundle already carries for the contract (`object`,
 * `string`, `number`, `custom`, checks): the shell's chunk then adds no zod code to the
 * first view. `exact` refuses unknown keys (zod's `object` would strip them).
 */

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** An object with exactly the keys of `shape` (optional ones may be missing), each parsing. */
function exact<S extends Record<string, z.ZodMiniType>>(shape: S) {
  const schema = z.object(shape);
  const keys = new Set(Object.keys(shape));
  return z.custom<z.infer<typeof schema>>(
    (v) => isRecord(v) && Object.keys(v).every((k) => keys.has(k)) && schema.safeParse(v).success,
  );
}

/** Exactly the string `value`. */
const literal = <const T extends string | number>(value: T) => z.custom<T>((v) => v === value);

/** A plain object of at most `max` entries whose keys match `key` and whose values pass `value`. */
function record<V>(key: RegExp, value: (v: unknown) => v is V, max: number) {
  return z.custom<Record<string, V>>(
    (v) =>
      isRecord(v) &&
      Object.keys(v).length <= max &&
      Object.entries(v).every(([k, x]) => key.test(k) && value(x)),
  );
}

/** One of `schemas`, chosen by the `type` field. */
function byType<T extends { type: string }>(schemas: Record<T['type'], z.ZodMiniType<T>>) {
  return z.custom<T>((v) => {
    if (!isRecord(v) || typeof v.type !== 'string' || !Object.hasOwn(schemas, v.type)) return false;
    return (schemas as Record<string, z.ZodMiniType>)[v.type]!.safeParse(v).success;
  });
}

const Nonce = z.string().check(z.regex(NONCE));
const Lang = z.string().check(z.maxLength(35), z.regex(LANG));
const Height = z.number().check(z.refine((v) => Number.isInteger(v) && v >= 0 && v <= MAX_FRAME_HEIGHT));

/** The frame's first message, posted to `window.parent` with one `MessagePort`. */
export const FrameHello = exact({
  type: literal(HELLO_TYPE),
  v: literal(FRAME_PROTOCOL_VERSION),
  nonce: Nonce,
});
export type FrameHello = z.infer<typeof FrameHello>;

const isDetailValue = (v: unknown): v is string | number | boolean =>
  typeof v === 'boolean' ||
  (typeof v === 'number' && Number.isFinite(v)) ||
  (typeof v === 'string' && DETAIL_STRING.test(v));

/** An event detail: a few id-like values, never free text. */
export const FrameEventDetail = record(DETAIL_KEY, isDetailValue, 8);

const Ready = exact({ type: literal('ready') });
const Resize = exact({ type: literal('resize'), height: Height });
const FrameEvent = exact({
  type: literal('event'),
  name: z.string().check(z.regex(EVENT_NAME)),
  detail: FrameEventDetail,
});

/**
 * Frame to host, on the port: `ready` (the element has rendered with the theme applied: the shell
 * may show the frame), `resize` (the content height in CSS pixels), `event` (for the shell to
 * re-emit if its element allows the name).
 */
export type FrameToHost = z.infer<typeof Ready> | z.infer<typeof Resize> | z.infer<typeof FrameEvent>;
export const FrameToHost = byType<FrameToHost>({ ready: Ready, resize: Resize, event: FrameEvent });

const isTokenValue = (v: unknown): v is string => isSafeThemeValue(v);

/** Theme values for the frame's root: `--cita-*` custom properties. */
export const ThemeTokens = record(TOKEN_NAME, isTokenValue, MAX_THEME_TOKENS);
export type ThemeTokens = z.infer<typeof ThemeTokens>;

export type ColorScheme = 'auto' | 'light' | 'dark';
export const ColorScheme = z.custom<ColorScheme>((v) => v === 'auto' || v === 'light' || v === 'dark');

const Theme = exact({ type: literal('theme'), tokens: ThemeTokens, scheme: ColorScheme });
const LangMessage = exact({ type: literal('lang'), lang: Lang });

/** Host to frame, on the port: `theme` (validated tokens and the colour scheme), `lang`. */
export type HostToFrame = z.infer<typeof Theme> | z.infer<typeof LangMessage>;
export const HostToFrame = byType<HostToFrame>({ theme: Theme, lang: LangMessage });

/** Keeps only the tokens whose name and value pass, so one bad value does not drop the theme. */
export function filterThemeTokens(tokens: Record<string, string>): ThemeTokens {
  const out: ThemeTokens = {};
  for (const [name, value] of Object.entries(tokens)) {
    if (Object.keys(out).length >= MAX_THEME_TOKENS) break;
    if (TOKEN_NAME.test(name) && isSafeThemeValue(value)) out[name] = value.trim();
  }
  return out;
}

/* ------------------------------------------------------------------------------------------------
 * The frame URL and its fragment
 * --------------------------------------------------------------------------------------------- */

export interface FrameFragment {
  /** The host page's origin, as the shell states it. */
  origin: string;
  nonce: string;
  lang?: string;
  /**
   * The shell's own attributes for the element in the frame (e.g. the booking form's `service` and
   * `time-zone`): names and values of ids only; the frame applies those its element allows.
   */
  attributes?: Record<string, string>;
}

/** `{endpoint}/frame/{business}/{element}#origin=..&nonce=..&lang=..`. */
export function frameUrl(
  endpoint: string,
  business: string,
  element: string,
  fragment: FrameFragment,
): string {
  const url = new URL(
    `frame/${encodeURIComponent(business)}/${encodeURIComponent(element)}`,
    endpoint.replace(/\/?$/, '/'),
  );
  const params = new URLSearchParams({ origin: fragment.origin, nonce: fragment.nonce });
  if (fragment.lang && LANG.test(fragment.lang)) params.set('lang', fragment.lang);
  for (const [name, value] of Object.entries(fragment.attributes ?? {}).slice(0, MAX_ATTRS))
    if (ATTR_NAME.test(name) && ATTR_VALUE.test(value)) params.set(`a.${name}`, value);
  url.hash = params.toString();
  return url.href;
}

/** The fragment the frame was loaded with, or undefined when it is missing or malformed. */
export function parseFrameFragment(hash: string): FrameFragment | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const origin = params.get('origin');
  const nonce = params.get('nonce');
  const lang = params.get('lang');
  if (!isExactOrigin(origin) || nonce === null || !NONCE.test(nonce)) return undefined;
  const attributes: Record<string, string> = {};
  for (const [key, value] of params)
    if (key.startsWith('a.') && ATTR_NAME.test(key.slice(2)) && ATTR_VALUE.test(value))
      attributes[key.slice(2)] = value;
  return {
    origin,
    nonce,
    ...(lang !== null && LANG.test(lang) ? { lang } : {}),
    ...(Object.keys(attributes).length ? { attributes } : {}),
  };
}

/* ------------------------------------------------------------------------------------------------
 * Host end
 * --------------------------------------------------------------------------------------------- */

/** What the shell expects of the hello. */
export interface HelloExpectation {
  /** The iframe's `contentWindow`. */
  source: MessageEventSource | null;
  /** The endpoint's exact origin. */
  origin: string;
  nonce: string;
}

/** Why a hello was not accepted. `foreign`: another window's message, not ours to judge. */
export type HelloRefusal = 'foreign' | 'origin' | 'malformed' | 'nonce';

/** The port from a hello that meets every expectation, or the reason it does not. */
export function checkHello(
  event: Pick<MessageEvent, 'source' | 'origin' | 'data' | 'ports'>,
  expect: HelloExpectation,
): { port: MessagePort } | { refused: HelloRefusal } {
  if (!expect.source || event.source !== expect.source) return { refused: 'foreign' };
  if (event.origin !== expect.origin) return { refused: 'origin' };
  const hello = FrameHello.safeParse(event.data);
  if (!hello.success || event.ports.length !== 1) return { refused: 'malformed' };
  if (hello.data.nonce !== expect.nonce) return { refused: 'nonce' };
  return { port: event.ports[0]! };
}

function dropped(side: string, what: string): void {
  // The message itself is never echoed: it is untrusted and may be large.
  console.warn(`[cita] ${side}: dropped ${what}`);
}

export interface FrameHostChannelOptions extends HelloExpectation {
  /** Window whose `message` events carry the hello (the shell's own). */
  window: Window;
  onConnect(): void;
  onMessage(message: FrameToHost): void;
}

/**
 * The shell's end: waits for the hello, then holds the port in a private field (not reachable
 * from the element or the page) and exchanges validated messages over it.
 */
export class FrameHostChannel {
  #port?: MessagePort;
  readonly #options: FrameHostChannelOptions;
  readonly #onWindowMessage = (event: MessageEvent) => this.#hello(event);

  constructor(options: FrameHostChannelOptions) {
    this.#options = options;
    // Our hello stops here: page listeners added on `window` after this one never see it (those
    // added before do: they see a type, a version, the nonce and the port, and what crosses on
    // that port is harmless by design).
    options.window.addEventListener('message', this.#onWindowMessage, true);
  }

  get connected(): boolean {
    return this.#port !== undefined;
  }

  /** Sends a message to the frame once connected; a message that does not parse is not sent. */
  send(message: HostToFrame): boolean {
    if (!this.#port || !HostToFrame.safeParse(message).success) return false;
    this.#port.postMessage(message);
    return true;
  }

  close(): void {
    this.#options.window.removeEventListener('message', this.#onWindowMessage, true);
    this.#port?.close();
    this.#port = undefined;
  }

  #hello(event: MessageEvent): void {
    const result = checkHello(event, this.#options);
    if ('refused' in result) {
      if (result.refused !== 'foreign') {
        event.stopImmediatePropagation();
        dropped('frame handshake', `a message from the frame (${result.refused})`);
      }
      return;
    }
    event.stopImmediatePropagation();
    this.#options.window.removeEventListener('message', this.#onWindowMessage, true);
    const port = result.port;
    this.#port = port;
    port.onmessage = (e) => {
      const parsed = FrameToHost.safeParse(e.data);
      if (parsed.success) this.#options.onMessage(parsed.data);
      else dropped('frame channel', 'a message that does not match the protocol');
    };
    port.onmessageerror = () => dropped('frame channel', 'a message that could not be deserialised');
    this.#options.onConnect();
  }
}

/* ------------------------------------------------------------------------------------------------
 * Frame end
 * --------------------------------------------------------------------------------------------- */

export interface ConnectOptions {
  /** `location.hash` of the frame. */
  hash: string;
  /** The business's allowed origins, as the server wrote them into the page. */
  allowedOrigins: readonly string[];
  /** `window.parent` (the frame refuses when it is not framed). */
  parent: Window | null;
  /** `window` itself. */
  self: Window;
  /** `location.ancestorOrigins` where the browser has it (Chromium, Safari). */
  ancestorOrigins?: ArrayLike<string>;
  onMessage(message: HostToFrame): void;
}

/** The frame's end of an open channel. */
export interface FrameChannel {
  /** The host's origin (checked against the allowlist). */
  readonly origin: string;
  /** The language the shell asked for in the fragment, if any. */
  readonly lang?: string;
  /** The shell's attributes for the element, from the fragment (checked, not yet allowlisted). */
  readonly attributes?: Record<string, string>;
  send(message: FrameToHost): boolean;
  close(): void;
}

export type ConnectRefusal = 'not-framed' | 'fragment' | 'origin-not-allowed' | 'ancestor-mismatch';

/**
 * Opens the channel from inside the frame: checks the fragment and the allowlist, then posts the
 * hello and a port to the parent at exactly the claimed origin.
 */
export function connectToHost(options: ConnectOptions): FrameChannel | { refused: ConnectRefusal } {
  const { parent, self } = options;
  if (!parent || parent === self) return { refused: 'not-framed' };
  const fragment = parseFrameFragment(options.hash);
  if (!fragment) return { refused: 'fragment' };
  if (!options.allowedOrigins.includes(fragment.origin)) return { refused: 'origin-not-allowed' };
  // Where the browser tells us the parent's origin, it must be the one claimed. (Chromium reports
  // "null" under some referrer policies: that says nothing, and targetOrigin still holds.)
  const direct = options.ancestorOrigins?.[0];
  if (direct !== undefined && direct !== 'null' && direct !== fragment.origin)
    return { refused: 'ancestor-mismatch' };

  const { port1, port2 } = new MessageChannel();
  port1.onmessage = (e) => {
    const parsed = HostToFrame.safeParse(e.data);
    if (parsed.success) options.onMessage(parsed.data);
    else dropped('frame channel', 'a message that does not match the protocol');
  };
  port1.onmessageerror = () => dropped('frame channel', 'a message that could not be deserialised');
  const hello: FrameHello = { type: HELLO_TYPE, v: FRAME_PROTOCOL_VERSION, nonce: fragment.nonce };
  parent.postMessage(hello, fragment.origin, [port2]);
  let open = true;
  return {
    origin: fragment.origin,
    ...(fragment.lang ? { lang: fragment.lang } : {}),
    ...(fragment.attributes ? { attributes: fragment.attributes } : {}),
    send(message) {
      if (!open || !FrameToHost.safeParse(message).success) return false;
      port1.postMessage(message);
      return true;
    },
    close() {
      open = false;
      port1.close();
    },
  };
}
