/**
 * The list side of `<cita-console-bookings>`: the view buttons and navigation, the search form
 * and the bookings table (one card per booking when narrow, see bookings.styles.ts). Templates
 * only: the element owns the state and the requests, passed in as `ListContext`.
 */
import { html, nothing } from 'lit';
import {
  BOOKING_STATES,
  type BookingRow,
  type BookingState,
} from '../../../../api/console-bookings-contract.js';
import { formatTime, formatYmd, ymdInZone, zoneName } from '../../../../core/intl.js';
import { stateBadge } from './detail.js';
import { rangeLabel, rangeOf, type BookingsView } from './range.js';
import type { BookingsStrings } from './strings.js';

export interface ListContext {
  t: BookingsStrings;
  locale: string;
  view: BookingsView;
  /** The local date the view is on; unset until the server said which day is today. */
  anchor?: string;
  timeZone?: string;
  /** The search that ran (empty: the range view). */
  search: string;
  draft: string;
  stateFilter: BookingState | '';
  rows: BookingRow[];
  loading: boolean;
  on: {
    view(v: BookingsView): void;
    step(step: -1 | 0 | 1): void;
    searchInput(e: Event): void;
    searchSubmit(e: SubmitEvent): void;
    clearSearch(): void;
    stateFilter(e: Event): void;
    open(row: BookingRow): void;
  };
}

export function renderToolbar(c: ListContext) {
  const { t } = c;
  const range = c.anchor ? rangeOf(c.view, c.anchor, c.locale) : undefined;
  return html`<div part="toolbar">
      <div part="views" role="group" aria-label=${t.viewLabel}>
        ${(['day', 'week', 'month'] as const).map(
          (v) =>
            html`<button
              part="button"
              aria-pressed=${!c.search && c.view === v ? 'true' : 'false'}
              @click=${() => c.on.view(v)}
            >
              ${t.views[v]}
            </button>`,
        )}
      </div>
      <div class="actions">
        <button part="button" aria-label=${t.previous[c.view]} @click=${() => c.on.step(-1)}>‹</button>
        <button part="button" aria-label=${t.goToday} @click=${() => c.on.step(0)}>${t.today}</button>
        <button part="button" aria-label=${t.next[c.view]} @click=${() => c.on.step(1)}>›</button>
      </div>
    </div>
    ${
      c.search
        ? html`<p part="range" id="range">${t.searchResults(c.search)}</p>`
        : range
          ? html`<p part="range" id="range">${rangeLabel(c.view, range, c.locale)}</p>`
          : nothing
    }
    ${c.timeZone ? html`<p class="muted">${t.zone(zoneName(c.timeZone, c.locale))}</p>` : nothing}`;
}

export function renderSearch(c: ListContext) {
  const { t } = c;
  return html`<form part="search" role="search" @submit=${c.on.searchSubmit}>
    <div class="field">
      <label for="search">${t.search}</label>
      <input
        id="search"
        type="search"
        maxlength="100"
        autocomplete="off"
        aria-describedby="search-hint"
        .value=${c.draft}
        @input=${c.on.searchInput}
      />
      <p id="search-hint" class="hint">${t.searchHint}</p>
    </div>
    <button part="button" type="submit">${t.searchButton}</button>
    ${
      c.search
        ? html`<button part="button" type="button" @click=${c.on.clearSearch}>${t.clearSearch}</button>`
        : nothing
    }
    <div class="field">
      <label for="state-filter">${t.stateFilter}</label>
      <select id="state-filter" .value=${c.stateFilter} @change=${c.on.stateFilter}>
        <option value="">${t.anyState}</option>
        ${BOOKING_STATES.map(
          (s) => html`<option value=${s} ?selected=${c.stateFilter === s}>${t.states[s]}</option>`,
        )}
      </select>
    </div>
  </form>`;
}

export function renderTable(c: ListContext) {
  const { t } = c;
  if (!c.rows.length) return nothing;
  const tz = c.timeZone ?? 'UTC';
  // A single day shows times; longer ranges and searches show the date too.
  const withDate = !!c.search || c.view !== 'day';
  const when = (iso: string) => {
    const time = formatTime(iso, c.locale, tz);
    return withDate
      ? `${formatYmd(ymdInZone(iso, tz), c.locale, { weekday: 'short', day: 'numeric', month: 'short' })} ${time}`
      : time;
  };
  return html`<table part="table" aria-busy=${c.loading ? 'true' : 'false'} aria-describedby="range">
    <thead>
      <tr>
        <th scope="col">${t.cols.time}</th>
        <th scope="col">${t.cols.ref}</th>
        <th scope="col">${t.cols.customer}</th>
        <th scope="col">${t.cols.service}</th>
        <th scope="col">${t.cols.staff}</th>
        <th scope="col">${t.cols.state}</th>
      </tr>
    </thead>
    <tbody>
      ${c.rows.map(
        (r) =>
          html`<tr part="row">
            <td data-label=${t.cols.time}>${when(r.start)}</td>
            <th scope="row">
              <button part="button" class="link ref" data-booking=${r.id} @click=${() => c.on.open(r)}>
                ${r.reference}
              </button>
            </th>
            <td data-label=${t.cols.customer} class="who">
              ${r.customer.name ?? (r.customerMasked ? t.masked : t.unknownCustomer)}
            </td>
            <td data-label=${t.cols.service}>${r.service.name}</td>
            <td data-label=${t.cols.staff}>${r.staff.name}</td>
            <td data-label=${t.cols.state}>${stateBadge(t, r.state)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}
