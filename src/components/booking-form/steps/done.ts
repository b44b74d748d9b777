import { html, nothing } from 'lit';
import { formatDateTime } from '../../../core/intl.js';
import { contact, heading, type StepHost } from './host.js';

/**
 * The confirmation: reference, summary, calendar file, manage link, "book another". A held
 * booking (the business confirms by email) says "check your email" instead, with no calendar file
 * and no manage link: it is not a booking until the link in that email is followed.
 */
export function doneStep(h: StepHost) {
  const { t } = h;
  const b = h.confirmed!;
  const held = b.status === 'held';
  const manage = held ? undefined : h.manageLink(b);
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
          : html`<a part="button" class="button" href=${h.calendarFile(b)} download="${b.reference}.ics"
              >${t.addToCalendar}</a
            >`
      }
      ${manage ? html`<a part="button" class="button" href=${manage} target="_top">${t.manageBooking}</a>` : nothing}
      <button part="button" type="button" @click=${h.reset}>${t.bookAnother}</button>
    </div>
  </div>`;
}
