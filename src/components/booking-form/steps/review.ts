import { html, nothing } from 'lit';
import { formatDateTime, formatDuration } from '../../../core/intl.js';
import { FIELDS, labelKey } from '../logic/fields.js';
import { contact, heading, type StepHost } from './host.js';

/** Step 4: what will be booked and for whom, then "Confirm booking". */
export function reviewStep(h: StepHost) {
  const { t } = h;
  return html`${heading(t.review)} ${summary(h, true)} ${insideCutoff(h)}
    <div class="actions">
      <button part="button" type="button" ?disabled=${h.submitting} @click=${() => h.goTo('details')}>
        ${t.back}
      </button>
      ${confirmButton(h, 'button')}
    </div>`;
}

/** The main action that books: a plain button on the review step, the form's submit when the review is inline. */
export function confirmButton(h: StepHost, type: 'button' | 'submit') {
  return html`<button
    part="button primary"
    type=${type}
    class="primary"
    ?disabled=${h.submitting || (type === 'button' && !h.allConsentsGiven())}
    aria-busy=${h.submitting ? 'true' : 'false'}
    @click=${type === 'button' ? h.confirm : nothing}
  >
    ${h.submitting ? h.t.booking : h.t.confirm}
  </button>`;
}

/**
 * What will be booked (service, time, who, price) and, on the review step, for whom. Inline in the
 * details step the customer's own values are the fields right below it, so they are left out.
 */
export function summary(h: StepHost, withCustomer: boolean) {
  const { t } = h;
  const service = h.selectedService!;
  const slot = h.selectedSlot!;
  const staffId = slot.staff.length === 1 ? slot.staff[0] : undefined;
  const staff = staffId ? service.staff.find((s) => s.id === staffId) : undefined;
  return html`<dl part="summary" class="summary">
    <dt>${t.service}</dt>
    <dd>${service.name} (${formatDuration(service.durationMinutes, h.locale)})</dd>
    <dt>${t.when}</dt>
    <dd>${formatDateTime(slot.start, h.locale, h.zone)}</dd>
    ${
      staff
        ? html`<dt>${t.with}</dt>
            <dd>${staff.name}</dd>`
        : nothing
    }
    ${
      service.price
        ? html`<dt>${t.price}</dt>
            <dd>${h.price(service)}</dd>`
        : nothing
    }
    ${
      withCustomer
        ? FIELDS.filter((f) => f.summary).map(
            (f) =>
              html`<dt>${t[labelKey(f)]}</dt>
                <dd>${h.values[f.name]}</dd>`,
          )
        : nothing
    }
  </dl>`;
}

/** Inside the free-cancellation window a booking can no longer be cancelled: say so before confirming. */
export function insideCutoff(h: StepHost) {
  const hours = h.businessConfig!.policies.cancellation?.cutoffHours ?? 0;
  if (hours <= 0 || Date.parse(h.selectedSlot!.start) - Date.now() > hours * 3_600_000) return nothing;
  return html`<div part="notice" class="message notice" role="note">
      <span>${h.t.insideCutoff(hours)}</span>
    </div>
    ${contact(h)}`;
}
