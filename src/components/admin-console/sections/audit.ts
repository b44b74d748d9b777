import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { AuditList, consoleRoutes, type AuditEntryView } from '../../../api/console-contract.js';
import { AuditChainCheck, peopleRoutes } from '../../../api/console-people-contract.js';
import { defineOnce } from '../../../core/define.js';
import { formatDateTime } from '../../../core/intl.js';
import { endOfDay, isDay, startOfDay } from '../logic/zone-days.js';
import { TaskSection } from './shared.js';
import { STRINGS, type AuditStrings } from './audit.strings.js';

interface Filter {
  event: string;
  from: string;
  to: string;
}

/**
 * @summary The console's audit log: filter by event and by days in the business's zone, page through, download CSV or JSON, and verify the hash chain.
 * @tag cita-console-audit
 *
 * Loaded by `<cita-admin-console>` for owners (`/admin#audit`). Entries are newest first, 100 a
 * page ("Older entries" loads the next); a download takes the filtered log, up to 1000 rows.
 * "Verify the chain" runs the check of `cita-server audit verify` for this business and says
 * whether the log is intact or which row first breaks it.
 *
 * @csspart heading - The section's heading.
 * @csspart form - The filter form.
 * @csspart select - The event filter.
 * @csspart input - The date fields.
 * @csspart button - Every button.
 * @csspart primary - The filter button.
 * @csspart download - The CSV and JSON download links.
 * @csspart entries - The table of entries.
 * @csspart chain - The outcome of the chain check.
 * @csspart status - The polite live region.
 * @csspart alert - Errors.
 *
 * @cssproperty --cita-color-accent - Accent colour.
 * @cssproperty --cita-color-danger - Errors and a broken chain.
 * @cssproperty --cita-radius - Corner radius.
 */
