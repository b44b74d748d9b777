import { html, nothing, type PropertyValues } from 'lit';
import { state } from 'lit/decorators.js';
import {
  BookingDetail,
  BookingListPage,
  StaffCancelRequest,
  consoleBookingRoutes as routes,
  type BookingRow,
  type BookingInvoice,
  type BookingState,
} from '../../../api/console-bookings-contract.js';
import {
  CorrectInvoiceRequest,
  IssueInvoiceRequest,
  Invoice,
  adminInvoiceRoutes,
} from '../../../api/invoice-contract.js';
import { defineOnce } from '../../../core/define.js';
import { emit } from '../../../core/events.js';
import { ymdInZone, ymdKey } from '../../../core/intl.js';
import { errorCode } from '../../account/logic/errors.js';
import { ConsoleSection } from '../console-section.js';
import { parseAmount } from './bookings/amount.js';
import { bookingsStyles } from './bookings/bookings.styles.js';
import { renderDetail, type CancelStep } from './bookings/detail.js';
import { renderSearch, renderTable, renderToolbar, type ListContext } from './bookings/list.js';
import { rangeOf, stepAnchor, type BookingsView } from './bookings/range.js';
import { STRINGS, problemText, type BookingsStrings } from './bookings/strings.js';

/** How long typing pauses before the search runs. */
const SEARCH_DEBOUNCE_MS = 350;

/**
 * @summary The console's bookings: today, a week or a month in the business's time zone, a search over every date, and each booking's detail (consent proof, invoices) with its actions.
 * @tag cita-console-bookings
 *
 * A section of `<cita-admin-console>` (given `client` and `me` by it). Any staff member lists,
 * reads and marks attendance; cancelling after the customer's cutoff is for owners, who tick
 * "override the customer's cancellation cutoff" and confirm (the server audits it). In HIPAA mode
 * staff without access see "Hidden" for customers' details. Times and dates are in the
 * business's zone, named under the range. The list is a table that becomes one card per booking
 * when the element is narrower than 40rem. The detail is a modal dialog: it takes focus, Escape
 * or Close shuts it, and focus returns to the booking's button.
 *
 * @attr theme - Colour scheme: `light`, `dark`, or `auto` (inherited from the console).
 *
 * @csspart base - The section.
 * @csspart heading - The section's heading.
 * @csspart toolbar - The view buttons and previous / today / next.
 * @csspart views - The Today / Week / Month buttons (`aria-pressed` on the one shown).
 * @csspart range - The range shown, in words.
 * @csspart search - The search form.
 * @csspart table - The bookings table (cards when narrow).
 * @csspart row - A booking's row.
 * @csspart badge - A state badge; also `badge-confirmed`, `badge-attended`, `badge-no_show`, `badge-cancelled`, `badge-held`.
 * @csspart dialog - The booking's detail dialog.
 * @csspart facts - The booking's details in the dialog.
 * @csspart actions - Mark attended, No-show, Issue invoice, Cancel.
 * @csspart cancel-form - The cancellation form (reason, override, confirmation).
 * @csspart consents - The consent proof section; `consent-table` its table.
 * @csspart consent-table - The consent proof table.
 * @csspart invoices - The invoices section; `invoice` each invoice.
 * @csspart invoice - One invoice.
 * @csspart correction-form - A correction's amount and reason.
 * @csspart button - Every button.
 * @csspart status - The polite live region (loading, saved).
 * @csspart alert - Errors.
 * @csspart notice - Explanations (e.g. why staff cannot cancel).
 *
 * @cssproperty --cita-color-accent - Accent colour (buttons, the confirmed badge).
 * @cssproperty --cita-color-danger - Errors and the cancel button.
 * @cssproperty --cita-radius - Corner radius.
 * @cssproperty --cita-console-bookings-attended - The attended badge's colour.
 * @cssproperty --cita-console-bookings-no-show - The no-show badge's colour.
 * @cssproperty --cita-console-bookings-cancelled - The cancelled badge's colour.
 * @cssproperty --cita-console-bookings-confirmed - The confirmed badge's colour.
 *
 * @event cita-booking-updated - `detail: { bookingId, state }` after a booking is marked, cancelled or invoiced here.
 * @event cita-error - `detail: { code }` when a request fails.
 */
export class CitaConsoleBookings extends ConsoleSection {
  static override styles = [...ConsoleSection.styles, bookingsStyles];

