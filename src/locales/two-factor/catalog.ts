import { lazyCatalog } from '../lazy-catalog.js';
import type { TwoFactorStrings } from './strings.js';

/** The two-factor prompt's catalog, loaded lazily per language. */
const catalog = lazyCatalog<TwoFactorStrings>('two-factor', {
  en: () => import('./en.js').then((m) => m.en),
  es: () => import('./es.js').then((m) => m.es),
});

export const TwoFactorStringsController = catalog.Controller;
