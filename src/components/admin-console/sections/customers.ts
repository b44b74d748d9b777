import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import {
  ConsoleErasureRequest,
  consoleCustomerRoutes,
  ErasurePreview,
} from '../../../api/console-contract.js';
import {
  ConsoleErasurePreview,
  CustomerDetail,
  CustomerSearchQuery,
  CustomerSearchResult,
  peopleRoutes,
  type CustomerMatch,
} from '../../../api/console-people-contract.js';
import { defineOnce } from '../../../core/define.js';
import { formatDate, formatDateTime, formatMoney } from '../../../core/intl.js';
import { TaskSection } from './shared.js';
import { STRINGS, type CustomerStrings } from './customers.strings.js';

/**
 * @summary The console's customers: look a customer up, see their bookings and invoices, export their data, erase them.
 * @tag cita-console-customers
 *
 * Loaded by `<cita-admin-console>` for owners (`/admin#customers`). A lookup matches email, name
 * or phone among the customers known from the business's bookings and accounts; opening one
 * shows their bookings (in each booking's time zone) and invoices. "Export this customer's data"
 * downloads the JSON the customer could download themself; "Erase this customer" first shows
 * what goes and what the law keeps (invoices), then asks to confirm. Every lookup and every view
 * is in the audit log.
 *
 * @csspart heading - The section's heading.
 * @csspart form - The search form.
 * @csspart input - The search field.
 * @csspart button - Every button.
 * @csspart primary - The main button of a step.
 * @csspart danger - The erase buttons.
 * @csspart results - The list of matches.
 * @csspart customer - The open customer.
 * @csspart panel - The erasure confirmation.
 * @csspart download - The export link.
 * @csspart status - The polite live region.
 * @csspart alert - Errors.
 * @csspart notice - Outcomes (erased).
 *
 * @cssproperty --cita-color-accent - Accent colour.
 * @cssproperty --cita-color-danger - Errors and the erase buttons.
 * @cssproperty --cita-radius - Corner radius.
 */
export class CitaConsoleCustomers extends TaskSection {
  @state() private query = '';
  @state() private results?: CustomerMatch[];
  @state() private more = false;
  @state() private customer?: CustomerDetail;
  @state() private erasure?: ConsoleErasurePreview;
  @state() private notice = '';
  #focus?: string;

  protected override updated(): void {
    if (!this.#focus) return;
    const target = this.renderRoot.querySelector<HTMLElement>(this.#focus);
    if (target) {
      this.#focus = undefined;
      target.focus();
    }
  }

  #onSearch(e: SubmitEvent): void {
    e.preventDefault();
    const t = this.pick(STRINGS);
    const q = String(new FormData(e.target as HTMLFormElement).get('q') ?? '');
    this.query = q;
    const parsed = CustomerSearchQuery.safeParse({ q });
    if (!parsed.success) {
      this.error = t.queryTooShort;
      this.#focus = '#customer-q';
      return;
    }
    void this.run(async () => {
      const r = await this.client.get(
        peopleRoutes.customers,
        CustomerSearchResult,
        new URLSearchParams({ q: parsed.data.q }),
      );
      this.results = r.customers;
      this.more = r.more;
      this.customer = undefined;
      this.erasure = undefined;
      this.notice = '';
      this.status = r.customers.length ? t.found(r.customers.length, r.more) : t.noMatch;
    }, t.searching);
  }

  #open(email: string): void {
    const t = this.pick(STRINGS);
    void this.run(async () => {
      this.customer = await this.client.get(
        peopleRoutes.customer,
        CustomerDetail,
        new URLSearchParams({ email }),
      );
      this.erasure = undefined;
      this.status = t.opened(this.customer.name ?? this.customer.email);
      this.#focus = '#customer-heading';
    }, t.opening);
  }

