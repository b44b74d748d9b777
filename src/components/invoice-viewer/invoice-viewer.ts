import { css, html, nothing, svg, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Invoice, InvoiceSummary } from '../../api/invoice-contract.js';
import { CitaElement } from '../../core/cita-element.js';
import { getConfig } from '../../core/config.js';
import { emit } from '../../core/events.js';
import { formatMoney } from '../../core/intl.js';
import { AccountClient } from '../../frame/account-client.js';
import { errorCode } from '../account/logic/errors.js';
import type { QrSymbol } from '../../frame/qr.js';
import { INVOICE_STRINGS, type InvoiceStrings } from './strings.js';

/**
 * @summary The signed-in customer's invoices: a list, each invoice as accessible HTML with its tax QR code, its PDF, the links between an invoice and its corrections, and "request a full invoice".
 * @tag cita-invoice-viewer
 *
 * Runs inside the isolated frame (tier I, on the backend's origin): as the "Invoices" section of
 * `<cita-account>`, which hands it its client, or on its own at `/frame/{business}/invoices`,
 * where it shows the account's sign-in first when nobody is signed in. An emailed link
 * (`#invoice=<id>`) opens that invoice. Amounts and dates are formatted with `Intl` in the
 * element's language (Spanish or English). PDFs download through single-use links that expire
 * after 60 seconds.
 *
 * @csspart base - The wrapper.
 * @csspart list - The table of invoices.
 * @csspart invoice - The open invoice.
 * @csspart qr - The tax QR code (an SVG image) and its caption.
 * @csspart button - Every button.
 * @csspart form - The "request a full invoice" form.
 * @csspart input - Its inputs.
 * @csspart alert - Errors (an assertive live region).
 * @csspart status - Progress and outcomes (a polite live region).
 *
 * @cssproperty --cita-color-accent - Accent colour (links, focus).
 * @cssproperty --cita-color-danger - Colour of errors.
 * @cssproperty --cita-color-text - Text colour.
 * @cssproperty --cita-radius - Corner radius.
 * @cssproperty --cita-font-family - Font.
 *
 * @event cita-invoice-opened - `detail: { invoiceId }` when an invoice is shown.
 * @event cita-invoice-downloaded - `detail: { invoiceId }` when its PDF download starts.
 * @event cita-full-invoice-issued - `detail: { invoiceId, replaces }` after a full invoice was issued on request.
 * @event cita-error - `detail: { code }` when a request fails.
 */
export class CitaInvoiceViewer extends CitaElement {
  static override styles = [
    CitaElement.styles,
    css`
      :host {
        display: block;
        color: var(--cita-color-text, inherit);
        /* The invoice's details stack under their labels when the viewer is narrow (a phone). */
        container-type: inline-size;
      }
      p {
        margin-block: 0 0.75rem;
      }
      table {
        border-collapse: collapse;
        inline-size: 100%;
      }
      th,
      td {
        text-align: start;
        padding: 0.35rem 0.5rem 0.35rem 0;
        border-block-end: 1px solid color-mix(in srgb, currentColor 20%, transparent);
      }
      td.num,
      th.num {
        text-align: end;
      }
      button {
        font: inherit;
        cursor: pointer;
        /* A finger-sized target, as in the account around it. */
        min-block-size: 2.75rem;
        padding: 0.375rem 1rem;
        border-radius: var(--cita-radius, 0.4rem);
        border: 1px solid currentColor;
        background: transparent;
        color: inherit;
      }
      button.link {
        min-block-size: 0;
        border: none;
        padding: 0;
        color: var(--cita-color-accent, LinkText);
        text-decoration: underline;
      }
      button:focus-visible,
      input:focus-visible,
      textarea:focus-visible {
        outline: 2px solid var(--cita-color-accent, Highlight);
        outline-offset: 2px;
      }
      .qr svg {
        inline-size: 8rem;
        block-size: 8rem;
        background: #fff;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-block: 0.75rem;
      }
      label {
        display: block;
        margin-block: 0.5rem;
      }
      input,
      textarea {
        display: block;
        font: inherit;
        inline-size: 100%;
        max-inline-size: 24rem;
        padding: 0.3rem;
      }
      [part='alert'] {
        color: var(--cita-color-danger, #b00020);
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.2rem 1rem;
      }
      dd {
        margin: 0;
      }
      @container (max-width: 26rem) {
        dl {
          grid-template-columns: 1fr;
          gap: 0;
        }
        dt {
          font-size: 0.9em;
          color: color-mix(in srgb, currentColor 68%, transparent);
        }
        dd {
          margin-block-end: 0.5rem;
        }
      }
      .visually-hidden {
        position: absolute;
        inline-size: 1px;
        block-size: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
    `,
  ];

