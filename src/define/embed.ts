/**
 * The script-tag entry, built to `dist/cita.js`:
 *
 *   <script type="module" src="https://book.example.com/cita.js" data-business="salon-rosa"></script>
 *   <cita-booking-form></cita-booking-form>
 *
 * The endpoint defaults to the origin the script was loaded from (`data-endpoint` overrides it).
 * The booking flow is registered at once; rarely used elements are registered from lazy chunks
 * the first time one appears on the page. A second copy of Cita on the page does not crash:
 * the first definitions and the first `window.Cita` win.
 */
import { configure, getConfig, type CitaConfig } from '../core/config.js';
import { VERSION } from '../core/version.js';
import './booking-form.js';
import './consent-checkbox.js';

/** Rare elements and the chunk that registers each. */
const LAZY: Record<string, () => Promise<unknown>> = {
  'cita-booking-manager': () => import('./booking-manager.js'),
  'cita-account': () => import('./account.js'),
  'cita-two-factor-prompt': () => import('./two-factor-prompt.js'),
  'cita-invoice-viewer': () => import('./invoice-viewer.js'),
};

function ownScript(): HTMLScriptElement | undefined {
  const self = import.meta.url;
  return [...document.querySelectorAll<HTMLScriptElement>('script[src]')].find((s) => s.src === self);
}

function configureFromScript(): void {
  const script = ownScript();
  const config: CitaConfig = {
    endpoint: new URL(/* @vite-ignore */ '.', import.meta.url).href.replace(/\/$/, ''),
  };
  if (script?.dataset.endpoint) config.endpoint = script.dataset.endpoint;
  if (script?.dataset.business) config.business = script.dataset.business;
  configure(config);
}

function loadLazy(root: ParentNode): void {
  for (const [tag, load] of Object.entries(LAZY)) {
    if (customElements.get(tag) || !root.querySelector(tag)) continue;
    delete LAZY[tag];
    load().catch((err) => console.error(`[cita] could not load <${tag}>:`, err));
  }
}

function watchLazy(): void {
  loadLazy(document);
  if (!Object.keys(LAZY).length) return;
  const observer = new MutationObserver(() => {
    loadLazy(document);
    if (!Object.keys(LAZY).length) observer.disconnect();
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
}

export interface CitaGlobal {
  version: string;
  configure: typeof configure;
  getConfig: typeof getConfig;
}

declare global {
  interface Window {
    Cita?: CitaGlobal;
  }
}

configureFromScript();
if (!window.Cita) window.Cita = { version: VERSION, configure, getConfig };
if (document.readyState === 'loading')
  document.addEventListener('DOMContentLoaded', watchLazy, { once: true });
else watchLazy();
