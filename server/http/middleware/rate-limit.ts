/**
 * Per-route rate limits (the route table's `rateLimit`), after the business gate: fixed windows
 * of `rateLimits.windowSeconds`, one counter per client address and one per business, both
 * counted in the database so every instance shares them. Over either limit: 429 `rate_limited`
 * with `Retry-After` (the seconds left in the window). The address is hashed: the counter table
 * holds no IP addresses.
 */
import type { MiddlewareHandler } from 'hono';
import type { ServerConfig } from '../../config.js';
import type { Database } from '../../db/index.js';
import { hitRateLimits } from '../../db/stores/rate-limits.js';
import { ProblemError } from '../../domain/problems.js';
import { sha256Hex } from '../../domain/tokens.js';
import type { Env } from '../env.js';

export interface RateLimitDeps {
  config: Pick<ServerConfig, 'rateLimits'>;
  db: Database;
  now: () => Date;
}

export function rateLimit(kind: 'availability' | 'bookings', deps: RateLimitDeps): MiddlewareHandler<Env> {
  return async (c, next) => {
    const business = c.get('business');
    const { windowSeconds } = deps.config.rateLimits;
    const limits = deps.config.rateLimits[kind];
    const nowMs = deps.now().getTime();
    const windowMs = windowSeconds * 1000;
    const windowStart = Math.floor(nowMs / windowMs) * windowMs;
    const ipBucket = `${kind}:ip:${sha256Hex(`cita-rl:${c.get('clientAddress')}`).slice(0, 32)}`;
    const bizBucket = `${kind}:business:${business.slug}`;
    const hits = await hitRateLimits(deps.db, [ipBucket, bizBucket], new Date(windowStart));
    if ((hits.get(ipBucket) ?? 0) > limits.perIp || (hits.get(bizBucket) ?? 0) > limits.perBusiness) {
      throw new ProblemError('rate_limited', {
        retryAfter: Math.max(1, Math.ceil((windowStart + windowMs - nowMs) / 1000)),
      });
    }
    await next();
  };
}
