/**
 * "My data" (issue 11), the DOM-free part: which step erasing needs next, and the downloaded
 * file's name. Tested in Node (test/idle-and-data-logic.spec.ts).
 */
import type { ErasureChecks } from '../../../api/console-contract.js';

/** The steps of erasing, in order; the checks decide which are skipped. */
export type ErasureStep = 'preview' | 'reauth' | 'step-up' | 'confirm';

/**
 * What erasing needs after the preview: the password first (a sign-in older than the server's
 * "recent"), then the second factor (only when one is enrolled and not passed recently), then the
 * last confirmation. The server checks the same again; this only spares a refusal.
 */
export function erasureStep(checks: ErasureChecks): Exclude<ErasureStep, 'preview'> {
  if (!checks.recentSignIn) return 'reauth';
  if (checks.twoFactor === 'required') return 'step-up';
  return 'confirm';
}

/** `salon-rosa-my-data-2026-03-02.json`: the business and the day of the export (UTC). */
export function myDataFileName(business: string, exportedAt: string): string {
  const day = /^\d{4}-\d{2}-\d{2}/.exec(exportedAt)?.[0] ?? 'export';
  const safe = business.replace(/[^a-z0-9-]/gi, '') || 'cita';
  return `${safe}-my-data-${day}.json`;
}
