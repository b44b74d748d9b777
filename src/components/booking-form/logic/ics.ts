/** An iCalendar (RFC 5545) event for "add to calendar", built from contract data only. */

export interface IcsEvent {
  uid: string;
  start: string; // instant
  end: string; // instant
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  now?: Date;
}

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/**
 * RFC 5545 TEXT escaping: backslash, semicolon, comma and line breaks (CRLF, a lone CR or a lone
 * LF each become one `\n`); other control characters, which TEXT does not allow, are dropped.
 */
export function escapeText(value: string): string {
  return value
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\r\n?|\n/g, '\\n')
    .replace(/[\u0000-\u0008\u000A-\u001F\u007F]/g, '');
}

/** Folds a content line at 75 octets, as RFC 5545 section 3.1 requires. */
export function fold(line: string): string {
  // Octets counted per code point (UTF-8: 1 to 4), never across one: linear in the line's length.
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const cp = ch.codePointAt(0)!;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (octets + size > (out.length ? 74 : 75)) {
      out.push(current);
      current = ch;
      octets = size;
    } else {
      current += ch;
      octets += size;
    }
  }
  out.push(current);
  return out.join('\r\n ');
}

/**
 * "Add to Google Calendar" and "add to Outlook.com" links for the same event (their documented
 * template URLs). Only what the `.ics` download says in public: never the manage link, whose token
 * would travel in a third party's URL.
 */
export function calendarLinks(e: IcsEvent): [google: string, outlook: string] {
  const link = (base: string, p: Record<string, string | undefined>) =>
    `${base}?${new URLSearchParams(Object.entries(p).filter((x): x is [string, string] => !!x[1]))}`;
  return [
    link('https://calendar.google.com/calendar/render', {
      action: 'TEMPLATE',
      text: e.summary,
      dates: `${stamp(new Date(e.start))}/${stamp(new Date(e.end))}`,
      details: e.description,
      location: e.location,
    }),
    link('https://outlook.live.com/calendar/0/deeplink/compose', {
      path: '/calendar/action/compose',
      rru: 'addevent',
      subject: e.summary,
      startdt: e.start,
      enddt: e.end,
      body: e.description,
      location: e.location,
    }),
  ];
}

export function buildIcs(e: IcsEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Cita//Booking widget//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${escapeText(e.uid)}`,
    `DTSTAMP:${stamp(e.now ?? new Date())}`,
    `DTSTART:${stamp(new Date(e.start))}`,
    `DTEND:${stamp(new Date(e.end))}`,
    `SUMMARY:${escapeText(e.summary)}`,
    ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
    ...(e.location ? [`LOCATION:${escapeText(e.location)}`] : []),
    ...(e.url ? [`URL:${e.url.replace(/[\u0000-\u0020\u007F]/g, '')}`] : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}
