/**
 * Trusted Types policies under Cita's own names.
 *
 * Cita runs inside someone else's page, so the host's Content Security Policy governs it. A host
 * that sends `require-trusted-types-for 'script'` makes every HTML sink (`innerHTML`,
 * `DOMParser.parseFromString`, ...) refuse plain strings; a host that sends a `trusted-types`
 * directive also restricts which policy *names* may be created, and refuses a second policy with
 * a name already taken unless it adds `'allow-duplicates'`.
 *
 * Cita therefore:
 * - never uses the default names of its libraries for its own work (DOMPurify's `dompurify` is
 *   never created by Cita: the sanitiser hands DOMPurify the `cita-sanitize` policy instead);
 * - creates each policy lazily, the first time it is needed, so merely loading Cita creates none;
 * - survives a refusal: if `createPolicy` throws (name not listed, or already taken by another
 *   copy of Cita on the page), `getPolicy` returns `null`, warns once on the console, and the
 *   caller falls back to a path that needs no Trusted Types (see `sanitize.ts`).
 *
 * A host that restricts policy names must list Cita's in its CSP:
 *
 * ```
 * Content-Security-Policy: require-trusted-types-for 'script'; trusted-types cita-sanitize lit-html
 * ```
 *
 * `cita-sanitize` is the only policy Cita creates itself (the complete list is
 * {@link CITA_POLICY_NAMES}). `lit-html` is not ours: Lit creates it when its module loads (it
 * renders templates through it) and has no fallback, so a host that restricts names must list it,
 * and a host whose own copy of Lit already created it also needs `'allow-duplicates'` unless the
 * Cita bundle renames Lit's policy. If the page loads Cita twice, the second copy's
 * `cita-sanitize` is refused unless the directive has `'allow-duplicates'`; that copy then
 * renders rich text through its fallback.
 */
import type {
  TrustedTypePolicy,
  TrustedTypePolicyFactory,
  TrustedTypePolicyOptions,
} from 'trusted-types/lib';

/** Every Trusted Types policy name Cita creates. A host whose CSP has `trusted-types` must allow these. */
export const CITA_POLICY_NAMES = ['cita-sanitize'] as const;
export type CitaPolicyName = (typeof CITA_POLICY_NAMES)[number];

/** `null`: refused or unsupported (already reported); a policy: created by us, cached. */
const policies = new Map<CitaPolicyName, TrustedTypePolicy | null>();

function factory(): TrustedTypePolicyFactory | undefined {
  const tt = (globalThis as { trustedTypes?: TrustedTypePolicyFactory }).trustedTypes;
  return typeof tt?.createPolicy === 'function' ? tt : undefined;
}

/** Whether this browser implements Trusted Types at all (`window.trustedTypes` exists). */
export function trustedTypesSupported(): boolean {
  return factory() !== undefined;
}

/**
 * The policy `name`, created on first use with `rules` (later calls return the same policy and
 * ignore `rules`: the first caller owns the name). Returns `null` when the browser has no Trusted
 * Types, or when the host page refused the policy (its CSP `trusted-types` directive does not list
 * the name, or the name is taken and `'allow-duplicates'` is absent); a refusal is reported once
 * with `console.warn` and never retried, so the host gets one CSP violation report, not one per
 * render.
 *
 * Keep the returned policy module-private: whoever holds it can mint trusted values.
 */
export function getPolicy(name: CitaPolicyName, rules: TrustedTypePolicyOptions): TrustedTypePolicy | null {
  if (policies.has(name)) return policies.get(name) ?? null;
  let policy: TrustedTypePolicy | null = null;
  const tt = factory();
  if (tt) {
    try {
      policy = tt.createPolicy(name, rules) as TrustedTypePolicy;
    } catch (error) {
      console.warn(
        `[cita] The page's Content Security Policy refused the Trusted Types policy "${name}" ` +
          `(${error instanceof Error ? error.message : String(error)}). Cita falls back to a path ` +
          `that needs no policy. To fix it, add "${name}" to the CSP "trusted-types" directive.`,
      );
    }
  }
  policies.set(name, policy);
  return policy;
}
