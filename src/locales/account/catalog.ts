import { lazyCatalog } from '../lazy-catalog.js';
import type { AccountStrings } from './strings.js';

/** The account catalog (`<cita-account>`, /admin), loaded lazily per language. */
const catalog = lazyCatalog<AccountStrings>('account', {
  en: () => import('./en.js').then((m) => m.en),
  es: () => import('./es.js').then((m) => m.es),
});

export const accountCatalogKey = catalog.key;
export const loadAccountStrings = catalog.load;
export const AccountStringsController = catalog.Controller;
