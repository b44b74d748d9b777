import { describe, expect, it } from 'vitest';
import * as c from '../src/api/contract.ts';

const sha = 'a'.repeat(64);
const policy = { version: '2026-01', title: 'Términos', text: '<p>Hola</p>', sha256: sha };
const business = {
  slug: 'salon-rosa',
  name: 'Salón Rosa',
  timeZone: 'Europe/Madrid',
  locale: 'es-ES',
  currency: 'EUR',
  customerFields: ['name', 'email', 'phone'],
  policies: { terms: policy, privacy: policy, cancellation: { ...policy, cutoffHours: 24 } },
  rules: { slotStepMinutes: 15, minNoticeMinutes: 120, maxAdvanceDays: 90 },
  security: {
    twoFactor: 'optional',
    hipaa: false,
    password: { minLength: 12, maxLength: 128, requireClasses: false },
    sessionIdleMinutes: 30,
  },
};
const service = {
  id: 'corte-mujer',
  name: 'Corte de pelo',
  description: '<p>Lavado incluido</p>',
  durationMinutes: 45,
  price: { amountMinor: 3500, currency: 'EUR' },
  staff: [{ id: 'lucia', name: 'Lucía' }],
};
const bookingRequest = {
  service: 'corte-mujer',
  start: '2026-12-01T10:00:00+01:00',
  customer: { name: 'Ana García', email: 'ana@example.com' },
  consents: [{ policy: 'terms', version: '2026-01', sha256: sha }],
};
const booking = {
  id: '0b6f8c7e-3f0a-4c7e-9a41-5a8a3c1d2e4f',
  reference: 'CITA-7KQ2M9',
  status: 'confirmed',
  business: 'salon-rosa',
  service: { id: 'corte-mujer', name: 'Corte de pelo' },
  staff: { id: 'lucia', name: 'Lucía' },
  start: '2026-12-01T09:00:00Z',
  end: '2026-12-01T09:45:00Z',
  timeZone: 'Europe/Madrid',
  customer: { name: 'Ana García' },
  cancellableUntil: '2026-11-30T09:00:00Z',
  createdAt: '2026-11-21T10:00:00Z',
};

