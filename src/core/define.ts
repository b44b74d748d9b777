import { VERSION } from './version.js';

type VersionedConstructor = CustomElementConstructor & { version?: string };

/**
 * Registers `tag` unless it is already defined. A page may load Cita twice (a plugin and the
 * site, or two versions): the first definition wins, a differing version is reported once on
 * the console, and nothing throws.
 */
export function defineOnce(tag: string, ctor: CustomElementConstructor): void {
  const existing = customElements.get(tag) as VersionedConstructor | undefined;
  if (!existing) {
    customElements.define(tag, ctor);
    return;
  }
  if (existing === ctor) return;
  const theirs = existing.version ?? 'unknown';
  const ours = (ctor as VersionedConstructor).version ?? VERSION;
  if (theirs !== ours) {
    console.warn(`[cita] <${tag}> is already defined by Cita ${theirs}; this copy (${ours}) is not used.`);
  }
}