export class CitaConsoleAudit extends TaskSection {
  @state() private entries: AuditEntryView[] = [];
  @state() private next?: string;
  @state() private events: string[] = [];
  @state() private timeZone = 'UTC';
  @state() private filter: Filter = { event: '', from: '', to: '' };
  @state() private chain?: AuditChainCheck;
  @state() private dateError = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load(false);
  }

  /** The query of the current filter (days become instants in the business's zone). */
  #search(f: Filter = this.filter): URLSearchParams {
    const s = new URLSearchParams();
    if (f.event) s.set('event', f.event);
    if (f.from) s.set('from', startOfDay(f.from, this.timeZone));
    if (f.to) s.set('to', endOfDay(f.to, this.timeZone));
    return s;
  }

  async #load(more: boolean): Promise<void> {
    const t = this.pick(STRINGS);
    await this.run(async () => {
      const search = this.#search();
      if (more && this.next) search.set('before', this.next);
      const list = await this.client.get(consoleRoutes.audit, AuditList, search);
      this.entries = more ? [...this.entries, ...list.entries] : list.entries;
      this.next = list.next;
      this.events = list.events;
      this.timeZone = list.timeZone;
      this.status = t.showing(this.entries.length, Boolean(list.next));
    }, t.loading);
  }

  #onFilter(e: SubmitEvent): void {
    e.preventDefault();
    const t = this.pick(STRINGS);
    const data = new FormData(e.target as HTMLFormElement);
    const f: Filter = {
      event: String(data.get('event') ?? ''),
      from: String(data.get('from') ?? ''),
      to: String(data.get('to') ?? ''),
    };
    this.filter = f;
    if ((f.from && !isDay(f.from)) || (f.to && !isDay(f.to)) || (f.from && f.to && f.from > f.to)) {
      this.dateError = t.badRange;
      return;
    }
    this.dateError = '';
    void this.#load(false);
  }

  #verify(): void {
    const t = this.pick(STRINGS);
    void this.run(async () => {
      this.chain = await this.client.get(peopleRoutes.auditVerify, AuditChainCheck);
      this.status = this.chain.ok ? t.intact(this.chain.rows) : t.broken;
    }, t.verifying);
  }

  #download(format: 'csv' | 'json') {
    const s = this.#search();
    s.set('format', format);
    return this.apiUrl(consoleRoutes.audit, s);
  }

  override render() {
    const t = this.pick(STRINGS);
    return html`<section aria-labelledby="audit-heading" aria-busy=${this.busy ? 'true' : 'false'}>
      <h2 id="audit-heading" part="heading" tabindex="-1">${t.heading}</h2>
      <form part="form" novalidate @submit=${this.#onFilter} aria-label=${t.filter}>
        <div class="filters">
          <div class="field">
            <label for="audit-event">${t.event}</label>
            <select part="select" id="audit-event" name="event">
              <option value="" ?selected=${!this.filter.event}>${t.allEvents}</option>
              ${this.events.map(
                (e) => html`<option value=${e} ?selected=${this.filter.event === e}>${e}</option>`,
              )}
            </select>
          </div>
          <div class="field">
            <label for="audit-from">${t.from}</label>
            <input
              part="input"
              id="audit-from"
              name="from"
              type="date"
              .value=${this.filter.from}
              aria-describedby="audit-zone audit-date-error"
              aria-invalid=${this.dateError ? 'true' : 'false'}
            />
          </div>
          <div class="field">
            <label for="audit-to">${t.to}</label>
            <input
              part="input"
              id="audit-to"
              name="to"
              type="date"
              .value=${this.filter.to}
              aria-describedby="audit-zone audit-date-error"
              aria-invalid=${this.dateError ? 'true' : 'false'}
            />
          </div>
          <div class="actions">${this.button(t.apply, t.loading, undefined, 'primary')}</div>
        </div>
        <span class="hint" id="audit-zone">${t.zone(this.timeZone)}</span>
        <span class="error" id="audit-date-error">${this.dateError}</span>
      </form>
      <div class="actions">
        <a part="download" id="audit-csv" href=${this.#download('csv')} download>${t.csv}</a>
        <a part="download" id="audit-json" href=${this.#download('json')} download>${t.json}</a>
        ${this.button(t.verify, t.verifying, () => this.#verify(), '', 'audit-verify')}
      </div>
      ${this.chain ? this.#renderChain(t, this.chain) : nothing} ${this.renderFeedback()}
      ${this.#renderEntries(t)}
      ${this.next ? html`<div class="actions">${this.button(t.older, t.loading, () => void this.#load(true))}</div>` : nothing}
    </section>`;
  }

  #renderChain(t: AuditStrings, c: AuditChainCheck) {
    return c.ok
      ? html`<p part="chain notice">${t.intact(c.rows)}</p>`
      : html`<div part="chain alert">
          <p><strong>${t.broken}</strong></p>
          <p>${c.problem}</p>
        </div>`;
  }

  #who(t: AuditStrings, e: AuditEntryView) {
    if (e.actor) return e.actor.name ? `${e.actor.name} (${e.actor.email})` : e.actor.email;
    if (e.accountId) return t.removedAccount;
    return e.clientAddress === 'cli' ? t.cli : t.nobody;
  }

  #renderEntries(t: AuditStrings) {
    const locale = this.i18n.locale;
    return html`<div class="scroll" tabindex="0" role="region" aria-labelledby="audit-caption">
      <table part="entries">
        <caption id="audit-caption">
          ${t.caption(this.entries.length)}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t.time}</th>
            <th scope="col">${t.event}</th>
            <th scope="col">${t.who}</th>
            <th scope="col">${t.about}</th>
          </tr>
        </thead>
        <tbody>
          ${this.entries.map(
            (e) =>
              html`<tr>
                <td>${formatDateTime(e.at, locale, this.timeZone)}</td>
                <td><code>${e.event}</code></td>
                <td>${this.#who(t, e)}</td>
                <td>
                  ${e.subject ? html`<code>${e.subject}</code>` : nothing}
                  ${e.detail ? html`<div class="muted"><code>${e.detail}</code></div>` : nothing}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

defineOnce('cita-console-audit', CitaConsoleAudit);

declare global {
  interface HTMLElementTagNameMap {
    'cita-console-audit': CitaConsoleAudit;
  }
}
