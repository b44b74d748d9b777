import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * A string catalog loaded lazily per language (`es-MX` -> `es` -> `en`), for the elements that
 * only the frame bundle and the /admin page carry (the account, the two-factor prompt): the host
 * page never downloads them. `catalog(name, loaders)` gives the catalog's key function, its loader
 * and a reactive controller that re-loads it when the host's locale changes.
 */
export function lazyCatalog<T>(name: string, loaders: Record<string, () => Promise<T>>) {
  const cache: Record<string, T> = {};
  const loading: Record<string, Promise<T>> = {};

  function key(locale: string): string {
    const tag = locale.toLowerCase();
    const base = tag.split('-')[0]!;
    for (const k of [tag, base]) if (loaders[k]) return k;
    return 'en';
  }

  function load(locale: string): Promise<T> {
    const k = key(locale);
    if (cache[k]) return Promise.resolve(cache[k]);
    return (loading[k] ??= loaders[k]!().then((s) => (cache[k] = s)));
  }

  class Controller implements ReactiveController {
    t?: T;
    #key?: string;
    /** Resolves once `t` is the catalog of the latest requested locale. */
    loaded: Promise<void> = Promise.resolve();

    readonly #host: ReactiveControllerHost;
    readonly #locale: () => string;

    constructor(host: ReactiveControllerHost, locale: () => string) {
      this.#host = host;
      this.#locale = locale;
      host.addController(this);
    }

    /** `t` matches the host's current language. */
    get ready(): boolean {
      return this.t !== undefined && this.#key === key(this.#locale());
    }

    hostUpdate(): void {
      this.sync();
    }

    hostConnected(): void {
      this.sync();
    }

    /** Starts loading the catalog of the host's current locale when it is not the one held. */
    sync(): void {
      const k = key(this.#locale());
      if (k === this.#key) return;
      this.#key = k;
      const cached = cache[k];
      if (cached) {
        this.t = cached;
        return;
      }
      this.loaded = load(k).then(
        (s) => {
          if (this.#key !== k) return;
          this.t = s;
          this.#host.requestUpdate();
        },
        (err: unknown) => {
          console.error(`[cita] could not load the ${name} strings`, err);
          if (k !== 'en') return load('en').then((s) => ((this.t = s), this.#host.requestUpdate()));
        },
      );
    }
  }

  return { key, load, Controller };
}
