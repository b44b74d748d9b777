/**
 * The OpenAPI 3.1 document, generated from the contract's zod schemas (JSON Schema 2020-12, which
 * OpenAPI 3.1 uses as is) with paths composed from `routes`. Served at `/v1/openapi.json`;
 * `npm run openapi` writes it to docs/openapi.json.
 */
import { z } from 'zod';
import {
  Availability,
  AvailabilityQuery,
  Booking,
  BookingId,
  BusinessConfig,
  CancelBookingRequest,
  CreateBookingRequest,
  CreatedBooking,
  Email,
  HONEYPOT_FIELD,
  IDEMPOTENCY_HEADER,
  IdempotencyKey,
  Instant,
  LocalDate,
  PROBLEM_CODES,
  PROBLEM_TYPE_BASE,
  Problem,
  ServiceList,
  Slug,
  routes,
  type ProblemCode,
} from '../../src/api/contract.js';
import { VERSION } from '../../src/core/version.js';
import { PROBLEMS } from '../domain/problems.js';

type JsonSchema = Record<string, unknown>;

const FORMATS = new Map<unknown, string>([
  [LocalDate, 'date'],
  [Instant, 'date-time'],
  [Email, 'email'],
  [BookingId, 'uuid'],
]);

function schema(s: z.core.$ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, {
    io: 'input',
    unrepresentable: 'any',
    // Integer, bounds and enumeration values come from the metadata the contract's `num()` and
    // `oneOf()` register in z.globalRegistry (read by toJSONSchema itself). Formats checked with
    // zod's own patterns are said here.
    override: ({ zodSchema, jsonSchema }) => {
      const format = FORMATS.get(zodSchema);
      if (format) jsonSchema.format = format;
    },
  }) as JsonSchema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const path = (route: (slug: string, id: string) => string) => decodeURIComponent(route('{slug}', '{id}'));

function problems(codes: ProblemCode[]) {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) {
    const status = PROBLEMS[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      {
        description: list.map((c) => `\`${c}\`: ${PROBLEMS[c].title}`).join('; '),
        ...(status === 429 ? { headers: { 'Retry-After': { schema: { type: 'integer' } } } } : {}),
        content: { 'application/problem+json': { schema: ref('Problem') } },
      },
    ]),
  );
}

const ok = (description: string, name: string, status = '200') => ({
  [status]: { description, content: { 'application/json': { schema: ref(name) } } },
});

export function buildOpenApi(): Record<string, unknown> {
  const slugParam = {
    name: 'slug',
    in: 'path',
    required: true,
    description: 'The business',
    schema: schema(Slug),
  };
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
  const query = schema(AvailabilityQuery) as { properties: Record<string, JsonSchema>; required?: string[] };
  const queryParams = Object.entries(query.properties).map(([name, s]) => ({
    name,
    in: 'query',
    required: query.required?.includes(name) ?? false,
    schema: s,
  }));
  const common: ProblemCode[] = ['not_found', 'internal_error'];

  return {
    openapi: '3.1.0',
    info: {
      title: 'Cita booking API',
      version: VERSION,
      description: [
        'The contract between the Cita widget and a backend (v1). Errors are RFC 9457 problem details',
        `whose \`type\` is \`${PROBLEM_TYPE_BASE}<code>\`, one of: ${PROBLEM_CODES.map((c) => `\`${c}\``).join(', ')}.`,
        'Cross-origin use is limited to the origins each business allows (CORS, exact match).',
      ].join(' '),
    },
    paths: {
      [path(routes.business)]: {
        get: {
          operationId: 'getBusiness',
          summary: 'Public configuration of a business: policies (with text hashes), rules, fields asked',
          parameters: [slugParam],
          responses: { ...ok('The business', 'BusinessConfig'), ...problems(common) },
        },
      },
      [path(routes.services)]: {
        get: {
          operationId: 'listServices',
          summary: 'Services and who performs them',
          parameters: [slugParam],
          responses: { ...ok('The services', 'ServiceList'), ...problems(common) },
        },
      },
      [path(routes.availability)]: {
        get: {
          operationId: 'getAvailability',
          summary: 'Free start times for a service over a range of local dates',
          parameters: [slugParam, ...queryParams],
          responses: {
            ...ok('Slots', 'Availability'),
            ...problems([...common, 'validation_failed', 'unknown_service', 'unknown_staff', 'rate_limited']),
          },
        },
      },
      [path(routes.bookings)]: {
        post: {
          operationId: 'createBooking',
          summary:
            'Book a slot. Safe to retry with the same Idempotency-Key (24 hours): the same booking comes back',
          description: `The \`${HONEYPOT_FIELD}\` field must be absent or empty.`,
          parameters: [
            slugParam,
            { name: IDEMPOTENCY_HEADER, in: 'header', required: true, schema: schema(IdempotencyKey) },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref('CreateBookingRequest') } },
          },
          responses: {
            '201': {
              description:
                'Booked (or the replay of an earlier identical request: header `Idempotent-Replayed: true`)',
              headers: { Location: { schema: { type: 'string' } } },
              content: { 'application/json': { schema: ref('CreatedBooking') } },
            },
            ...problems([
              ...common,
              'validation_failed',
              'unsupported_media_type',
              'payload_too_large',
              'unknown_service',
              'unknown_staff',
              'slot_unavailable',
              'slot_in_past',
              'outside_hours',
              'outside_booking_window',
              'consent_missing',
              'consent_outdated',
              'idempotency_key_required',
              'idempotency_key_reused',
              'origin_not_allowed',
              'bot_detected',
              'rate_limited',
            ]),
          },
        },
      },
      [path(routes.booking)]: {
        get: {
          operationId: 'getBooking',
          summary: 'A booking, by its manage token',
          parameters: [slugParam, idParam],
          security: [{ manageToken: [] }],
          responses: { ...ok('The booking', 'Booking'), ...problems(common) },
        },
      },
      [path(routes.cancel)]: {
        post: {
          operationId: 'cancelBooking',
          summary: 'Cancel a booking, by its manage token, before the cancellation cutoff',
          parameters: [slugParam, idParam],
          security: [{ manageToken: [] }],
          requestBody: {
            required: false,
            content: { 'application/json': { schema: ref('CancelBookingRequest') } },
          },
          responses: {
            ...ok('The cancelled booking', 'Booking'),
            ...problems([
              ...common,
              'validation_failed',
              'unsupported_media_type',
              'payload_too_large',
              'cancellation_closed',
              'already_cancelled',
              'origin_not_allowed',
            ]),
          },
        },
      },
    },
    components: {
      schemas: {
        BusinessConfig: schema(BusinessConfig),
        ServiceList: schema(ServiceList),
        Availability: schema(Availability),
        CreateBookingRequest: schema(CreateBookingRequest),
        CreatedBooking: schema(CreatedBooking),
        Booking: schema(Booking),
        CancelBookingRequest: schema(CancelBookingRequest),
        Problem: schema(Problem),
      },
      securitySchemes: {
        manageToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The manage token returned once when the booking was created',
        },
      },
    },
  };
}
