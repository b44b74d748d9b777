import { css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CitaElement } from './cita-element.js';
import { getConfig } from './config.js';
import { emit } from './events.js';
import {
  FrameHostChannel,
  filterThemeTokens,
  frameUrl,
  newNonce,
  type ColorScheme,
  type FrameToHost,
} from './frame-channel.js';
import { safeUrl } from './url.js';

/** Global tokens every frame element forwards (element hooks are added by subclasses). */
export const GLOBAL_THEME_TOKENS: readonly string[] = [
  '--cita-color-accent',
  '--cita-color-accent-dark',
  '--cita-color-on-accent',
  '--cita-color-on-accent-dark',
  '--cita-color-danger',
  '--cita-color-danger-dark',
  '--cita-color-surface',
  '--cita-color-surface-dark',
  '--cita-color-text',
  '--cita-color-text-dark',
  '--cita-font-family',
  '--cita-radius',
];

/** How long the frame has, after its page has loaded, to open the channel. */
const HANDSHAKE_TIMEOUT_MS = 5000;
/** How long the frame's page has to load at all. */
const LOAD_TIMEOUT_MS = 20000;

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

type FrameStatus = 'idle' | 'loading' | 'ready' | 'error';

/**
 * The base of every tier-I shell on the host page: the element's UI runs in an iframe served by
 * the backend at `/frame/{business}/{element}` on its own origin, which the host page's scripts
 * cannot read. The shell creates that frame, opens the channel (src/core/frame-channel.ts),
 * sizes the frame to its content, forwards validated `--cita-*` theme values, the colour scheme
 * and the language, and re-emits the events its subclass allows. It never sees what happens
 * inside: no personal data and no secret crosses to the host.
 *
 * The port is held in a private field of a private object: nothing on the element exposes it.
 *
 * Subclasses set `static frameName` (the `{element}` of the path), `static frameEvents` (the
 * event names the frame may ask for), optionally `static themeTokens` (their own hooks), and
 * implement `frameTitle()`.
 *
 * @csspart frame - The iframe.
 * @csspart message - The notice shown when the frame cannot be loaded.
 * @csspart button - The retry button.
 *
 * @cssproperty --cita-frame-initial-block-size - Height reserved until the frame reports its own (match it to the content to avoid any layout shift).
 *
 * @cssstate loading - Until the frame has rendered.
 * @cssstate ready - The frame is connected and shown.
 * @cssstate error - The frame could not be loaded or refused to connect.
 *
 * @event cita-ready - `detail: { business }` when the frame has rendered.
 * @event cita-error - `detail: { code: 'frame' }` when the frame cannot be loaded or refuses to connect.
 */
export abstract class CitaFrameElement extends CitaElement {
  /** The element's name in the frame path, `/frame/{business}/{frameName}`. */
  static frameName = '';
  /** Event names the frame may ask this shell to emit (each carries ids only). */
  static frameEvents: readonly string[] = [];
  /** The element's own `--cita-<element>-*` hooks to forward, besides the global tokens. */
  static themeTokens: readonly string[] = [];

  static override styles = [
    CitaElement.styles,
    css`
      :host {
        display: block;
      }
      iframe {
        display: block;
        inline-size: 100%;
        block-size: var(--cita-frame-initial-block-size, var(--_initial-block-size, 16rem));
        border: 0;
        margin: 0;
        padding: 0;
        background: transparent;
        color-scheme: light dark;
      }
      iframe.pending {
        visibility: hidden;
      }
      :host([theme='light']) iframe {
        color-scheme: light;
      }
      :host([theme='dark']) iframe {
        color-scheme: dark;
      }
      [part='message'] {
        margin: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      button {
        min-block-size: 2.5rem;
        padding: 0.375rem 1rem;
        border: 1px solid currentColor;
        border-radius: var(--cita-radius, 0.5rem);
        background: transparent;
        color: inherit;
        font: inherit;
        cursor: pointer;
      }
    `,
  ];

  /** Backend base URL; defaults to the configured one. */
  @property() endpoint = '';
  /** Business slug; defaults to the configured one. */
  @property() business = '';
  /** Colour scheme: `light`, `dark`, or `auto` (follows `prefers-color-scheme`). */
  @property({ reflect: true }) theme: ColorScheme = 'auto';

  @state() private status: FrameStatus = 'idle';

  /** The current iframe: replaced (a fresh document, a fresh nonce) on every restart. */
  #iframe?: HTMLIFrameElement;
  #channel?: FrameHostChannel;
  #timer?: ReturnType<typeof setTimeout>;
  #sentLang = '';

  /** The iframe's accessible name, in the element's language. */
  protected abstract frameTitle(): string;

  /** Attributes for the element in the frame (ids only; the frame applies those its element allows). */
  protected frameAttributes(): Record<string, string> {
    return {};
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // A (re)connected element always starts with a new frame: moving an iframe reloads it.
    this.#restart();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop();
  }