/** The paths and messages of the issues a schema reports, for readable assertions. */
function issues(
  schema: {
    safeParse(v: unknown): {
      success: boolean;
      error?: { issues: { path: PropertyKey[]; message: string }[] };
    };
  },
  value: unknown,
) {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('BusinessConfig', () => {
  it('accepts a complete configuration', () => {
    expect(issues(c.BusinessConfig, business)).toEqual([]);
  });
  it.each([
    ['an unknown time zone', { timeZone: 'Europe/Atlantis' }, 'timeZone'],
    ['a UTC offset instead of a zone', { timeZone: '+02:00' }, 'timeZone'],
    ['a lowercase currency', { currency: 'eur' }, 'currency'],
    ['a slug with capitals', { slug: 'Salon' }, 'slug'],
    ['an invalid locale', { locale: 'not a locale!' }, 'locale'],
    ['fields without email', { customerFields: ['name', 'phone'] }, 'customerFields'],
    ['a field listed twice', { customerFields: ['name', 'email', 'email'] }, 'customerFields'],
    [
      'a hash that is not SHA-256',
      { policies: { terms: { ...policy, sha256: 'abc' } } },
      'policies.terms.sha256',
    ],
    [
      'a negative cancellation cutoff',
      { policies: { cancellation: { ...policy, cutoffHours: -1 } } },
      'policies.cancellation.cutoffHours',
    ],
    [
      'an unknown 2FA mode',
      { security: { ...business.security, twoFactor: 'sometimes' } },
      'security.twoFactor',
    ],
  ])('refuses %s', (_, patch, path) => {
    expect(issues(c.BusinessConfig, { ...business, ...patch }).join('\n')).toContain(`${path}:`);
  });
});

describe('Service and ServiceList', () => {
  it('accepts a service and a list', () => {
    expect(
      issues(c.ServiceList, { services: [service, { ...service, id: 'tinte', price: undefined }] }),
    ).toEqual([]);
  });
  it('refuses a fractional price, a zero duration and an empty staff name', () => {
    expect(issues(c.Service, { ...service, price: { amountMinor: 35.5, currency: 'EUR' } })[0]).toMatch(
      /^price.amountMinor/,
    );
    expect(issues(c.Service, { ...service, durationMinutes: 0 })[0]).toMatch(/^durationMinutes/);
    expect(issues(c.Service, { ...service, staff: [{ id: 'x', name: '   ' }] })[0]).toBe(
      'staff.0.name: Required',
    );
  });
  it('holds whole numbers to their bounds, and enumerations to their values', () => {
    for (const durationMinutes of [4, 1441, 30.5, Number.NaN, Infinity, '30'])
      expect(issues(c.Service, { ...service, durationMinutes }), String(durationMinutes)).toEqual([
        expect.stringMatching(/^durationMinutes: /),
      ]);
    expect(issues(c.Service, { ...service, durationMinutes: 2.5 })).toEqual([
      'durationMinutes: A whole number from 5 to 1440',
    ]);
    for (const durationMinutes of [5, 1440])
      expect(issues(c.Service, { ...service, durationMinutes })).toEqual([]);
    expect(issues(c.PolicyKind, 'cookies')).toEqual([': One of: terms, privacy, cancellation']);
    expect(issues(c.PolicyKind, 'terms')).toEqual([]);
    expect(issues(c.Problem, { type: 'about:blank', title: 'x', status: 429, retryAfter: -1 })).toEqual([
      'retryAfter: A number of at least 0',
    ]);
    expect(issues(c.Problem, { type: 'about:blank', title: 'x', status: 429, retryAfter: 1.5 })).toEqual([]);
  });
});

describe('AvailabilityQuery and Availability', () => {
  it('accepts a month', () => {
    expect(
      issues(c.AvailabilityQuery, { service: 'corte-mujer', from: '2026-12-01', to: '2026-12-31' }),
    ).toEqual([]);
  });
  it('refuses a reversed or too long range and impossible dates', () => {
    expect(issues(c.AvailabilityQuery, { service: 'a', from: '2026-12-31', to: '2026-12-01' })).toContain(
      'to: `to` is before `from`',
    );
    expect(issues(c.AvailabilityQuery, { service: 'a', from: '2026-01-01', to: '2026-03-01' })).toContain(
      'to: At most 42 days',
    );
    expect(issues(c.AvailabilityQuery, { service: 'a', from: '2026-02-30', to: '2026-03-01' })[0]).toMatch(
      /^from/,
    );
  });
  it('accepts slots with offsets and refuses a slot without staff or a local time without offset', () => {
    const ok = { service: 'a', from: '2026-12-01', to: '2026-12-01', timeZone: 'Europe/Madrid' };
    expect(
      issues(c.Availability, {
        ...ok,
        slots: [{ start: '2026-12-01T09:00:00Z', end: '2026-12-01T09:45:00+00:00', staff: ['lucia'] }],
      }),
    ).toEqual([]);
    expect(
      issues(c.Availability, {
        ...ok,
        slots: [{ start: '2026-12-01T09:00:00Z', end: '2026-12-01T09:45:00Z', staff: [] }],
      })[0],
    ).toMatch(/^slots.0.staff/);
    expect(
      issues(c.Availability, {
        ...ok,
        slots: [{ start: '2026-12-01T09:00:00', end: '2026-12-01T09:45:00Z', staff: ['l'] }],
      })[0],
    ).toMatch(/^slots.0.start/);
  });
});

describe('CreateBookingRequest', () => {
  it('accepts a minimal request and normalises the customer text', () => {
    const r = c.CreateBookingRequest.safeParse({
      ...bookingRequest,
      customer: {
        name: '  Ana\u202E  Garci\u0301a ',
        email: ' ANA@Example.COM ',
        notes: 'línea 1\r\n\r\n\r\nlínea 2  ',
      },
    });
    expect(r.success).toBe(true);
    expect(r.data!.customer).toEqual({
      name: 'Ana García',
      email: 'ana@example.com',
      notes: 'línea 1\n\nlínea 2',
    });
  });
  it.each([
    [
      'a bad email',
      { customer: { name: 'Ana', email: 'ana@' } },
      'customer.email: Not a valid email address',
    ],
    [
      'a name of only spaces and controls',
      { customer: { name: ' \u0000\u202E ', email: 'a@b.es' } },
      'customer.name: Required',
    ],
    [
      'a name over 100 characters',
      { customer: { name: 'x'.repeat(101), email: 'a@b.es' } },
      'customer.name: At most 100 characters',
    ],
    [
      'a phone without country code',
      { customer: { name: 'Ana', email: 'a@b.es', phone: '600123456' } },
      'customer.phone',
    ],
    ['a start without offset', { start: '2026-12-01T10:00:00' }, 'start'],
    [
      'an unknown policy',
      { consents: [{ policy: 'marketing', version: '1', sha256: sha }] },
      'consents.0.policy',
    ],
    [
      'the same policy twice',
      { consents: [bookingRequest.consents[0], bookingRequest.consents[0]] },
      'consents: A policy listed twice',
    ],
    ['a number where text belongs', { service: 42 }, 'service'],
  ])('refuses %s', (_, patch, expected) => {
    expect(issues(c.CreateBookingRequest, { ...bookingRequest, ...patch }).join('\n')).toContain(expected);
  });
  it('counts an emoji as one character', () => {
    const name = '😀'.repeat(100);
    expect(
      issues(c.CreateBookingRequest, { ...bookingRequest, customer: { name, email: 'a@b.es' } }),
    ).toEqual([]);
  });
  it('keeps the honeypot field so the server can see it was filled', () => {
    const r = c.CreateBookingRequest.safeParse({ ...bookingRequest, [c.HONEYPOT_FIELD]: 'http://spam' });
    expect(r.data?.[c.HONEYPOT_FIELD]).toBe('http://spam');
  });
  it('validates idempotency keys', () => {
    expect(c.IdempotencyKey.safeParse('k'.repeat(16)).success).toBe(true);
    expect(c.IdempotencyKey.safeParse('short').success).toBe(false);
    expect(c.IdempotencyKey.safeParse('has spaces in it here').success).toBe(false);
  });
});

describe('Booking and CreatedBooking', () => {
  it('accepts a booking, and a created booking only with its manage token', () => {
    expect(issues(c.Booking, booking)).toEqual([]);
    expect(issues(c.CreatedBooking, booking)[0]).toMatch(/^manageToken/);
    expect(issues(c.CreatedBooking, { ...booking, manageToken: 'T'.repeat(43) })).toEqual([]);
    // Held until confirmed from the email: the token is in the email only.
    expect(issues(c.CreatedBooking, { ...booking, status: 'held', holdUntil: booking.start })).toEqual([]);
  });
  it('refuses an unknown status and a malformed id or reference', () => {
    expect(issues(c.Booking, { ...booking, status: 'pending' })[0]).toMatch(/^status/);
    expect(issues(c.Booking, { ...booking, id: '123' })[0]).toMatch(/^id/);
    expect(issues(c.Booking, { ...booking, reference: 'x' })[0]).toMatch(/^reference/);
  });
  it('accepts a cancel request with or without a reason', () => {
    expect(issues(c.CancelBookingRequest, {})).toEqual([]);
    expect(issues(c.CancelBookingRequest, { reason: 'x'.repeat(501) })[0]).toMatch(/^reason/);
  });
});

describe('Problem', () => {
  it('accepts an RFC 9457 problem with field errors and extension members', () => {
    const p = {
      type: c.problemType('validation_failed'),
      title: 'Invalid request',
      status: 422,
      errors: [{ field: 'customer.email', message: 'Not a valid email address' }],
      traceId: 'abc',
    };
    expect(issues(c.Problem, p)).toEqual([]);
    expect(c.problemCode(p)).toBe('validation_failed');
  });
  it('refuses a problem without status and does not invent a code for foreign types', () => {
    expect(issues(c.Problem, { type: 'about:blank', title: 'x' })[0]).toMatch(/^status/);
    expect(c.problemCode({ type: 'about:blank' })).toBeUndefined();
    expect(c.problemCode({ type: c.PROBLEM_TYPE_BASE + 'made_up' })).toBeUndefined();
  });
  it('has one stable type per failure the UI must explain', () => {
    for (const code of [
      'validation_failed',
      'slot_unavailable',
      'consent_outdated',
      'cancellation_closed',
      'rate_limited',
      'not_found',
    ] as const) {
      expect(c.problemCode({ type: c.problemType(code) })).toBe(code);
    }
  });
});