  #back(): void {
    this.customer = undefined;
    this.erasure = undefined;
    this.#focus = '#results-heading';
  }

  #previewErasure(): void {
    const email = this.customer!.email;
    void this.run(async () => {
      this.erasure = await this.client.get(
        peopleRoutes.erasurePreview,
        ConsoleErasurePreview,
        new URLSearchParams({ email }),
      );
      this.#focus = '#erase-heading';
    }, this.pick(STRINGS).checking);
  }

  #erase(): void {
    const t = this.pick(STRINGS);
    const body = ConsoleErasureRequest.parse({ email: this.customer!.email, confirm: true });
    void this.run(async () => {
      await this.client.post(consoleCustomerRoutes.erase, body, ErasurePreview);
      this.notice = t.erased;
      this.status = t.erased;
      this.customer = undefined;
      this.erasure = undefined;
      this.results = this.results?.filter((r) => r.email !== body.email);
      this.#focus = '[part~="notice"]';
    }, t.erasing);
  }

  override render() {
    const t = this.pick(STRINGS);
    return html`<section aria-labelledby="customers-heading" aria-busy=${this.busy ? 'true' : 'false'}>
      <h2 id="customers-heading" part="heading" tabindex="-1">${t.heading}</h2>
      <form part="form" role="search" novalidate @submit=${this.#onSearch}>
        <div class="field">
          <label for="customer-q">${t.searchLabel}</label>
          <span class="hint" id="customer-q-hint">${t.searchHint}</span>
          <input
            part="input"
            id="customer-q"
            name="q"
            type="search"
            autocomplete="off"
            spellcheck="false"
            .value=${this.query}
            aria-describedby="customer-q-hint"
          />
        </div>
        <div class="actions">${this.button(t.search, t.searching, undefined, 'primary')}</div>
      </form>
      ${this.renderFeedback()}
      ${this.notice ? html`<p part="notice" tabindex="-1">${this.notice}</p>` : nothing}
      ${this.customer ? this.#renderCustomer(t, this.customer) : this.#renderResults(t)}
    </section>`;
  }

  #renderResults(t: CustomerStrings) {
    if (!this.results) return nothing;
    return html`<h3 id="results-heading" tabindex="-1">${t.results}</h3>
      ${
        this.results.length
          ? html`<ul part="results" class="cards">
                ${this.results.map(
                  (c) =>
                    html`<li>
                      <button part="button" type="button" class="link" @click=${() => this.#open(c.email)}>
                        ${c.name ?? c.email}
                      </button>
                      <span>${c.email}${c.phone ? html` · ${c.phone}` : nothing}</span>
                      <span class="muted"
                        >${t.bookingCount(c.bookings)}${
                          c.lastBookingAt
                            ? html` · ${t.lastBooking(formatDate(c.lastBookingAt, this.i18n.locale))}`
                            : nothing
                        }${c.account ? html` · ${t.hasAccount}` : nothing}</span
                      >
                    </li>`,
                )}
              </ul>
              ${this.more ? html`<p class="muted">${t.more}</p>` : nothing}`
          : html`<p>${t.noMatch}</p>`
      }`;
  }

  #renderCustomer(t: CustomerStrings, c: CustomerDetail) {
    const locale = this.i18n.locale;
    const exportUrl = this.apiUrl(consoleCustomerRoutes.data, new URLSearchParams({ email: c.email }));
    return html`<article part="customer" class="stack" aria-labelledby="customer-heading">
      <div class="actions">
        <button part="button" type="button" class="link" @click=${this.#back}>${t.back}</button>
      </div>
      <h3 id="customer-heading" tabindex="-1">${c.name ?? c.email}</h3>
      <dl>
        <dt>${t.email}</dt>
        <dd>${c.email}</dd>
        <dt>${t.phone}</dt>
        <dd>${c.phone ?? t.none}</dd>
        <dt>${t.account}</dt>
        <dd>
          ${
            c.account
              ? t.accountSince(formatDate(c.account.createdAt, locale), c.account.verified)
              : t.noAccount
          }
        </dd>
      </dl>
      <div class="scroll" tabindex="0" role="region" aria-labelledby="bookings-caption">
        <table>
          <caption id="bookings-caption">
            ${t.bookings(c.bookings.length)}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t.reference}</th>
              <th scope="col">${t.when}</th>
              <th scope="col">${t.service}</th>
              <th scope="col">${t.state}</th>
            </tr>
          </thead>
          <tbody>
            ${c.bookings.map(
              (b) =>
                html`<tr>
                  <td><code>${b.reference}</code></td>
                  <td>${formatDateTime(b.start, locale, b.timeZone)}</td>
                  <td>${b.serviceName} · ${b.staffName}</td>
                  <td>${t.bookingState(b.status)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <div class="scroll" tabindex="0" role="region" aria-labelledby="invoices-caption">
        <table>
          <caption id="invoices-caption">
            ${t.invoices(c.invoices.length)}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t.number}</th>
              <th scope="col">${t.date}</th>
              <th scope="col" class="num">${t.total}</th>
              <th scope="col">${t.state}</th>
            </tr>
          </thead>
          <tbody>
            ${c.invoices.map(
              (i) =>
                html`<tr>
                  <td><code>${i.number}</code></td>
                  <td>${formatDate(`${i.issueDate}T12:00:00Z`, locale, 'UTC')}</td>
                  <td class="num">${formatMoney(i.totalMinor, i.currency, locale)}</td>
                  <td>${t.invoiceState(i.state)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <div class="actions">
        <a part="download" href=${exportUrl} download id="export-customer">${t.export}</a>
        ${this.erasure ? nothing : this.button(t.eraseStart, t.checking, () => this.#previewErasure(), 'danger')}
      </div>
      ${this.erasure ? this.#renderErasure(t, this.erasure) : nothing}
    </article>`;
  }

  #renderErasure(t: CustomerStrings, p: ConsoleErasurePreview) {
    return html`<div part="panel" role="group" aria-labelledby="erase-heading">
      <h4 id="erase-heading" tabindex="-1">${t.eraseHeading}</h4>
      <p><strong>${t.removed}</strong></p>
      <ul>
        <li>${t.removedBookings(p.bookings)}</li>
        ${p.upcoming ? html`<li>${t.cancelledUpcoming(p.upcoming)}</li>` : nothing}
        ${p.account ? html`<li>${t.removedAccount}</li>` : nothing}
      </ul>
      <p><strong>${t.kept}</strong></p>
      <ul>
        <li>${t.keptInvoices(p.invoices)}</li>
        <li>${t.keptBookings}</li>
        <li>${t.keptAudit}</li>
      </ul>
      <p>${t.irreversible}</p>
      <div class="actions">
        ${this.button(t.eraseConfirm, t.erasing, () => this.#erase(), 'danger', 'erase-confirm')}
        <button part="button" type="button" @click=${() => (this.erasure = undefined)}>${t.cancel}</button>
      </div>
    </div>`;
  }
}

defineOnce('cita-console-customers', CitaConsoleCustomers);

declare global {
  interface HTMLElementTagNameMap {
    'cita-console-customers': CitaConsoleCustomers;
  }
}
