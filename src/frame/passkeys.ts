/**
 * Passkeys in the browser, inside the frame (or /admin), with @simplewebauthn/browser loaded only
 * when a passkey is used.
 *
 * Signing in (`get()`) works in a cross-origin frame in every current browser. Creating one
 * (`create()`) does in Chrome and Firefox, not in Safari: there (and wherever `create()` in the
 * frame is refused) a small popup on the backend's own origin creates it and reports back.
 *
 * The popup, step by step (`registerInPopup` here, src/components/passkey-popup/ there):
 * 1. the frame opens `/frame/{business}/passkey-popup#nonce=<128 random bits>` (same origin,
 *    a top-level window; the click that opened it is the user activation it needs);
 * 2. the popup posts `{type:'cita-passkey-popup', v:1, nonce}` with a MessagePort to its opener,
 *    targeted at its own origin, so only a page of the backend can receive it;
 * 3. the frame accepts it only from the window it opened, from its own origin, with its nonce,
 *    and sends the creation options on the port; the popup creates the passkey on a click and
 *    sends the browser's answer (or an error name) back, then closes;
 * 4. the frame sends the answer to the server with its own session, as for an in-frame creation:
 *    the popup needs no session and holds nothing afterwards.
 * Every message is parsed with zod; nothing goes to `"*"`; the host page is not involved.
 */
import * as z from 'zod/mini';
import type {
  PasskeyAssertion,
  PasskeyCreationOptions,
  PasskeyRegistration,
  PasskeyRequestOptions,
} from '../api/two-factor-contract.js';

type Browser = typeof import('@simplewebauthn/browser');
let lib: Promise<Browser> | undefined;
const browser = () => (lib ??= import('@simplewebauthn/browser'));

export async function passkeysSupported(): Promise<boolean> {
  return (await browser()).browserSupportsWebAuthn();
}

/** `create()` here: the browser's answer, as JSON for the server. */
export async function createPasskey(options: PasskeyCreationOptions): Promise<PasskeyRegistration> {
  const { startRegistration } = await browser();
  return (await startRegistration({
    optionsJSON: options as Parameters<Browser['startRegistration']>[0]['optionsJSON'],
  })) as unknown as PasskeyRegistration;
}

/** `get()` here. */
export async function getPasskey(options: PasskeyRequestOptions): Promise<PasskeyAssertion> {
  const { startAuthentication } = await browser();
  return (await startAuthentication({
    optionsJSON: options as Parameters<Browser['startAuthentication']>[0]['optionsJSON'],
  })) as unknown as PasskeyAssertion;
}

/** The browser's error name, for wording: `NotAllowedError` (cancelled, timed out, or refused here)... */
export function passkeyErrorName(err: unknown): string {
  const e = err as { name?: unknown; cause?: { name?: unknown } } | null;
  const name = typeof e?.cause?.name === 'string' ? e.cause.name : e?.name;
  return typeof name === 'string' ? name : 'Error';
}

const framed = () => {
  try {
    return window.top !== window.self;
  } catch {
    return true;
  }
};

/**
 * Whether to create a passkey in the popup straight away: in a cross-origin frame of Safari
 * (WebKit refuses `create()` there, and sends no `topOrigin` to check). Elsewhere the frame tries
 * first and offers the popup when the browser refuses.
 */
export function popupFirst(userAgent = navigator.userAgent): boolean {
  const safari = /safari/i.test(userAgent) && !/chrome|chromium|crios|fxios|edg|android/i.test(userAgent);
  return framed() && safari;
}

/** A refusal that the popup can get around (the browser will not create a passkey in this frame). */
export const refusedInFrame = (err: unknown) =>
  framed() && ['NotAllowedError', 'SecurityError', 'NotSupportedError'].includes(passkeyErrorName(err));

/* ------------------------------------------------------------------------------------------------
 * The popup's protocol
 * --------------------------------------------------------------------------------------------- */

export const POPUP_ELEMENT = 'passkey-popup';

const Nonce = z.string().check(z.regex(/^[A-Za-z0-9_-]{22}$/));
export const PopupHello = z.strictObject({
  type: z.literal('cita-passkey-popup'),
  v: z.literal(1),
  nonce: Nonce,
});
export const PopupRequest = z.strictObject({ type: z.literal('options'), options: z.looseObject({}) });
export const PopupAnswer = z.union([
  z.strictObject({ type: z.literal('result'), response: z.looseObject({}) }),
  z.strictObject({ type: z.literal('error'), name: z.string().check(z.maxLength(64)) }),
]);

export const newNonce = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
};

export class PopupError extends Error {
  override name = 'PopupError';
  constructor(readonly reason: 'blocked' | 'closed' | 'refused') {
    super(`passkey popup: ${reason}`);
  }
}

/**
 * Create a passkey in a popup on this origin (see the header). Call from a click. Rejects with
 * `PopupError('blocked')` when the window cannot open, `'closed'` when it is closed first, or the
 * browser's error name (`'refused'`, `.cause`) when the creation failed there.
 */
export function registerInPopup(
  options: PasskeyCreationOptions,
  business: string,
): Promise<PasskeyRegistration> {
  const nonce = newNonce();
  const url = `${location.origin}/frame/${encodeURIComponent(business)}/${POPUP_ELEMENT}#nonce=${nonce}`;
  const popup = window.open(url, `cita-passkey-${nonce}`, 'popup,width=480,height=640');
  if (!popup) return Promise.reject(new PopupError('blocked'));
  return new Promise((resolve, reject) => {
    let port: MessagePort | undefined;
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      window.removeEventListener('message', onHello);
      clearInterval(watch);
      port?.close();
      if (!popup.closed) popup.close();
      fn();
    };
    const onHello = (event: MessageEvent) => {
      if (event.source !== popup || event.origin !== location.origin || port) return;
      const hello = PopupHello.safeParse(event.data);
      if (!hello.success || hello.data.nonce !== nonce || event.ports.length !== 1) return;
      port = event.ports[0]!;
      port.onmessage = (m) => {
        const parsed = PopupAnswer.safeParse(m.data);
        if (!parsed.success) return;
        const answer = parsed.data;
        if (answer.type === 'result') finish(() => resolve(answer.response as PasskeyRegistration));
        else {
          const error = new PopupError('refused');
          (error as { cause?: unknown }).cause = { name: answer.name };
          finish(() => reject(error));
        }
      };
      port.postMessage({ type: 'options', options });
    };
    window.addEventListener('message', onHello);
    // Closed by the person: give a last answer already on its way the time to arrive.
    const watch = setInterval(() => {
      if (popup.closed) setTimeout(() => finish(() => reject(new PopupError('closed'))), 300);
    }, 400);
  });
}
