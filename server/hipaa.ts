/**
 * HIPAA mode (`security.hipaa: true` on a business; docs/hipaa.md): the rules that concern the
 * whole server rather than one request. 45 CFR 164.312(e)(1), transmission security: health
 * information only over an encrypted connection, so a server with a HIPAA business refuses to
 * start unless it serves TLS itself (`--cert`/`--key`) or sits behind a TLS-terminating proxy it
 * trusts (`--trust-proxy`, whose `X-Forwarded-Proto` then tells plain requests apart). Listening
 * on a loopback address only (the default 127.0.0.1: development, the demo, or a proxy on the
 * same machine) is allowed: that traffic never leaves the host.
 */
import type { ServerConfig } from './config.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function hipaaBusinesses(config: ServerConfig): string[] {
  return [...config.businesses.values()].filter((b) => b.security.hipaa).map((b) => b.slug);
}

/** Why the server must not start, or undefined. */
export function hipaaStartProblem(
  config: ServerConfig,
  o: { tls: boolean; trustProxy: number; host: string },
): string | undefined {
  const slugs = hipaaBusinesses(config);
  if (!slugs.length || o.tls || o.trustProxy > 0 || LOOPBACK.has(o.host)) return undefined;
  return (
    `HIPAA mode (${slugs.join(', ')}) needs HTTPS: start with --cert and --key, or behind a ` +
    `TLS-terminating proxy with --trust-proxy, or listen on a loopback address only (docs/hipaa.md)`
  );
}
