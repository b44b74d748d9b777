import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { en } from '../locales/en.js';
import { es } from '../locales/es.js';
import type { Strings } from '../locales/strings.js';

const catalogs: Record<string, Strings> = { en, es };

/** Adds or replaces a catalog (e.g. `registerStrings('ca', ca)`); lookups fall back `xx-YY` -> `xx` -> `en`. */
export function registerStrings(lang: string, strings: Strings): void {
  catalogs[lang.toLowerCase()] = strings;
}

/** The catalog for a BCP 47 tag: `es-MX` -> `es` -> `en`. */
export function stringsFor(locale: string): Strings {
  const tag = locale.toLowerCase();
  return catalogs[tag] ?? catalogs[tag.split('-')[0]!] ?? en;
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

/** Resolves the locale of its host element and hands out the matching string catalog. */
export class LocaleController implements ReactiveController {
  /** The resolved BCP 47 locale, e.g. `es-ES`. */
  locale = 'en';
  /** The string catalog for `locale`. */
  t: Strings = en;

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

  /** Re-resolves the locale; requests an update when it changed. */
  refresh(): void {
    const locale = canonical(resolveLang(this.host));
    if (locale === this.locale && this.t === stringsFor(locale)) return;
    this.locale = locale;
    this.t = stringsFor(locale);
    this.host.requestUpdate();
  }
}
