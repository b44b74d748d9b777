import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Strings } from '../locales/strings.js';

/**
 * String catalogs are loaded on demand, so a page downloads only the language it shows.
 * `registerStrings` adds a catalog synchronously (a site's own translation, or a test's).
 */
const catalogs: Record<string, Strings> = {};
const loaders: Record<string, () => Promise<Strings>> = {
  en: () => import('../locales/en.js').then((m) => m.en),
  es: () => import('../locales/es.js').then((m) => m.es),
};
const loading: Record<string, Promise<Strings>> = {};

/** Adds or replaces a catalog (e.g. `registerStrings('ca', ca)`); lookups fall back `xx-YY` -> `xx` -> `en`. */
export function registerStrings(lang: string, strings: Strings): void {
  catalogs[lang.toLowerCase()] = strings;
  hosts.forEach((h) => h.refresh());
}

/** The catalog key used for a BCP 47 tag: `es-MX` -> `es` -> `en`, among those known. */
function catalogKey(locale: string): string {
  const tag = locale.toLowerCase();
  const base = tag.split('-')[0]!;
  for (const key of [tag, base]) if (catalogs[key] || loaders[key]) return key;
  return 'en';
}

/** The catalog for a locale, loading it first when needed. */
export function loadStrings(locale: string): Promise<Strings> {
  const key = catalogKey(locale);
  const ready = catalogs[key];
  if (ready) return Promise.resolve(ready);
  return (loading[key] ??= loaders[key]!().then((s) => (catalogs[key] = s)));
}

/** The nearest `lang` from an element outwards, crossing shadow roots, then `<html lang>`. */
export function resolveLang(el: Element): string {
  let node: Node | null = el;
  while (node) {
    if (node instanceof Element) {
      const lang = node.getAttribute('lang');
      if (lang) return lang;
      node = node.parentNode;
    } else if (node instanceof ShadowRoot) {
      node = node.host;
    } else {
      node = node.parentNode;
    }
  }
  return document.documentElement.lang || navigator.language || 'en';
}

function canonical(tag: string): string {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

const hosts = new Set<LocaleController>();
let observer: MutationObserver | undefined;

/** Watches `lang` on the page so every element follows a language switch on `<html>` or an ancestor. */
function watch(controller: LocaleController): void {
  hosts.add(controller);
  if (observer) return;
  observer = new MutationObserver(() => hosts.forEach((h) => h.refresh()));
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
}

/**
 * Resolves the locale of its host element and hands out the matching string catalog. Until the
 * catalog has loaded, `ready` is false and `loaded` is pending; `CitaElement` waits for it
 * before its first render.
 */
export class LocaleController implements ReactiveController {
  /** The resolved BCP 47 locale, e.g. `es-ES`. */
  locale = 'en';
  /** The string catalog for `locale` (valid once `ready`). */
  t!: Strings;
  /** The catalog for the current locale is loaded. */
  ready = false;
  /** Resolves once a catalog is loaded for the current locale. */
  loaded: Promise<void> = Promise.resolve();

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    watch(this);
    this.refresh();
  }

  hostDisconnected(): void {
    hosts.delete(this);
  }

  /** Re-resolves the locale; requests an update when it or its catalog changed. */
  refresh(): void {
    const locale = canonical(resolveLang(this.host));
    const key = catalogKey(locale);
    const cached = catalogs[key];
    if (cached) {
      if (locale === this.locale && cached === this.t) return;
      this.locale = locale;
      this.t = cached;
      this.ready = true;
      this.host.requestUpdate();
      return;
    }
    this.locale = locale;
    this.loaded = loadStrings(locale).then(
      () => this.refresh(),
      (err: unknown) => {
        console.error('[cita] could not load the strings for', locale, err);
        if (key !== 'en') return loadStrings('en').then((s) => this.#use(s));
      },
    );
  }

  #use(strings: Strings): void {
    this.t = strings;
    this.ready = true;
    this.host.requestUpdate();
  }
}