  /** The account client to use (given by `<cita-account>`); one is made from the configuration otherwise. */
  @property({ attribute: false }) client?: AccountClient;
  /** An invoice id to open first (default: the page's `#invoice=<id>`). */
  @property() invoice = '';

  @state() private list?: InvoiceSummary[];
  @state() private open?: Invoice;
  /** The open invoice's tax QR code (the encoder is its own chunk, fetched with the invoice). */
  private qr?: QrSymbol;
  @state() private error?: string;
  @state() private status?: string;
  @state() private requesting = false;
  @state() private busy = false;
  @state() private fieldError?: string;

  #started = false;

  private get t(): InvoiceStrings {
    return INVOICE_STRINGS[this.i18n.locale.toLowerCase().startsWith('es') ? 'es' : 'en'];
  }

  /** Standalone: the client made here (re-made after the embedded sign-in stores a session). */
  #own?: AccountClient;

  #client(): AccountClient | undefined {
    if (this.client) return this.client;
    if (this.#own) return this.#own;
    const config = getConfig();
    if (!config.endpoint || !config.business) return undefined;
    this.#own = new AccountClient({ endpoint: config.endpoint, business: config.business });
    return this.#own;
  }

  #signedIn(): void {
    this.#own = undefined;
    void this.#load().then(() => this.requestUpdate());
  }

  protected override updated(changed: PropertyValues): void {
    if (!this.#started || changed.has('client')) {
      this.#started = true;
      void this.#load();
    }
  }

  /** Reload the list (and the open invoice). */
  async refresh(): Promise<void> {
    await this.#load();
  }

  async #load(): Promise<void> {
    const client = this.#client();
    if (!client?.signedIn) {
      this.list = undefined;
      return;
    }
    try {
      this.list = (await client.invoices()).invoices;
      const first = this.invoice || /#invoice=([0-9a-f-]{36})/.exec(globalThis.location?.hash ?? '')?.[1];
      if (first && !this.open && this.list.some((i) => i.id === first)) await this.#show(first, false);
    } catch (err) {
      this.#fail(err);
    }
  }

  async #show(id: string, focus = true): Promise<void> {
    this.error = undefined;
    this.requesting = false;
    try {
      const [open, { qrSymbol }] = await Promise.all([
        this.#client()!.invoice(id, { userAction: true }),
        import('../../frame/qr.js'),
      ]);
      this.qr = open.qr ? qrSymbol(open.qr.url, 2) : undefined;
      this.open = open;
      emit(this, 'cita-invoice-opened', { invoiceId: id });
      if (focus) {
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('#invoice-heading')?.focus();
      }
    } catch (err) {
      this.#fail(err);
    }
  }

  async #back(): Promise<void> {
    const id = this.open?.id;
    this.open = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-id="${id}"]`)?.focus();
  }

  async #download(): Promise<void> {
    const inv = this.open!;
    this.busy = true;
    try {
      const lang = this.i18n.locale.toLowerCase().startsWith('es') ? 'es' : 'en';
      const link = await this.#client()!.invoiceDownloadLink(
        inv.id,
        { language: lang },
        { userAction: true },
      );
      const a = document.createElement('a');
      a.href = link.url;
      a.download = `${inv.number}.pdf`;
      a.rel = 'noopener';
      this.renderRoot.append(a);
      a.click();
      a.remove();
      this.status = this.t.downloadStarted;
      emit(this, 'cita-invoice-downloaded', { invoiceId: inv.id });
    } catch (err) {
      this.#fail(err);
    } finally {
      this.busy = false;
    }
  }

  async #requestFull(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const original = this.open!;
    this.busy = true;
    this.fieldError = undefined;
    try {
      const full = await this.#client()!.requestFullInvoice(
        original.id,
        {
          name: String(data.get('name') ?? ''),
          taxId: String(data.get('taxId') ?? ''),
          address: String(data.get('address') ?? ''),
        },
        { userAction: true },
      );
      this.requesting = false;
      this.status = this.t.fullIssued(full.number);
      emit(this, 'cita-full-invoice-issued', { invoiceId: full.id, replaces: original.id });
      this.list = (await this.#client()!.invoices()).invoices;
      await this.#show(full.id);
    } catch (err) {
      const code = errorCode(err);
      if (code === 'invalid_tax_id' || code === 'validation_failed') {
        this.fieldError = code === 'invalid_tax_id' ? this.t.badTaxId : this.t.fillAll;
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLInputElement>('#full-taxid')?.focus();
      } else this.#fail(err);
    } finally {
      this.busy = false;
    }
  }

  #fail(err: unknown): void {
    const code = errorCode(err);
    this.error = code === 'not_found' ? this.t.notFound : this.t.failed;
    emit(this, 'cita-error', { code });
  }

  /* ---------------------------------------------------------------------------------------------- */

  #money(minor: number, currency: string) {
    return formatMoney(minor, currency, this.i18n.locale);
  }

  #date(ymd: string) {
    return new Intl.DateTimeFormat(this.i18n.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(`${ymd}T12:00:00Z`),
    );
  }

  protected override render() {
    const t = this.t;
    return html`<div part="base">
      <div part="status" role="status" aria-live="polite">${this.status ?? ''}</div>
      <div part="alert" role="alert">${this.error ?? ''}</div>
      ${this.open ? this.#renderInvoice(this.open) : this.#renderList(t)}
    </div>`;
  }

  #renderList(t: InvoiceStrings) {
    const client = this.#client();
    if (!client?.signedIn)
      return this.client
        ? html`<p>${t.signInFirst}</p>`
        : html`<p>${t.signInFirst}</p>
            <cita-account @cita-signed-in=${() => this.#signedIn()}></cita-account>`;
    if (!this.list) return html`<p>${t.loading}</p>`;
    if (!this.list.length) return html`<p>${t.none}</p>`;
    return html`<table part="list">
      <caption class="visually-hidden">
        ${t.listCaption}
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
        ${this.list.map(
          (i) =>
            html`<tr>
              <td>
                <button
                  part="button"
                  class="link"
                  data-id=${i.id}
                  type="button"
                  @click=${() => void this.#show(i.id)}
                >
                  ${i.number}
                </button>
              </td>
              <td>${this.#date(i.issueDate)}</td>
              <td class="num">${this.#money(i.totalMinor, i.currency)}</td>
              <td>${t.states[i.state]}${i.type === 'F2' ? html` · ${t.simplified}` : nothing}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  #renderInvoice(inv: Invoice) {
    const t = this.t;
    const m = (minor: number) => this.#money(minor, inv.currency);
    const ref = (r: { id: string; number: string }) =>
      html`<button part="button" class="link" type="button" @click=${() => void this.#show(r.id)}>
        ${r.number}
      </button>`;
    return html`<article part="invoice" aria-labelledby="invoice-heading">
      <h4 id="invoice-heading" tabindex="-1">${t.types[inv.type]} ${inv.number}</h4>
      ${
        inv.qr
          ? html`<figure part="qr" class="qr">
              <figcaption>${t.qrCaption}</figcaption>
              ${this.#qr(inv.number)} ${inv.qr.verifactu ? html`<p>VERI*FACTU</p>` : nothing}
            </figure>`
          : nothing
      }
      <dl>
        <dt>${t.state}</dt>
        <dd>${t.states[inv.state]}</dd>
        <dt>${t.date}</dt>
        <dd>${this.#date(inv.issueDate)}</dd>
        ${
          inv.operationDate
            ? html`<dt>${t.operationDate}</dt>
                <dd>${this.#date(inv.operationDate)}</dd>`
            : nothing
        }
        <dt>${t.issuer}</dt>
        <dd>${inv.issuer.legalName}, ${t.taxId} ${inv.issuer.taxId}, ${inv.issuer.address}</dd>
        ${
          inv.customer.name || inv.customer.taxId
            ? html`<dt>${t.customer}</dt>
                <dd>
                  ${[
                    inv.customer.name,
                    inv.customer.taxId && `${t.taxId} ${inv.customer.taxId}`,
                    inv.customer.address,
                  ]
                    .filter(Boolean)
                    .join(', ')}
                </dd>`
            : nothing
        }
        ${
          inv.corrects
            ? html`<dt>${t.corrects}</dt>
                <dd>${ref(inv.corrects)}</dd>`
            : nothing
        }
        ${
          inv.replaces
            ? html`<dt>${t.replaces}</dt>
                <dd>${ref(inv.replaces)}</dd>`
            : nothing
        }
        ${
          inv.correctedBy.length
            ? html`<dt>${t.correctedBy}</dt>
                <dd>${inv.correctedBy.map((r, i) => html`${i ? ', ' : ''}${ref(r)}`)}</dd>`
            : nothing
        }
        ${
          inv.replacedBy
            ? html`<dt>${t.replacedBy}</dt>
                <dd>${ref(inv.replacedBy)}</dd>`
            : nothing
        }
        ${
          inv.reason
            ? html`<dt>${t.reason}</dt>
                <dd>${inv.reason}</dd>`
            : nothing
        }
      </dl>
      <table>
        <caption class="visually-hidden">
          ${t.linesCaption}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t.description}</th>
            <th scope="col" class="num">${t.quantity}</th>
            <th scope="col" class="num">${t.rate}</th>
            <th scope="col" class="num">${t.amount}</th>
          </tr>
        </thead>
        <tbody>
          ${inv.lines.map(
            (l) =>
              html`<tr>
                <td>${l.description}</td>
                <td class="num">${l.quantity}</td>
                <td class="num">${l.rate !== undefined ? `${l.rate} %` : t.exempt}</td>
                <td class="num">${m(l.amountMinor)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <dl>
        ${inv.breakdown.map(
          (b) =>
            html`<dt>
                ${b.rate !== undefined ? `${inv.tax} ${b.rate} %` : `${t.exempt} (${b.exemption?.reference})`}
              </dt>
              <dd>${t.base} ${m(b.baseMinor)} · ${t.tax} ${m(b.taxMinor)}</dd>`,
        )}
        <dt><strong>${t.total}</strong></dt>
        <dd><strong>${m(inv.totalMinor)}</strong></dd>
      </dl>
      <div class="actions">
        <button part="button" type="button" ?disabled=${this.busy} @click=${() => void this.#download()}>
          ${t.download}
        </button>
        ${
          inv.type === 'F2' && inv.state === 'issued' && !this.requesting
            ? html`<button part="button" type="button" @click=${() => this.#startRequest()}>
                ${t.requestFull}
              </button>`
            : nothing
        }
        <button part="button" type="button" @click=${() => void this.#back()}>${t.back}</button>
      </div>
      ${this.requesting ? this.#renderRequest(t) : nothing}
    </article>`;
  }

  async #startRequest(): Promise<void> {
    this.requesting = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#full-name')?.focus();
  }

  #renderRequest(t: InvoiceStrings) {
    return html`<form part="form" @submit=${(e: SubmitEvent) => void this.#requestFull(e)}>
      <p>${t.requestFullHelp}</p>
      <label
        >${t.fullName}<input
          part="input"
          id="full-name"
          name="name"
          required
          autocomplete="name"
          maxlength="120"
      /></label>
      <label
        >${t.taxId}<input
          part="input"
          id="full-taxid"
          name="taxId"
          required
          maxlength="20"
          autocomplete="off"
          aria-invalid=${this.fieldError ? 'true' : 'false'}
          aria-describedby="full-taxid-error"
      /></label>
      <p id="full-taxid-error" part="alert">${this.fieldError ?? ''}</p>
      <label
        >${t.address}<textarea part="input" name="address" required maxlength="300" rows="2"></textarea>
      </label>
      <div class="actions">
        <button part="button" type="submit" ?disabled=${this.busy}>${t.sendRequest}</button>
        <button part="button" type="button" @click=${() => (this.requesting = false)}>${t.cancel}</button>
      </div>
    </form>`;
  }

  /** The QR code as one SVG path (error correction M), labelled for screen readers. */
  #qr(number: string) {
    const qr = this.qr;
    if (!qr) return nothing;
    return svg`<svg role="img" aria-label=${this.t.qrLabel(number)} viewBox="0 0 ${qr.size} ${qr.size}" shape-rendering="crispEdges">
      <rect width=${qr.size} height=${qr.size} fill="#fff"></rect>
      <path d=${qr.path} fill="#000"></path>
    </svg>`;
  }
}
