import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import {
  HistoryCleanRequest,
  HistoryCleanResult,
  HistoryOverview,
  consoleRoutes,
  type HistoryRunView,
} from '../../../api/console-contract.js';
import { HistoryPreview, peopleRoutes } from '../../../api/console-people-contract.js';
import { defineOnce } from '../../../core/define.js';
import { formatDate, formatDateTime } from '../../../core/intl.js';
import { isDay, shiftDay, startOfDay, todayIn } from '../logic/zone-days.js';
import { TaskSection } from './shared.js';
import { STRINGS, type HistoryStrings } from './history.strings.js';

/**
 * @summary The console's clean history: the retention setting, "export then clean" bookings that ended before a day, and the runs with their export files.
 * @tag cita-console-history
 *
 * Loaded by `<cita-admin-console>` for owners (`/admin#history`). The day defaults to today
 * minus the retention (in the business's time zone). Before anything runs, the section says how
 * many bookings would be exported and then cleaned (customer details removed; the consent proof,
 * counts and invoices kept) and asks to confirm; while the run works it says so; each finished
 * run's file can be downloaded. An interrupted run is resumed by the next one.
 *
 * @csspart heading - The section's heading.
 * @csspart form - The "export then clean" form.
 * @csspart input - The day field.
 * @csspart button - Every button.
 * @csspart primary - The main button.
 * @csspart danger - The confirming button.
 * @csspart panel - The confirmation.
 * @csspart runs - The table of runs.
 * @csspart download - A run's file.
 * @csspart status - The polite live region (progress).
 * @csspart alert - Errors.
 * @csspart notice - The outcome of a run.
 *
 * @cssproperty --cita-color-accent - Accent colour.
 * @cssproperty --cita-color-danger - Errors and the confirming button.
 * @cssproperty --cita-radius - Corner radius.
 */
export class CitaConsoleHistory extends TaskSection {
  @state() private overview?: HistoryOverview;
  @state() private day = '';
  @state() private preview?: HistoryPreview;
  @state() private notice = '';
  @state() private dayError = '';
  #focus?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  protected override updated(): void {
    if (!this.#focus) return;
    const target = this.renderRoot.querySelector<HTMLElement>(this.#focus);
    if (target) {
      this.#focus = undefined;
      target.focus();
    }
  }

  async #load(): Promise<void> {
    const t = this.pick(STRINGS);
    await this.run(async () => {
      this.overview = await this.client.get(consoleRoutes.history, HistoryOverview);
      if (!this.day) {
        const today = todayIn(this.overview.timeZone);
        this.day = this.overview.bookingsDays === null ? today : shiftDay(today, -this.overview.bookingsDays);
      }
      this.status = '';
    }, t.loading);
  }

