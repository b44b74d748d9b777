/** What every part of the HTTP layer shares: Hono's environment type and the app's dependencies. */
import type { Keyring } from '../crypto/keyring.js';
import { ProblemError } from '../domain/problems.js';
import type { IncomingMessage } from 'node:http';
import type { Business, ServerConfig } from '../config.js';
import type { Database } from '../db/index.js';
import type { AccountDeps } from '../domain/accounts.js';
import type { BookingDeps } from '../domain/bookings.js';
import type { RateLimiter } from './rate-limiter.js';

export type Env = {
  /** @hono/node-server passes the Node request (its socket gives the peer address). */
  Bindings: { incoming?: Pick<IncomingMessage, 'socket'> };
  Variables: {
    /** The client's address (middleware/client-address.ts). */
    clientAddress: string;
    /** Public and account API: the business of the path, once the gate let the request through. */
    business: Business;
    /** Public API: the request's Origin header (the embedding site), or null. */
    origin: string | null;
  };
};

/** Built once by createApp and handed to each route class's sub-app. */
export interface AppContext {
  config: ServerConfig;
  db: Database;
  now: () => Date;
  bodyLimit: number;
  distDir?: string;
  /** Serve `*.map` from the bundle (off by default). */
  serveSourceMaps: boolean;
  bookings: BookingDeps;
  accounts: AccountDeps;
  /** Counts every rate-limited request (middleware/rate-limit.ts). */
  limiter: RateLimiter;
  /** Encryption at rest (server/crypto/keyring.ts); undefined when the operator set no keys on
   * PostgreSQL: what needs it answers `keys_unavailable` (use `requireKeyring`). */
  keyring?: Keyring;
  /** Where clean history writes its export files (server/domain/history.ts). */
  exportDir: string;
}

/** The keyring, or the `keys_unavailable` problem (PostgreSQL without `CITA_KEYS`). */
export function requireKeyring(ctx: AppContext): Keyring {
  if (!ctx.keyring)
    throw new ProblemError('keys_unavailable', {
      detail: 'Set CITA_KEYS (see `cita-server keys generate`) on every instance',
    });
  return ctx.keyring;
}
