/**
 * The console's bookings API (issue 11; src/api/console-bookings-contract.ts), spread into the
 * console's sub-app (console-api.ts): same cookie and CSRF rules (console-gate.ts). Any staff
 * member lists, reads, marks and cancels within the rules of server/domain/console-bookings.ts;
 * every read of a booking and every change is audited there.
 */
import type { Context } from 'hono';
import * as z from 'zod/mini';
import {
  AttendanceRequest,
  BookingListQuery,
  StaffCancelRequest,
} from '../../../src/api/console-bookings-contract.js';
import {
  bookingDetail,
  cancelAsStaff,
  listBookings,
  markAttendance,
  type ConsoleBookingDeps,
} from '../../domain/console-bookings.js';
import { ProblemError } from '../../domain/problems.js';
import { readJsonBody } from '../body.js';
import type { AppContext, Env } from '../env.js';
import { ownOrigin, requestMeta } from '../middleware/account-gate.js';
import { fieldErrors } from '../problem.js';
import type { Handlers } from '../sub-app.js';
import type { ConsoleGate } from './console-gate.js';

function parse<S extends z.ZodMiniType>(schema: S, input: unknown): z.infer<S> {
  const parsed = z.safeParse(schema, input);
  if (!parsed.success)
    throw new ProblemError('validation_failed', { errors: fieldErrors(parsed.error.issues) });
  return parsed.data;
}

type BookingRoutes = Pick<
  Handlers<'console-api'>,
  'consoleBookings' | 'consoleBooking' | 'consoleBookingAttendance' | 'consoleBookingCancel'
>;

export function consoleBookingRoutes(ctx: AppContext, { staff }: ConsoleGate): BookingRoutes {
  // The booking domain's own dependencies (keys for notes and invoices, the owner notifications'
  // console link): a staff cancellation goes through the same code as the customer's.
  const deps: ConsoleBookingDeps = ctx.bookings;
  const id = (c: Context<Env>) => c.req.param('id') ?? '';
  const body = async (c: Context<Env>) => readJsonBody(c, ctx.bodyLimit);

  return {
    consoleBookings: async (c) => {
      const { business, account } = await staff(c);
      const query = parse(BookingListQuery, c.req.query());
      c.header('Cache-Control', 'no-store');
      return c.json(await listBookings(deps, business, account, query, requestMeta(c)));
    },

    consoleBooking: async (c) => {
      const { business, account } = await staff(c);
      c.header('Cache-Control', 'no-store');
      return c.json(await bookingDetail(deps, business, account, id(c), requestMeta(c)));
    },

    consoleBookingAttendance: async (c) => {
      const { business, account } = await staff(c);
      const req = parse(AttendanceRequest, await body(c));
      return c.json(
        await markAttendance(
          deps,
          business,
          account,
          id(c),
          req.attendance,
          { baseUrl: ownOrigin(ctx.config, c) },
          requestMeta(c),
        ),
      );
    },

    consoleBookingCancel: async (c) => {
      const { business, account } = await staff(c);
      const req = parse(StaffCancelRequest, await body(c));
      return c.json(await cancelAsStaff(deps, business, account, id(c), req, requestMeta(c)));
    },
  };
}