  /** Reads the `--cita-*` values again and sends them to the frame (after changing the page's CSS). */
  refreshTheme(): void {
    this.#sendTheme();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('endpoint') || changed.has('business')) && this.hasUpdated) this.#restart();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('theme') && this.#channel?.connected) this.#sendTheme();
    const lang = this.i18n.locale;
    if (this.#channel?.connected && lang !== this.#sentLang) {
      this.#sentLang = lang;
      this.#channel.send({ type: 'lang', lang });
    }
    if (this.#iframe) this.#iframe.title = this.frameTitle();
    this.setState('loading', this.status === 'loading');
    this.setState('ready', this.status === 'ready');
    this.setState('error', this.status === 'error');
  }

  #target(): { endpoint: string; business: string } | undefined {
    const config = getConfig();
    const endpoint = safeUrl(this.endpoint || config.endpoint || '', { allow: ['https:', 'http-loopback'] });
    const business = this.business || config.business || '';
    const name = (this.constructor as typeof CitaFrameElement).frameName;
    if (!endpoint || !SLUG.test(business) || !SLUG.test(name)) return undefined;
    return { endpoint, business };
  }

  #restart(): void {
    this.#stop();
    const target = this.#target();
    this.#iframe = undefined;
    if (!target) {
      this.status = 'error';
      console.warn('[cita] a frame element needs an https: endpoint and a business');
      return;
    }
    const nonce = newNonce();
    const name = (this.constructor as typeof CitaFrameElement).frameName;
    this.#sentLang = this.i18n.locale;
    const src = frameUrl(target.endpoint, target.business, name, {
      origin: location.origin,
      nonce,
      lang: this.#sentLang,
      attributes: this.frameAttributes(),
    });
    // Created here rather than in a template, so that a restart is a new element (a new
    // document) and its height is set through the CSSOM (allowed under a strict CSP).
    const iframe = document.createElement('iframe');
    iframe.setAttribute('part', 'frame');
    iframe.className = 'pending';
    if (this.i18n.ready) iframe.title = this.frameTitle();
    iframe.allow = frameAllow(src);
    iframe.referrerPolicy = 'no-referrer';
    iframe.addEventListener('load', () => this.#onLoad());
    iframe.src = src;
    this.#iframe = iframe;
    this.status = 'loading';
    this.#channel = new FrameHostChannel({
      window,
      // The iframe's window exists once it is in the document: read it when a message arrives.
      get source() {
        return iframe.contentWindow;
      },
      origin: new URL(target.endpoint).origin,
      nonce,
      onConnect: () => this.#onConnect(),
      onMessage: (m) => this.#onMessage(m),
    });
    this.#arm(LOAD_TIMEOUT_MS);
  }

  #stop(): void {
    this.#channel?.close();
    this.#channel = undefined;
    clearTimeout(this.#timer);
  }

  #arm(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#fail(), ms);
  }

  #fail(): void {
    if (this.status === 'ready') return;
    this.#stop();
    this.status = 'error';
    emit(this, 'cita-error', { code: 'frame' });
  }

  #onLoad(): void {
    if (this.status === 'loading' && !this.#channel?.connected) this.#arm(HANDSHAKE_TIMEOUT_MS);
  }

  #onConnect(): void {
    this.#arm(HANDSHAKE_TIMEOUT_MS);
    this.#sendTheme();
  }

  #onMessage(message: FrameToHost): void {
    switch (message.type) {
      case 'resize':
        if (this.#iframe) this.#iframe.style.blockSize = `${message.height}px`;
        break;
      case 'ready':
        if (this.status !== 'loading') break;
        clearTimeout(this.#timer);
        this.status = 'ready';
        this.#iframe?.classList.remove('pending');
        emit(this, 'cita-ready', { business: this.#target()?.business ?? '' });
        break;
      case 'event': {
        const allowed = (this.constructor as typeof CitaFrameElement).frameEvents;
        if (!allowed.includes(message.name)) {
          console.warn('[cita] frame channel: dropped an event this element does not relay');
          break;
        }
        relay(this, message.name, message.detail);
        break;
      }
    }
  }

  #sendTheme(): void {
    if (!this.#channel?.connected) return;
    const style = getComputedStyle(this);
    const names = [...GLOBAL_THEME_TOKENS, ...(this.constructor as typeof CitaFrameElement).themeTokens];
    const raw: Record<string, string> = {};
    for (const name of names) {
      const value = style.getPropertyValue(name).trim();
      if (value) raw[name] = value;
    }
    // The frame inherits nothing from the page: hand it the page's font and colour by default.
    raw['--cita-font-family'] ??= style.fontFamily;
    raw['--cita-color-text'] ??= style.color;
    this.#channel.send({ type: 'theme', tokens: filterThemeTokens(raw), scheme: this.theme });
  }

  #retry(): void {
    this.#restart();
  }

  protected override render() {
    if (this.status === 'error')
      return html`<p part="message" role="alert">
        ${this.i18n.t.frameUnavailable}
        <button part="button" type="button" @click=${this.#retry}>${this.i18n.t.retry}</button>
      </p>`;
    return this.#iframe ?? nothing;
  }
}

/** Re-emits an event the frame asked for (name and detail already checked), as Cita's events are. */
function relay(target: EventTarget, name: string, detail: Record<string, unknown>): void {
  target.dispatchEvent(new CustomEvent(name, { detail: { ...detail }, bubbles: true, composed: true }));
}

/** Passkeys inside the frame, delegated to the frame's own origin only. */
function frameAllow(src: string): string {
  const origin = new URL(src).origin;
  return `publickey-credentials-get ${origin}; publickey-credentials-create ${origin}`;
}
