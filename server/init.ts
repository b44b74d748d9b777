/**
 * `cita-server init`: from a few answers (flags) to a valid configuration file and the two
 * lines a site owner pastes into their page. Everything written is checked with the same
 * `parseConfig` as `start` and `check`, so an init that succeeds always starts.
 */
import { parseConfig } from './config.js';

export interface InitAnswers {
  /** The business's name, as customers see it. */
  name: string;
  /** URL-safe id; derived from the name when absent. */
  slug?: string;
  /** IANA zone of the business (default: this machine's). */
  timeZone?: string;
  locale?: string;
  currency?: string;
  /** The site that embeds the widget, e.g. https://salon.example (exact origin). */
  origin: string;
  /** Opening hours: `mon-fri 09:00-18:00`, `sat 10:00-14:00`; several separated by commas. */
  hours?: string;
  /** Services: `Haircut:30:25.00` (name, minutes, optional price); several separated by commas. */
  services?: string;
  /** Where the API will be reachable, for the script tag (default http://localhost:5173). */
  apiUrl?: string;
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** "Salón Rosa" -> "salon-rosa". */
export function slugify(name: string): string {
  return (
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'my-business'
  );
}

function weeklyHours(spec: string): Record<string, [string, string][]> {
  const out: Record<string, [string, string][]> = {};
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z]{3})(?:-([a-z]{3}))?\s+(\d{2}:\d{2})-(\d{2}:\d{2})$/i.exec(part);
    if (!m) throw new Error(`--hours: "${part}" is not like "mon-fri 09:00-18:00"`);
    const from = DAYS.indexOf(m[1]!.toLowerCase() as (typeof DAYS)[number]);
    const to = DAYS.indexOf((m[2] ?? m[1]!).toLowerCase() as (typeof DAYS)[number]);
    if (from < 0 || to < from) throw new Error(`--hours: "${part}": days are mon..sun, in order`);
    for (let d = from; d <= to; d++) (out[DAYS[d]!] ??= []).push([m[3]!, m[4]!]);
  }
  return out;
}

function serviceList(spec: string) {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const [name = '', minutes = '', price] = part.split(':').map((s) => s.trim());
      const duration = Number(minutes);
      if (!name || !Number.isInteger(duration))
        throw new Error(`--services: "${part}" is not like "Haircut:30" or "Haircut:30:25.00"`);
      return {
        id: slugify(name),
        name,
        durationMinutes: duration,
        ...(price ? { priceMinor: Math.round(Number(price) * 100) } : {}),
        staff: ['owner'],
      };
    });
}

/** The configuration object for the answers; throws with every problem `check` would print. */
export function initConfig(a: InitAnswers): Record<string, unknown> {
  const slug = a.slug ?? slugify(a.name);
  const origin = a.origin.replace(/\/+$/, '');
  const config = {
    businesses: [
      {
        slug,
        name: a.name,
        timeZone: a.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
        locale: a.locale ?? 'es-ES',
        currency: a.currency ?? 'EUR',
        allowedOrigins: [origin],
        manageUrl: `${origin}/#cita-manage={id}.{token}`,
        customerFields: ['name', 'email', 'phone'],
        rules: { slotStepMinutes: 15, minNoticeMinutes: 120, maxAdvanceDays: 60 },
        staff: [{ id: 'owner', name: a.name, weeklyHours: weeklyHours(a.hours ?? 'mon-fri 09:00-18:00') }],
        services: serviceList(a.services ?? 'Appointment:30'),
        policies: {},
        security: {
          twoFactor: 'optional',
          hipaa: false,
          password: { minLength: 15, maxLength: 128, requireClasses: false },
          sessionIdleMinutes: 30,
        },
      },
    ],
  };
  parseConfig(config, 'the new configuration');
  return config;
}

/** The two lines to paste into the site's page. */
export function pasteLines(config: Record<string, unknown>, apiUrl = 'http://localhost:5173'): string {
  const slug = (config.businesses as { slug: string }[])[0]!.slug;
  return [
    `<script type="module" src="${apiUrl.replace(/\/+$/, '')}/cita.js" data-business="${slug}"></script>`,
    '<cita-booking-form></cita-booking-form>',
  ].join('\n');
}