  #before(): string | undefined {
    const t = this.pick(STRINGS);
    const tz = this.overview!.timeZone;
    if (!isDay(this.day) || this.day > todayIn(tz)) {
      this.dayError = t.badDay;
      this.#focus = '#history-day';
      return undefined;
    }
    this.dayError = '';
    return startOfDay(this.day, tz);
  }

  #onAsk(e: SubmitEvent): void {
    e.preventDefault();
    this.day = String(new FormData(e.target as HTMLFormElement).get('day') ?? '');
    const before = this.#before();
    if (!before) return;
    const t = this.pick(STRINGS);
    void this.run(async () => {
      this.preview = await this.client.get(
        peopleRoutes.historyPreview,
        HistoryPreview,
        new URLSearchParams({ before }),
      );
      this.notice = '';
      this.#focus = '#clean-heading';
    }, t.counting);
  }

  #onClean(): void {
    const before = this.#before();
    if (!before) return;
    const t = this.pick(STRINGS);
    const body = HistoryCleanRequest.parse({ before });
    void this.run(async () => {
      const r = await this.client.post(consoleRoutes.historyClean, body, HistoryCleanResult);
      this.overview = await this.client.get(consoleRoutes.history, HistoryOverview);
      this.preview = undefined;
      this.notice = r.run ? t.done(r.run.rows, r.run.purged, r.resumed) : t.nothing;
      this.status = this.notice;
      this.#focus = '[part~="notice"]';
    }, t.running);
  }

  override render() {
    const t = this.pick(STRINGS);
    const o = this.overview;
    return html`<section aria-labelledby="history-heading" aria-busy=${this.busy ? 'true' : 'false'}>
      <h2 id="history-heading" part="heading" tabindex="-1">${t.heading}</h2>
      ${o ? html`<p>${o.bookingsDays === null ? t.noRetention : t.retention(o.bookingsDays)}</p>` : nothing}
      <p class="muted">${t.explain}</p>
      ${o ? this.#renderForm(t, o) : nothing} ${this.renderFeedback()}
      ${this.notice ? html`<p part="notice" tabindex="-1">${this.notice}</p>` : nothing}
      ${o ? this.#renderRuns(t, o.runs) : nothing}
    </section>`;
  }

  #renderForm(t: HistoryStrings, o: HistoryOverview) {
    const p = this.preview;
    return html`<form part="form" novalidate @submit=${this.#onAsk}>
        <div class="field">
          <label for="history-day">${t.dayLabel}</label>
          <span class="hint" id="history-day-hint">${t.dayHint(o.timeZone)}</span>
          <input
            part="input"
            id="history-day"
            name="day"
            type="date"
            .value=${this.day}
            max=${todayIn(o.timeZone)}
            aria-describedby="history-day-hint history-day-error"
            aria-invalid=${this.dayError ? 'true' : 'false'}
            @input=${() => (this.preview = undefined)}
          />
          <span class="error" id="history-day-error">${this.dayError}</span>
        </div>
        ${p ? nothing : html`<div class="actions">${this.button(t.start, t.counting, undefined, 'primary', 'history-start')}</div>`}
      </form>
      ${
        p
          ? html`<div part="panel" role="group" aria-labelledby="clean-heading">
              <h3 id="clean-heading" tabindex="-1">${t.confirmHeading}</h3>
              ${p.unfinished ? html`<p>${t.unfinished}</p>` : nothing}
              <p>
                ${p.bookings ? t.willClean(p.bookings, formatDate(this.day + 'T12:00:00Z', this.i18n.locale, 'UTC')) : t.noneToClean}
              </p>
              <div class="actions">
                ${
                  p.bookings || p.unfinished
                    ? this.button(t.confirm, t.running, () => this.#onClean(), 'danger', 'history-confirm')
                    : nothing
                }
                <button
                  part="button"
                  type="button"
                  @click=${() => ((this.preview = undefined), (this.#focus = '#history-day'))}
                >
                  ${t.cancel}
                </button>
              </div>
            </div>`
          : nothing
      }`;
  }

  #renderRuns(t: HistoryStrings, runs: HistoryRunView[]) {
    const locale = this.i18n.locale;
    const tz = this.overview!.timeZone;
    if (!runs.length) return html`<p>${t.noRuns}</p>`;
    return html`<div class="scroll" tabindex="0" role="region" aria-labelledby="runs-caption">
      <table part="runs">
        <caption id="runs-caption">
          ${t.runs}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t.cutoff}</th>
            <th scope="col" class="num">${t.rows}</th>
            <th scope="col" class="num">${t.purged}</th>
            <th scope="col">${t.state}</th>
            <th scope="col">${t.finished}</th>
            <th scope="col">${t.file}</th>
          </tr>
        </thead>
        <tbody>
          ${runs.map(
            (r) =>
              html`<tr>
                <td>${formatDateTime(r.cutoff, locale, tz)}</td>
                <td class="num">${r.rows}</td>
                <td class="num">${r.purged}</td>
                <td>${t.status(r.status)}</td>
                <td>${r.finishedAt ? formatDateTime(r.finishedAt, locale, tz) : '—'}</td>
                <td>
                  ${
                    r.status === 'exporting'
                      ? '—'
                      : html`<a part="download" href=${this.apiUrl(consoleRoutes.historyFile(r.id))} download
                          >${t.download(r.format, r.encrypted)}<span class="visually-hidden">
                            ${r.file}</span
                          ></a
                        >`
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

defineOnce('cita-console-history', CitaConsoleHistory);

declare global {
  interface HTMLElementTagNameMap {
    'cita-console-history': CitaConsoleHistory;
  }
}
