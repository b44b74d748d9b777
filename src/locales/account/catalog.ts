import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AccountStrings } from './strings.js';

/**
 * Loads the account catalog of the host element's language (`es-MX` -> `es` -> `en`), lazily like
 * the booking flow's, and re-loads it when the host's locale changes. `ready` says whether `t`
 * matches the host's current language.
 */
const loaders: Record<string, () => Promise<AccountStrings>> = {
  en: () => import('./en.js').then((m) => m.en),
  es: () => import('./es.js').then((m) => m.es),
};
const cache: Record<string, AccountStrings> = {};
const loading: Record<string, Promise<AccountStrings>> = {};

export function accountCatalogKey(locale: string): string {
  const tag = locale.toLowerCase();
  const base = tag.split('-')[0]!;
  for (const key of [tag, base]) if (loaders[key]) return key;
  return 'en';
}

export function loadAccountStrings(locale: string): Promise<AccountStrings> {
  const key = accountCatalogKey(locale);
  if (cache[key]) return Promise.resolve(cache[key]);
  return (loading[key] ??= loaders[key]!().then((s) => (cache[key] = s)));
}

export class AccountStringsController implements ReactiveController {
  t?: AccountStrings;
  #key?: string;
  /** Resolves once `t` is the catalog of the latest requested locale. */
  loaded: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly locale: () => string,
  ) {
    host.addController(this);
  }

  get ready(): boolean {
    return this.t !== undefined && this.#key === accountCatalogKey(this.locale());
  }

  hostUpdate(): void {
    this.sync();
  }

  hostConnected(): void {
    this.sync();
  }

  /** Starts loading the catalog of the host's current locale when it is not the one held. */
  sync(): void {
    const key = accountCatalogKey(this.locale());
    if (key === this.#key) return;
    this.#key = key;
    const cached = cache[key];
    if (cached) {
      this.t = cached;
      return;
    }
    this.loaded = loadAccountStrings(key).then(
      (s) => {
        if (this.#key !== key) return;
        this.t = s;
        this.host.requestUpdate();
      },
      (err: unknown) => {
        console.error('[cita] could not load the account strings', err);
        if (key !== 'en')
          return loadAccountStrings('en').then((s) => ((this.t = s), this.host.requestUpdate()));
      },
    );
  }
}
