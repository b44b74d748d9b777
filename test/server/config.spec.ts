/** Configuration: the demo file is valid; every mistake is reported with its path and reason. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, isExactOrigin, loadConfig, parseConfig, staffSchedule } from '../../server/config.js';
import { rawConfig } from './helpers.js';

type Raw = { businesses: Record<string, unknown>[] } & Record<string, unknown>;
const demo = () => JSON.parse(readFileSync('demo/config.json', 'utf8')) as Raw;

function problems(raw: unknown): string[] {
  try {
    parseConfig(raw);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('loads the demo: a salon and a HIPAA clinic, with policy hashes of the exact text', async () => {
    const config = await loadConfig('demo/config.json');
    const salon = config.businesses.get('salon-rosa')!;
    expect(salon.timeZone).toBe('Europe/Madrid');
    expect(salon.allowedOrigins).toEqual(['http://localhost:5174', 'http://127.0.0.1:5174']);
    expect(salon.services.length).toBeGreaterThanOrEqual(3);
    expect(salon.staff).toHaveLength(2);
    const text = (demo().businesses[0]!.policies as { terms: { text: string } }).terms.text;
    expect(salon.publicConfig.policies.terms!.sha256).toBe(
      createHash('sha256').update(text, 'utf8').digest('hex'),
    );
    const clinic = config.businesses.get('clinica-norte')!;
    expect(clinic.security).toMatchObject({
      hipaa: true,
      twoFactor: { staff: 'required', customers: 'required' },
    });
    expect(clinic.customerFields).toContain('phone');
    expect(config.rateLimits.bookings.perIp).toBe(10);
  });

  it('fills defaults: customer fields, buffers, security, rate limits', () => {
    const raw = rawConfig() as Raw;
    delete raw.rateLimits;
    const config = parseConfig(raw);
    const salon = config.businesses.get('test-salon')!;
    expect(salon.customerFields).toEqual(['name', 'email']);
    expect(salon.serviceById.get('cut')).toMatchObject({ bufferBeforeMinutes: 0, bufferAfterMinutes: 10 });
    expect(salon.security).toEqual({
      twoFactor: { staff: 'off', customers: 'off' },
      hipaa: false,
      password: { minLength: 15, maxLength: 128, requireClasses: false },
      sessionIdleMinutes: 30,
      sessionAbsoluteHours: 12,
      lockout: {
        threshold: 5,
        windowMinutes: 15,
        lockMinutes: 15,
        maxLockMinutes: 1440,
        perAddressThreshold: 50,
      },
    });
    // NIST SP 800-63B rev. 4: 15 for a password alone, 8 when two-factor is required.
    expect(config.businesses.get('test-clinic')!.security.password.minLength).toBe(8);
    expect(config.rateLimits.windowSeconds).toBe(60);
  });

  it('takes twoFactor as one mode or per kind of account; HIPAA forces "required" for both', () => {
    const withSecurity = (security: Record<string, unknown>, slug = 'test-salon') => {
      const raw = rawConfig() as Raw;
      const b = raw.businesses.find((x) => x.slug === slug)!;
      b.security = security;
      return raw;
    };
    const salon = (security: Record<string, unknown>) =>
      parseConfig(withSecurity(security)).businesses.get('test-salon')!.security;
    expect(salon({ twoFactor: 'optional' }).twoFactor).toEqual({ staff: 'optional', customers: 'optional' });
    const split = salon({ twoFactor: { staff: 'required', customers: 'optional' } });
    expect(split.twoFactor).toEqual({ staff: 'required', customers: 'optional' });
    // A shorter password is allowed only when a second factor is required of everyone.
    expect(split.password.minLength).toBe(15);
    expect(
      problems(
        withSecurity({ twoFactor: { staff: 'required', customers: 'optional' }, password: { minLength: 8 } }),
      ),
    ).toEqual([
      expect.stringContaining(
        'security.password.minLength (test-salon): At least 15 unless twoFactor is "required"',
      ),
    ]);
    expect(salon({ twoFactor: { staff: 'required', customers: 'required' } }).password.minLength).toBe(8);
    // HIPAA: absent means required; anything weaker is named, per kind.
    const clinic = (security: Record<string, unknown>) => withSecurity(security, 'test-clinic');
    expect(
      parseConfig(clinic({ hipaa: true, sessionIdleMinutes: 10 })).businesses.get('test-clinic')!.security
        .twoFactor,
    ).toEqual({
      staff: 'required',
      customers: 'required',
    });
    expect(
      problems(
        clinic({
          hipaa: true,
          sessionIdleMinutes: 10,
          twoFactor: { staff: 'required', customers: 'optional' },
        }),
      ),
    ).toEqual(['businesses[1].security.twoFactor.customers (test-clinic): HIPAA mode requires "required"']);
    expect(problems(withSecurity({ twoFactor: 'sometimes' }))[0]).toMatch(
      /^businesses\[0\]\.security\.twoFactor/,
    );
    expect(problems(withSecurity({ twoFactor: { staff: 'required' } }))[0]).toMatch(
      /^businesses\[0\]\.security\.twoFactor\.customers/,
    );
  });

  it('hands the availability engine its schedule shape', () => {
    const salon = parseConfig(rawConfig()).businesses.get('test-salon')!;
    const s = staffSchedule(salon.staffById.get('ana')!);
    expect(s.weeklyHours.mon).toEqual([
      ['09:00', '14:00'],
      ['16:00', '20:00'],
    ]);
    expect(s.weeklyHours.sun).toBeUndefined();
    expect(s.exceptions).toEqual([{ date: '2026-03-06', hours: [] }]);
  });

  it('accepts exact origins only', () => {
    expect(isExactOrigin('https://salon.example')).toBe(true);
    expect(isExactOrigin('https://salon.example:8443')).toBe(true);
    for (const bad of [
      'https://salon.example/',
      'https://salon.example/x',
      '*',
      'https://*.example',
      'null',
      'salon.example',
      'https://Salon.example',
      'ftp://x.example',
    ])
      expect(isExactOrigin(bad), bad).toBe(false);
  });

  it('reports every problem at once, each with a path and a reason', () => {
    const raw = demo();
    const salon = raw.businesses[0]! as Record<string, unknown> & {
      staff: Record<string, unknown>[];
      services: Record<string, unknown>[];
    };
    salon.allowedOrigins = [
      'https://salon.example/',
      'http://salon.example',
      'https://ok.example',
      'https://ok.example',
    ];
    salon.locale = 'not a locale!';
    (salon.staff[0]!.weeklyHours as Record<string, unknown>).mon = [['10:00', '09:00']];
    (salon.staff[0]!.weeklyHours as Record<string, unknown>).tue = [
      ['09:00', '12:00'],
      ['11:00', '13:00'],
    ];
    (salon.staff[0]!.weeklyHours as Record<string, unknown>).funday = [];
    salon.services[0]!.staff = ['lucia', 'nobody'];
    salon.services[1]!.id = salon.services[0]!.id;
    salon.services[2]!.priceMinor = 12.5;
    salon.manageUrl = 'https://salon.example/manage';
    (salon.policies as Record<string, Record<string, unknown>>).cancellation!.cutoffHours = -1;
    raw.businesses[1]!.slug = 'salon-rosa';
    (raw.businesses[1]!.security as Record<string, unknown>).twoFactor = 'optional';
    raw.smtp = { host: 'smtp.example', from: 'x@example.com', password: 'a', passwordEnv: 'B' };
    const list = problems(raw);
    const expected = [
      'businesses[0].locale (salon-rosa): Not a BCP 47 language tag',
      'businesses[0].allowedOrigins[0] (salon-rosa): An exact origin',
      'businesses[0].allowedOrigins[1] (salon-rosa): http: is only allowed for localhost',
      'businesses[0].allowedOrigins (salon-rosa): An origin is listed twice',
      'businesses[0].manageUrl (salon-rosa): A URL with {id} and {token}',
      'businesses[0].staff[0].weeklyHours.mon[0] (salon-rosa): The start must be before the end',
      'businesses[0].staff[0].weeklyHours.tue (salon-rosa): Intervals overlap',
      'businesses[0].staff[0].weeklyHours (salon-rosa): unknown field "funday"',
      'businesses[0].services[0].staff[1] (salon-rosa): No staff member "nobody"',
      'businesses[0].services[1].id (salon-rosa): "corte-peinado" is used twice',
      'businesses[0].services[2].priceMinor (salon-rosa):',
      'businesses[0].policies.cancellation.cutoffHours (salon-rosa):',
      'businesses[1].slug (salon-rosa): "salon-rosa" is used twice',
      'businesses[1].security.twoFactor (salon-rosa): HIPAA mode requires "required"',
      'businesses[1].security.password.minLength (salon-rosa): At least 15 unless twoFactor is "required"',
      'smtp.password: Give password or passwordEnv, not both',
    ];
    for (const e of expected)
      expect(
        list.some((p) => p.startsWith(e)),
        `${e}\n in ${list.join('\n')}`,
      ).toBe(true);
    expect(list).toHaveLength(expected.length);
  });

  it('names a missing required field and an unknown top-level field', () => {
    const raw = demo();
    delete raw.businesses[0]!.timeZone;
    raw.extra = true;
    const list = problems(raw);
    expect(list).toContain(
      'businesses[0].timeZone (salon-rosa): Invalid input: expected string, received undefined',
    );
    expect(list).toContain('(root): unknown field "extra"');
    expect(problems({})).toEqual(['businesses: Invalid input: expected array, received undefined']);
  });

  it('says why a file cannot be read', async () => {
    await expect(loadConfig('/nonexistent/cita.json')).rejects.toThrow(/cannot read the file: ENOENT/);
    await expect(loadConfig('package.json')).rejects.toThrow(/unknown field/);
    await expect(loadConfig('README')).rejects.toThrow(/use a \.json file/);
  });
});

describe('manageUrl keeps the token in the fragment (issue 14 item 8)', () => {
  it('refuses {token} in the path or query; accepts it after #', async () => {
    const { parseConfig } = await import('../../server/config.js');
    const { rawConfig } = await import('./helpers.js');
    const withUrl = (u: string) => {
      const raw = rawConfig() as { businesses: Record<string, unknown>[] };
      raw.businesses[0]!.manageUrl = u;
      return () => parseConfig(raw, 't');
    };
    expect(withUrl('https://shop.example/m?t={token}&id={id}')).toThrow(/fragment/);
    expect(withUrl('https://shop.example/m/{id}/{token}')).toThrow(/fragment/);
    expect(withUrl('https://shop.example/m/{token}#cita-manage={id}')).toThrow(/fragment/);
    expect(withUrl('https://shop.example/m/{id}#t={token}')).not.toThrow();
    expect(withUrl('https://shop.example/reservas#cita-manage={id}.{token}')).not.toThrow();
  });
});
