/**
 * The booking detail of `<cita-console-bookings>` (rendered inside its dialog): the booking, its
 * consent proof and invoices, and the actions this staff member may take. Templates only: the
 * element owns the state and the requests, passed in as `DetailContext`.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { BookingDetail, BookingInvoice } from '../../../../api/console-bookings-contract.js';
import { formatDateTime, formatMoney, formatYmd, parseYmd } from '../../../../core/intl.js';
import type { BookingsStrings } from './strings.js';

export type CancelStep = 'closed' | 'form' | 'confirm';

export interface DetailContext {
  t: BookingsStrings;
  locale: string;
  timeZone: string;
  booking: BookingDetail;
  isOwner: boolean;
  /** An action is running: buttons say so and do nothing. */
  busy: boolean;
  cancelStep: CancelStep;
  override: boolean;
  reason: string;
  /** The invoice whose correction form is open. */
  correcting?: string;
  amount: string;
  correctionReason: string;
  fieldErrors: Record<string, string>;
  on: {
    attendance(value: 'attended' | 'no_show'): void;
    cancelStep(step: CancelStep): void;
    cancel(e: SubmitEvent): void;
    input(name: 'reason' | 'amount' | 'correctionReason', value: string): void;
    override(on: boolean): void;
    issueInvoice(): void;
    correcting(id: string | undefined): void;
    correct(e: SubmitEvent, invoice: BookingInvoice): void;
    focusInvoice(id: string): void;
  };
}

export const stateBadge = (t: BookingsStrings, state: BookingDetail['state']) =>
  html`<span part="badge badge-${state}" class="badge ${state}">${t.states[state]}</span>`;

const customerText = (ctx: DetailContext, value: string | null) =>
  value ?? (ctx.booking.customerMasked ? ctx.t.masked : '—');

export function renderDetail(ctx: DetailContext): TemplateResult {
  const { t, booking: b, locale, timeZone } = ctx;
  const when = (iso: string) => formatDateTime(iso, locale, timeZone);
  return html`
    <dl part="facts" class="facts">
      <dt>${t.state}</dt>
      <dd>${stateBadge(t, b.state)}</dd>
      <dt>${t.reference}</dt>
      <dd>${b.reference}</dd>
      <dt>${t.when}</dt>
      <dd>${when(b.start)}</dd>
      <dt>${t.service}</dt>
      <dd>${b.service.name}</dd>
      <dt>${t.staff}</dt>
      <dd>${b.staff.name}</dd>
      <dt>${t.customer}</dt>
      <dd>${b.customer.name ?? (b.customerMasked ? t.masked : t.unknownCustomer)}</dd>
      <dt>${t.email}</dt>
      <dd class="who">${customerText(ctx, b.customer.email)}</dd>
      <dt>${t.phone}</dt>
      <dd>${customerText(ctx, b.customer.phone)}</dd>
      ${
        b.notes
          ? html`<dt>${t.notes}</dt>
              <dd class="who">${b.notes}</dd>`
          : nothing
      }
      <dt>${t.cancellableUntil}</dt>
      <dd>${b.cancellableUntil ? when(b.cancellableUntil) : t.noCutoff}</dd>
      ${
        b.cancelledAt
          ? html`<dt>${t.cancelledAt}</dt>
              <dd>${when(b.cancelledAt)}</dd>`
          : nothing
      }
      ${
        b.attendanceAt
          ? html`<dt>${t.attendanceAt}</dt>
              <dd>${when(b.attendanceAt)}</dd>`
          : nothing
      }
    </dl>
    ${renderActions(ctx)} ${renderConsents(ctx)} ${renderInvoices(ctx)}
  `;
}

