/**
 * Runtime configuration shared by the elements on a page: the backend endpoint and the business.
 * The script-tag entry fills it from its own URL and `data-*` attributes; developers call
 * `Cita.configure(...)`; an element's own `endpoint` / `business` attributes win over both.
 */
export interface CitaConfig {
  /** Base URL of the Cita backend (https:, or http: on loopback). */
  endpoint?: string;
  /** The business slug. */
  business?: string;
}

let current: CitaConfig = {};
const listeners = new Set<() => void>();

export function configure(config: CitaConfig): void {
  current = { ...current, ...config };
  listeners.forEach((l) => l());
}

export function getConfig(): Readonly<CitaConfig> {
  return current;
}

/** Calls `listener` after every `configure()`; returns the unsubscribe function. */
export function onConfigure(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
