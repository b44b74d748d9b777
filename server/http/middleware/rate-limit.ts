/**
 * Per-route rate limits (the route table's `rateLimit`), after the business gate, counted by the
 * app's RateLimiter (server/http/rate-limiter.ts: sliding windows of `rateLimits.windowSeconds`,
 * in process, shared across instances in batches).
 *
 * Two budgets, in this order:
 *
 * 1. Per client, strict, counted first and before the body is read (`rateLimit`): the client is
 *    its address, IPv6 cut to `rateLimits.ipv6Prefix` bits (a /64 is one client).
 * 2. Per business, a ceiling that protects the business (`countBusinessAttempt`), counted by the
 *    handler only once the request parsed: junk cannot spend it, so a flood of invalid requests
 *    from many addresses does not lock the business's real customers out. Routes by manage token
 *    (read, cancel) have only the per-client budget: a business ceiling there would let anyone
 *    stop every customer from cancelling. The account API (`account`: sign-up, sign-in, reset and
 *    the signed-in customer's requests) likewise: a shared ceiling would let anyone stop every
 *    customer from signing in (wrong passwords are throttled per account and address on top,
 *    server/domain/lockout.ts).
 *
 * Over either: 429 `rate_limited` with `Retry-After`. Buckets name a hash of the client, so the
 * shared counter table holds no IP addresses.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { ServerConfig } from '../../config.js';
import { ProblemError } from '../../domain/problems.js';
import { sha256Hex } from '../../domain/tokens.js';
import type { Env } from '../env.js';
import { clientKey, type RateLimiter, type Verdict } from '../rate-limiter.js';

export type RateLimitKind = 'availability' | 'bookings' | 'manage' | 'account';

export interface RateLimitDeps {
  config: Pick<ServerConfig, 'rateLimits'>;
  limiter: RateLimiter;
}

function refuseOver(verdict: Verdict): void {
  if (!verdict.ok) throw new ProblemError('rate_limited', { retryAfter: verdict.retryAfterSeconds });
}

/** The per-client budget of `kind`, before the handler runs. */
export function rateLimit(kind: RateLimitKind, deps: RateLimitDeps): MiddlewareHandler<Env> {
  return async (c, next) => {
    const settings = deps.config.rateLimits;
    const client = clientKey(c.get('clientAddress'), settings.ipv6Prefix);
    refuseOver(
      deps.limiter.hit(`${kind}:c:${sha256Hex(`cita-rl:${client}`).slice(0, 32)}`, settings[kind].perIp),
    );
    await next();
  };
}

/** The business's shared budget of `kind`: call once the request is known to be well formed. */
export function countBusinessAttempt(
  c: Context<Env>,
  deps: RateLimitDeps,
  kind: Exclude<RateLimitKind, 'manage' | 'account'>,
): void {
  refuseOver(
    deps.limiter.hit(`${kind}:b:${c.get('business').slug}`, deps.config.rateLimits[kind].perBusiness),
  );
}