function renderActions(ctx: DetailContext) {
  const { t, booking: b, busy } = ctx;
  const pastCutoffForStaff =
    b.can.cancel === 'no' && !ctx.isOwner && (b.state === 'confirmed' || b.state === 'held');
  return html`<div part="actions" class="actions">
      ${
        b.can.markAttendance
          ? html`<button
                part="button"
                class="primary"
                aria-disabled=${busy}
                ?disabled=${b.state === 'attended'}
                @click=${() => ctx.on.attendance('attended')}
              >
                ${t.markAttended}
              </button>
              <button
                part="button"
                aria-disabled=${busy}
                ?disabled=${b.state === 'no_show'}
                @click=${() => ctx.on.attendance('no_show')}
              >
                ${t.markNoShow}
              </button>`
          : nothing
      }
      ${
        b.can.issueInvoice
          ? html`<button part="button" aria-disabled=${busy} @click=${ctx.on.issueInvoice}>
              ${t.issueInvoice}
            </button>`
          : nothing
      }
      ${
        b.can.cancel !== 'no' && ctx.cancelStep === 'closed'
          ? html`<button
              part="button"
              class="danger"
              aria-disabled=${busy}
              aria-expanded="false"
              @click=${() => ctx.on.cancelStep('form')}
            >
              ${t.cancel}
            </button>`
          : nothing
      }
    </div>
    ${pastCutoffForStaff ? html`<p part="notice" class="cutoff-note">${t.cutoffPassedStaff}</p>` : nothing}
    ${b.can.cancel !== 'no' && ctx.cancelStep !== 'closed' ? renderCancel(ctx) : nothing}`;
}

function renderCancel(ctx: DetailContext) {
  const { t, booking: b, busy } = ctx;
  const needsOverride = b.can.cancel === 'override';
  const until = b.cancellableUntil ?? b.start;
  const confirming = ctx.cancelStep === 'confirm';
  return html`<form part="cancel-form" class="stack panel" @submit=${ctx.on.cancel} novalidate>
    <div class="field">
      <label for="cancel-reason">${t.cancelReason}</label>
      <input
        id="cancel-reason"
        type="text"
        maxlength="500"
        .value=${ctx.reason}
        @input=${(e: Event) => ctx.on.input('reason', (e.target as HTMLInputElement).value)}
      />
    </div>
    ${
      needsOverride
        ? html`<div class="field">
            <label class="check">
              <input
                id="override"
                type="checkbox"
                .checked=${ctx.override}
                aria-describedby="override-hint"
                aria-invalid=${ctx.fieldErrors.override ? 'true' : 'false'}
                @change=${(e: Event) => ctx.on.override((e.target as HTMLInputElement).checked)}
              />
              ${t.override}
            </label>
            <p id="override-hint" class="hint">
              ${t.overrideHint(formatDateTime(until, ctx.locale, ctx.timeZone))}
            </p>
            <p class="error" id="override-error">${ctx.fieldErrors.override ?? ''}</p>
          </div>`
        : nothing
    }
    ${confirming ? html`<p part="notice" role="alert">${t.confirmCancelQuestion}</p>` : nothing}
    <div class="actions">
      <button part="button" class="danger" type="submit" aria-disabled=${busy}>
        ${confirming ? t.confirmCancel : t.cancel}
      </button>
      <button part="button" type="button" @click=${() => ctx.on.cancelStep('closed')}>${t.keep}</button>
    </div>
  </form>`;
}