  @state() private view: BookingsView = 'day';
  /** The day the view is anchored on (local date in the business's zone); unset until the first answer. */
  @state() private anchor?: string;
  @state() private timeZone?: string;
  @state() private draft = '';
  /** The search that ran (empty: the range view). */
  @state() private search = '';
  @state() private stateFilter: BookingState | '' = '';
  @state() private rows: BookingRow[] = [];
  @state() private nextOffset: number | null = null;
  @state() private loading = false;
  @state() private listError?: string;
  @state() private detail?: BookingDetail;
  @state() private detailLoading = false;
  @state() private detailError?: string;
  @state() private busy = false;
  @state() private actionError?: string;
  @state() private status = '';
  /** What the last change did (or is doing), announced inside the dialog. */
  @state() private actionStatus = '';
  @state() private cancelStep: CancelStep = 'closed';
  @state() private override = false;
  @state() private reason = '';
  @state() private correcting?: string;
  @state() private amount = '';
  @state() private correctionReason = '';
  @state() private fieldErrors: Record<string, string> = {};

  #request = 0;
  #debounce?: ReturnType<typeof setTimeout>;
  #opener?: string;
  #focusNext?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.client) void this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#debounce);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('client') && this.client && this.isConnected && !this.loading && !this.rows.length)
      void this.#load();
  }

  protected override updated(): void {
    if (!this.#focusNext) return;
    const target = this.renderRoot.querySelector<HTMLElement>(this.#focusNext);
    if (target) {
      this.#focusNext = undefined;
      target.focus();
    }
  }

  private get t(): BookingsStrings {
    return this.pick(STRINGS);
  }

  private get locale(): string {
    return this.i18n.locale;
  }

  /* ---- the list --------------------------------------------------------------------------- */

  #params(offset: number): URLSearchParams {
    const p = new URLSearchParams();
    if (this.search) p.set('q', this.search);
    else if (this.anchor) {
      const r = rangeOf(this.view, this.anchor, this.locale);
      p.set('from', r.from);
      p.set('to', r.to);
    }
    if (this.stateFilter) p.set('state', this.stateFilter);
    if (offset) p.set('offset', String(offset));
    return p;
  }

  async #load(more = false): Promise<void> {
    const id = ++this.#request;
    this.loading = true;
    this.listError = undefined;
    try {
      const page = await this.client.get(
        routes.list,
        BookingListPage,
        this.#params(more ? (this.nextOffset ?? 0) : 0),
      );
      if (id !== this.#request) return; // a newer view or search was asked for meanwhile
      this.timeZone = page.timeZone;
      this.anchor ??= page.today;
      this.rows = more ? [...this.rows, ...page.bookings] : page.bookings;
      this.nextOffset = page.nextOffset;
      this.status = this.search
        ? `${this.t.searchResults(this.search)}: ${this.t.results(this.rows.length, page.nextOffset !== null)}`
        : this.t.results(this.rows.length, page.nextOffset !== null);
    } catch (err) {
      if (id !== this.#request) return;
      this.listError = this.#fail(err);
    } finally {
      if (id === this.#request) this.loading = false;
    }
  }

  #setView(view: BookingsView): void {
    this.view = view;
    this.#reload();
  }

  #step(step: -1 | 1 | 0): void {
    if (!this.anchor) return;
    this.anchor = step === 0 ? this.#today() : stepAnchor(this.view, this.anchor, step);
    this.#reload();
  }

  /** Today in the business's zone, by this device's clock (the server's "today" came with the first page). */
  #today(): string {
    return ymdKey(ymdInZone(Date.now(), this.timeZone ?? 'UTC'));
  }

  #reload(): void {
    this.search = '';
    this.draft = '';
    void this.#load();
  }

  #onSearchInput(e: Event): void {
    this.draft = (e.target as HTMLInputElement).value;
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => this.#runSearch(), SEARCH_DEBOUNCE_MS);
  }

  #onSearchSubmit(e: SubmitEvent): void {
    e.preventDefault();
    clearTimeout(this.#debounce);
    this.#runSearch();
  }

  #runSearch(): void {
    const q = this.draft.trim();
    if (q === this.search) return;
    this.search = q;
    void this.#load();
  }

  #clearSearch(): void {
    clearTimeout(this.#debounce);
    this.#reload();
    this.#focusNext = '#search';
  }

  #onStateFilter(e: Event): void {
    this.stateFilter = (e.target as HTMLSelectElement).value as BookingState | '';
    void this.#load();
  }

  /* ---- the detail ------------------------------------------------------------------------- */

  async #open(row: BookingRow): Promise<void> {
    this.#opener = row.id;
    this.detail = undefined;
    this.detailError = undefined;
    this.actionError = undefined;
    this.actionStatus = '';
    this.#resetForms();
    this.detailLoading = true;
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog && !dialog.open) dialog.showModal();
    this.#focusNext = '#detail-heading';
    try {
      this.detail = await this.client.get(routes.get(row.id), BookingDetail);
    } catch (err) {
      this.detailError = this.#fail(err);
    } finally {
      this.detailLoading = false;
    }
  }

  #close(): void {
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog?.open) dialog.close();
  }

  /** The dialog closed (Close, Escape): focus back on the booking's button. */
  #onClosed(): void {
    this.detail = undefined;
    this.#resetForms();
    if (this.#opener) this.#focusNext = `[data-booking="${this.#opener}"]`;
    this.requestUpdate();
  }

  #resetForms(): void {
    this.cancelStep = 'closed';
    this.override = false;
    this.reason = '';
    this.correcting = undefined;
    this.amount = '';
    this.correctionReason = '';
    this.fieldErrors = {};
  }

  /** Runs a change; the form's values stay as typed when it fails. */
  async #act(
    task: () => Promise<BookingDetail>,
    saved: (d: BookingDetail, before: BookingDetail) => string,
  ): Promise<void> {
    const before = this.detail;
    if (this.busy || !before) return;
    this.busy = true;
    this.actionError = undefined;
    this.actionStatus = '';
    try {
      const d = await task();
      this.detail = d;
      this.rows = this.rows.map((r) => (r.id === d.id ? { ...r, state: d.state } : r));
      this.actionStatus = saved(d, before);
      emit(this, 'cita-booking-updated', { bookingId: d.id, state: d.state });
    } catch (err) {
      this.actionError = this.#fail(err);
      this.#focusNext = '#action-error';
    } finally {
      this.busy = false;
    }
  }

  #attendance(value: 'attended' | 'no_show'): void {
    const id = this.detail!.id;
    void this.#act(
      () => this.client.post(routes.attendance(id), { attendance: value }, BookingDetail),
      (d, before) => {
        const t = this.t;
        if (d.invoiceProblem) return t.invoiceNotIssued(problemText(t, d.invoiceProblem));
        const fresh = value === 'attended' && !before.invoices.length && d.invoices[0];
        return fresh ? t.invoiceIssuedWithMark(fresh.number) : t.saved[value];
      },
    );
  }

  #onCancel(e: SubmitEvent): void {
    e.preventDefault();
    const d = this.detail!;
    if (d.can.cancel === 'override' && !this.override) {
      this.fieldErrors = { override: this.t.required };
      this.#focusNext = '#override';
      return;
    }
    this.fieldErrors = {};
    if (this.cancelStep !== 'confirm') {
      this.cancelStep = 'confirm';
      return;
    }
    const body = StaffCancelRequest.parse({
      ...(this.reason.trim() ? { reason: this.reason } : {}),
      ...(d.can.cancel === 'override' ? { override: true } : {}),
    });
    void this.#act(
      async () => {
        const r = await this.client.post(routes.cancel(d.id), body, BookingDetail);
        this.#resetForms();
        return r;
      },
      () => this.t.saved.cancelled,
    );
  }

  #issueInvoice(): void {
    const id = this.detail!.id;
    const body = IssueInvoiceRequest.parse({ bookingId: id });
    void this.#act(
      async () => {
        await this.client.post(adminInvoiceRoutes.list, body, Invoice);
        return this.client.get(routes.get(id), BookingDetail);
      },
      () => this.t.saved.invoice,
    );
  }

  #onCorrect(e: SubmitEvent, invoice: BookingInvoice): void {
    e.preventDefault();
    const t = this.t;
    const errors: Record<string, string> = {};
    const amount = this.amount.trim() ? parseAmount(this.amount) : undefined;
    if (this.amount.trim() && amount === undefined) errors.amount = t.badAmount;
    if (!this.correctionReason.trim()) errors.correctionReason = t.required;
    this.fieldErrors = errors;
    const first = Object.keys(errors)[0];
    if (first) {
      this.#focusNext = first === 'amount' ? '#amount' : '#correction-reason';
      return;
    }
    const body = CorrectInvoiceRequest.parse({
      reason: this.correctionReason,
      ...(amount !== undefined ? { refunds: [{ line: 0, amountMinor: amount }] } : {}),
    });
    const id = this.detail!.id;
    void this.#act(
      async () => {
        await this.client.post(adminInvoiceRoutes.corrections(invoice.id), body, Invoice);
        this.#resetForms();
        return this.client.get(routes.get(id), BookingDetail);
      },
      () => t.saved.correction,
    );
  }

  #fail(err: unknown): string {
    const code = errorCode(err);
    emit(this, 'cita-error', { code });
    return code;
  }

  /* ---- rendering -------------------------------------------------------------------------- */

  override render() {
    const t = this.t;
    const list: ListContext = {
      t,
      locale: this.locale,
      view: this.view,
      ...(this.anchor ? { anchor: this.anchor } : {}),
      ...(this.timeZone ? { timeZone: this.timeZone } : {}),
      search: this.search,
      draft: this.draft,
      stateFilter: this.stateFilter,
      rows: this.rows,
      loading: this.loading,
      on: {
        view: (v) => this.#setView(v),
        step: (step) => this.#step(step),
        searchInput: (e) => this.#onSearchInput(e),
        searchSubmit: (e) => this.#onSearchSubmit(e),
        clearSearch: () => this.#clearSearch(),
        stateFilter: (e) => this.#onStateFilter(e),
        open: (row) => void this.#open(row),
      },
    };
    return html`<section part="base" class="stack" aria-labelledby="bookings-heading">
      <h2 id="bookings-heading" part="heading" tabindex="-1">${t.heading}</h2>
      ${renderToolbar(list)} ${renderSearch(list)}
      <p part="status" role="status" aria-live="polite">${this.loading ? t.loading : this.status}</p>
      ${
        this.listError
          ? html`<div part="alert" role="alert">
              ${problemText(t, this.listError)}
              <button part="button" @click=${() => this.#load()}>${t.retry}</button>
            </div>`
          : nothing
      }
      ${renderTable(list)}
      ${
        this.nextOffset !== null
          ? html`<button
              part="button"
              aria-disabled=${this.loading}
              @click=${() => !this.loading && this.#load(true)}
            >
              ${t.loadMore}
            </button>`
          : nothing
      }
      ${this.#renderDialog(t)}
    </section>`;
  }

  #renderDialog(t: BookingsStrings) {
    const d = this.detail;
    return html`<dialog part="dialog" aria-labelledby="detail-heading" @close=${this.#onClosed}>
      <div class="stack" aria-busy=${this.busy || this.detailLoading ? 'true' : 'false'}>
        <div class="dialog-head">
          <h2 id="detail-heading" tabindex="-1">${d ? `${t.detail} ${d.reference}` : t.detail}</h2>
          <button part="button" @click=${this.#close}>${t.close}</button>
        </div>
        ${this.detailLoading ? html`<p role="status">${t.loading}</p>` : nothing}
        ${this.detailError ? html`<p part="alert" role="alert">${problemText(t, this.detailError)}</p>` : nothing}
        <p part="alert" id="action-error" role="alert" tabindex="-1" ?hidden=${!this.actionError}>
          ${this.actionError ? problemText(t, this.actionError) : ''}
        </p>
        ${
          d
            ? renderDetail({
                t,
                locale: this.locale,
                timeZone: this.timeZone ?? 'UTC',
                booking: d,
                isOwner: this.isOwner,
                busy: this.busy,
                cancelStep: this.cancelStep,
                override: this.override,
                reason: this.reason,
                ...(this.correcting ? { correcting: this.correcting } : {}),
                amount: this.amount,
                correctionReason: this.correctionReason,
                fieldErrors: this.fieldErrors,
                on: {
                  attendance: (v) => this.#attendance(v),
                  cancelStep: (s) => {
                    this.cancelStep = s;
                    this.#focusNext = s === 'form' ? '#cancel-reason' : undefined;
                  },
                  cancel: (e) => this.#onCancel(e),
                  input: (name, value) => {
                    this[name] = value;
                  },
                  override: (on) => {
                    this.override = on;
                  },
                  issueInvoice: () => this.#issueInvoice(),
                  correcting: (id) => {
                    this.correcting = id;
                    this.fieldErrors = {};
                    if (id) this.#focusNext = '#amount';
                  },
                  correct: (e, inv) => this.#onCorrect(e, inv),
                  focusInvoice: (id) => this.renderRoot.querySelector<HTMLElement>(`#invoice-${id}`)?.focus(),
                },
              })
            : nothing
        }
        <p part="status" role="status" aria-live="polite" id="action-status">
          ${this.busy ? t.saving : this.actionStatus}
        </p>
      </div>
    </dialog>`;
  }
}

defineOnce('cita-console-bookings', CitaConsoleBookings);

declare global {
  interface HTMLElementTagNameMap {
    'cita-console-bookings': CitaConsoleBookings;
  }
}
