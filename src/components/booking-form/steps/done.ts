import { html, nothing } from 'lit';
import type { CreatedBooking } from '../../../api/contract.js';
import { formatDateTime } from '../../../core/intl.js';
import { buildIcs, calendarLinks, type IcsEvent } from '../logic/ics.js';
import { contact, heading, type StepHost } from './host.js';

/*
 * This step and the calendar writer are a lazy chunk of the script-tag bundle: the form fetches it
 * when the review is shown, so the first view does not carry them.
 */

/** The booking as a calendar event: the `.ics` download and the Google and Outlook links. */
function calendarEvent(h: StepHost, b: CreatedBooking): IcsEvent {
  return {
    uid: `${b.id}@cita`,
    start: b.start,
    end: b.end,
    summary: `${b.service.name} · ${h.businessConfig?.name ?? ''}`,
    description: `${h.t.reference}: ${b.reference}`,
    location: h.businessConfig?.contact?.address,
  };
}

/** The `.ics` of the latest confirmation as a blob URL (the previous one is released). */
let file: { id: string; url: string } | undefined;
function calendarFile(h: StepHost, b: CreatedBooking): string {
  if (file?.id === b.id) return file.url;
  if (file) URL.revokeObjectURL(file.url);
  const url = URL.createObjectURL(new Blob([buildIcs(calendarEvent(h, b))], { type: 'text/calendar' }));
  file = { id: b.id, url };
  return url;
}

/**
 * The confirmation: reference, summary, calendar file and links, manage link, "book another". A
 * held booking (the business confirms by email) says "check your email" instead, with no calendar
 * and no manage link: it is not a booking until the link in that email is followed.
 */
export function doneStep(h: StepHost) {
  const { t } = h;
  const b = h.confirmed!;
  const held = b.status === 'held';
  const manage = held ? undefined : h.manageLink(b);
  const [google, outlook] = held ? [] : calendarLinks(calendarEvent(h, b));
  return html`<div part="confirmation" class="confirmation">
    ${heading(held ? t.heldTitle : t.confirmedTitle)}
    <p>
      ${
        held
          ? t.heldText(h.values.email ?? '', formatDateTime(b.holdUntil ?? b.start, h.locale, h.zone))
          : t.confirmedText(h.values.email ?? '')
      }
    </p>
    <dl class="summary">
      <dt>${t.reference}</dt>
      <dd class="reference">${b.reference}</dd>
      <dt>${t.service}</dt>
      <dd>${b.service.name}</dd>
      <dt>${t.when}</dt>
      <dd>${formatDateTime(b.start, h.locale, h.zone)}</dd>
      ${
        b.staff
          ? html`<dt>${t.with}</dt>
              <dd>${b.staff.name}</dd>`
          : nothing
      }
    </dl>
    ${contact(h)}
    <div class="actions">
      ${
        held
          ? nothing
          : html`<a part="button" class="button" href=${calendarFile(h, b)} download="${b.reference}.ics"
                >${t.addToCalendar}</a
              >
              <a part="button" class="button" href=${google} target="_blank" rel="noopener noreferrer"
                >Google Calendar</a
              >
              <a part="button" class="button" href=${outlook} target="_blank" rel="noopener noreferrer"
                >Outlook.com</a
              >`
      }
      ${manage ? html`<a part="button" class="button" href=${manage} target="_top">${t.manageBooking}</a>` : nothing}
      <button part="button" type="button" @click=${h.reset}>${t.bookAnother}</button>
    </div>
  </div>`;
}