function renderConsents(ctx: DetailContext) {
  const { t, booking: b } = ctx;
  return html`<section part="consents" class="stack" aria-labelledby="consents-heading">
    <h3 id="consents-heading">${t.consentHeading}</h3>
    ${
      b.consents.length === 0
        ? html`<p class="muted">${t.noConsents}</p>`
        : html`<div class="scroll">
            <table part="consent-table">
              <thead>
                <tr>
                  <th scope="col">${t.consentCols.policy}</th>
                  <th scope="col">${t.consentCols.version}</th>
                  <th scope="col">${t.consentCols.hash}</th>
                  <th scope="col">${t.consentCols.at}</th>
                  <th scope="col">${t.consentCols.origin}</th>
                </tr>
              </thead>
              <tbody>
                ${b.consents.map(
                  (c) =>
                    html`<tr>
                      <th scope="row">${t.policies[c.policy]}</th>
                      <td>${c.version}</td>
                      <td><code class="hash">${c.sha256}</code></td>
                      <td>${formatDateTime(c.acceptedAt, ctx.locale, ctx.timeZone)}</td>
                      <td class="who">${c.origin ?? t.noOrigin}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
  </section>`;
}

function renderInvoices(ctx: DetailContext) {
  const { t, booking: b } = ctx;
  return html`<section part="invoices" class="stack" aria-labelledby="invoices-heading">
    <h3 id="invoices-heading">${t.invoicesHeading}</h3>
    ${
      b.invoices.length === 0
        ? html`<p class="muted">${t.noInvoices}</p>`
        : html`<ul class="invoices">
            ${b.invoices.map((inv) => renderInvoice(ctx, inv))}
          </ul>`
    }
  </section>`;
}

function renderInvoice(ctx: DetailContext, inv: BookingInvoice) {
  const { t } = ctx;
  const ref = (label: string, target: { id: string }) =>
    html`<button part="button" type="button" class="link" @click=${() => ctx.on.focusInvoice(target.id)}>
      ${label}
    </button>`;
  const correctable = inv.state === 'issued' && inv.type.startsWith('F');
  return html`<li part="invoice" id=${`invoice-${inv.id}`} tabindex="-1" class="invoice">
    <span class="title">${inv.number}</span>
    <span>${formatYmd(parseYmd(inv.issueDate), ctx.locale, { dateStyle: 'medium' })}</span>
    <span>${formatMoney(inv.totalMinor, inv.currency, ctx.locale)}</span>
    <span part="badge" class="badge">${t.invoiceStates[inv.state]}</span>
    ${inv.corrects ? ref(t.corrects(inv.corrects.number), inv.corrects) : nothing}
    ${inv.replaces ? ref(t.replaces(inv.replaces.number), inv.replaces) : nothing}
    ${inv.correctedBy.map((c) => ref(t.correctedBy(c.number), c))}
    ${
      correctable && ctx.correcting !== inv.id
        ? html`<button
            part="button"
            type="button"
            aria-expanded="false"
            @click=${() => ctx.on.correcting(inv.id)}
          >
            ${t.correction}
          </button>`
        : nothing
    }
    ${ctx.correcting === inv.id ? renderCorrection(ctx, inv) : nothing}
  </li>`;
}

function renderCorrection(ctx: DetailContext, inv: BookingInvoice) {
  const { t } = ctx;
  const err = ctx.fieldErrors;
  return html`<form
    part="correction-form"
    class="stack panel"
    aria-label=${t.correctionFor(inv.number)}
    @submit=${(e: SubmitEvent) => ctx.on.correct(e, inv)}
    novalidate
  >
    <div class="field">
      <label for="amount">${t.amount}</label>
      <input
        id="amount"
        type="text"
        inputmode="decimal"
        .value=${ctx.amount}
        aria-describedby="amount-hint amount-error"
        aria-invalid=${err.amount ? 'true' : 'false'}
        @input=${(e: Event) => ctx.on.input('amount', (e.target as HTMLInputElement).value)}
      />
      <p id="amount-hint" class="hint">${t.amountHint(inv.currency)}</p>
      <p id="amount-error" class="error">${err.amount ?? ''}</p>
    </div>
    <div class="field">
      <label for="correction-reason">${t.reason}</label>
      <input
        id="correction-reason"
        type="text"
        maxlength="300"
        required
        .value=${ctx.correctionReason}
        aria-describedby="correction-reason-error"
        aria-invalid=${err.correctionReason ? 'true' : 'false'}
        @input=${(e: Event) => ctx.on.input('correctionReason', (e.target as HTMLInputElement).value)}
      />
      <p id="correction-reason-error" class="error">${err.correctionReason ?? ''}</p>
    </div>
    <div class="actions">
      <button part="button" class="primary" type="submit" aria-disabled=${ctx.busy}>
        ${t.issueCorrection}
      </button>
      <button part="button" type="button" @click=${() => ctx.on.correcting(undefined)}>${t.keep}</button>
    </div>
  </form>`;
}
