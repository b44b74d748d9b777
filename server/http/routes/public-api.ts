/**
 * The public booking API, `/v1/businesses/:slug/...`: what the widget calls from the sites each
 * business allows. Handlers are thin: parse with the contract, call the domain, answer; domain
 * refusals become problem+json in middleware/errors.ts.
 *
 * Headers: strict API headers (middleware/headers.ts), `Cache-Control: no-store` except the
 * business and its services (public, 60 s). CORS and the origin check: middleware/business-gate.ts.
 *
 * CSRF: this class accepts no ambient credential. No cookie is read, and the only credential,
 * the manage token, travels in `Authorization`, which a browser never attaches by itself. So a
 * cross-site request carries nothing to ride on; on top of that, browsers always send Origin on
 * a cross-origin POST and the gate refuses a state-changing request from an origin the business
 * has not allowed. Requests without Origin (server to server) are served.
 */
import type { Context } from 'hono';
import {
  AvailabilityQuery,
  BookingIdParam,
  CancelBookingRequest,
  CreateBookingRequest,
  HONEYPOT_FIELD,
  IDEMPOTENCY_HEADER,
  IdempotencyKey,
  ManageToken,
  routes,
} from '../../../src/api/contract.js';
import { RescheduleBookingRequest } from '../../../src/api/manage-contract.js';
import { cancelBooking, confirmBooking, createBooking } from '../../domain/bookings.js';
import { getManagedBooking, rescheduleBooking } from '../../domain/reschedule.js';
import { getAvailability } from '../../domain/catalog.js';
import { ProblemError } from '../../domain/problems.js';
import { readJsonBody } from '../body.js';
import type { AppContext, Env } from '../env.js';
import { businessGate, consentOrigin } from '../middleware/business-gate.js';
import { countBusinessAttempt } from '../middleware/rate-limit.js';
import { fieldErrors } from '../problem.js';
import { subApp } from '../sub-app.js';

const PUBLIC_CACHE = 'public, max-age=60';

export function publicApi(ctx: AppContext) {
  const { db, now, bodyLimit, bookings: deps } = ctx;
  return subApp(
    ctx,
    'public-api',
    {
      getBusiness: (c) => {
        c.header('Cache-Control', PUBLIC_CACHE);
        return c.json(c.get('business').publicConfig);
      },

      checkOrigin: (c) => {
        // Readable by any page (that is its point); it says only what the caller already knows.
        c.header('Access-Control-Allow-Origin', '*');
        c.header('Cache-Control', 'no-store');
        const origin = c.get('origin');
        const business = c.get('business');
        return c.json({
          business: business.slug,
          origin,
          allowed: origin !== null && business.originSet.has(origin),
        });
      },

      listServices: (c) => {
        c.header('Cache-Control', PUBLIC_CACHE);
        return c.json(c.get('business').publicServices);
      },

      getAvailability: async (c) => {
        const parsed = AvailabilityQuery.safeParse(c.req.query());
        if (!parsed.success)
          throw new ProblemError('validation_failed', { errors: fieldErrors(parsed.error.issues) });
        countBusinessAttempt(c, ctx, 'availability');
        return c.json(await getAvailability(db, c.get('business'), parsed.data, now()));
      },

      createBooking: async (c) => {
        const body = await readJsonBody(c, bodyLimit);
        if (isObject(body)) {
          const trap = body[HONEYPOT_FIELD];
          if (trap !== undefined && trap !== null && trap !== '') throw new ProblemError('bot_detected');
        }
        const key = c.req.header(IDEMPOTENCY_HEADER);
        if (key === undefined || key === '') throw new ProblemError('idempotency_key_required');
        const keyParsed = IdempotencyKey.safeParse(key);
        if (!keyParsed.success)
          throw new ProblemError('validation_failed', {
            errors: fieldErrors(keyParsed.error.issues, IDEMPOTENCY_HEADER),
          });
        const parsed = CreateBookingRequest.safeParse(body);
        if (!parsed.success)
          throw new ProblemError('validation_failed', { errors: fieldErrors(parsed.error.issues) });
        countBusinessAttempt(c, ctx, 'bookings');
        const business = c.get('business');
        const result = await createBooking(deps, {
          business,
          request: parsed.data,
          idempotencyKey: keyParsed.data,
          origin: consentOrigin(ctx.config, c, business, parsed.data.embeddedIn),
        });
        c.header('Location', routes.booking(business.slug, result.booking.id));
        if (result.replayed) c.header('Idempotent-Replayed', 'true');
        return c.json(result.booking, 201);
      },

      getBooking: async (c) => {
        const { id } = bookingParams(c);
        return c.json(await getManagedBooking(deps, c.get('business'), id, bearer(c)));
      },

      cancelBooking: async (c) => {
        const { id } = bookingParams(c);
        const body = await readJsonBody(c, bodyLimit, { optional: true });
        const parsed = CancelBookingRequest.safeParse(body);
        if (!parsed.success)
          throw new ProblemError('validation_failed', { errors: fieldErrors(parsed.error.issues) });
        return c.json(await cancelBooking(deps, c.get('business'), id, bearer(c), parsed.data.reason));
      },

      confirmBooking: async (c) => {
        const { id } = bookingParams(c);
        const token = bearer(c);
        if (token === undefined) throw new ProblemError('not_found');
        return c.json(await confirmBooking(deps, c.get('business'), id, token));
      },

      rescheduleBooking: async (c) => {
        const { id } = bookingParams(c);
        const body = await readJsonBody(c, bodyLimit);
        const parsed = RescheduleBookingRequest.safeParse(body);
        if (!parsed.success)
          throw new ProblemError('validation_failed', { errors: fieldErrors(parsed.error.issues) });
        const business = c.get('business');
        return c.json(
          await rescheduleBooking(deps, {
            business,
            id,
            token: bearer(c),
            request: parsed.data,
            origin: c.get('origin'),
          }),
        );
      },
    },
    (app) => {
      const gate = businessGate(ctx.config);
      app.use('/v1/businesses/:slug', gate);
      app.use('/v1/businesses/:slug/*', gate);
    },
  );
}

function bookingParams(c: Context<Env>) {
  const parsed = BookingIdParam.safeParse({ slug: c.req.param('slug'), id: c.req.param('id') });
  if (!parsed.success) throw new ProblemError('not_found');
  return parsed.data;
}

/** The manage token from `Authorization: Bearer <token>`, or undefined. */
function bearer(c: Context<Env>): string | undefined {
  const m = /^Bearer[ ]+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  const token = ManageToken.safeParse(m?.[1]);
  return token.success ? token.data : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
