import { html, nothing } from 'lit';
import type { Slot } from '../../../api/contract.js';
import {
  addMonths,
  formatTime,
  formatYmd,
  parseYmd,
  sameOffset,
  ymdInZone,
  ymdKey,
  zoneName,
  type YMD,
} from '../../../core/intl.js';
import { safeUrl } from '../../../core/url.js';
import { groupByPartOfDay, monthGrid, weekdayOrder } from '../logic/calendar.js';
import { classes, heading, skeleton, type StepHost } from './host.js';

/**
 * Step 2: the month grid (arrow keys move between days), then the chosen day's times: below it on
 * a phone, beside it where the form is wide enough (a container query), so choosing a day and a
 * time needs no scrolling.
 */
export function slotStep(h: StepHost) {
  const { t, month } = h;
  const days = h.monthDays();
  const business = h.businessConfig!;
  const zoneDiffers = !sameOffset(h.zone, business.timeZone);
  return html`${heading(t.stepSlot)}
    <p class="chosen">
      <span>${h.selectedService!.name}</span>
      <button part="button" type="button" class="link" @click=${() => h.goTo('service')}>${t.change}</button>
    </p>
    ${staffChoice(h)}
    <div class="pick">
      <div class="month">
        ${month ? calendar(h, month) : nothing}
        <p class="zone-note">
          ${t.timesShownIn(zoneName(h.zone, h.locale))}
          ${zoneDiffers ? html`<br />${t.businessTimeIs(zoneName(business.timeZone, h.locale))}` : nothing}
        </p>
      </div>
      <div>
        ${
          h.slots.status === 'pending'
            ? skeleton(t)
            : !!h.availability && days.size === 0
              ? html`<div class="empty">
                  <p>${t.noSlotsThisMonth}</p>
                  ${
                    month && h.bookable(addMonths(month, 1))
                      ? html`<button part="button" type="button" @click=${() => h.changeMonth(1)}>
                          ${t.showNextMonth}
                        </button>`
                      : nothing
                  }
                </div>`
              : h.selectedDay
                ? slots(h, h.selectedDay, days.get(h.selectedDay) ?? [])
                : nothing
        }
      </div>
    </div>
    <div class="actions">
      <button part="button" type="button" @click=${() => h.goTo('service')}>${t.back}</button>
    </div>`;
}

/** "With whom": anyone, or one of the service's staff (name and optional photo), as radio buttons. */
function staffChoice(h: StepHost) {
  const staff = h.selectedService!.staff;
  if (!h.businessConfig!.chooseStaff || staff.length < 2) return nothing;
  const option = (id: string, name: string, photo?: string) =>
    html`<label
      >${photo ? html`<img src=${photo} alt="" width="32" height="32" />` : nothing}<input
        type="radio"
        name="staff"
        .checked=${h.staff === id}
        @change=${() => h.chooseStaffMember(id)}
      />${name}</label
    >`;
  return html`<fieldset part="staff" class="staff">
    <legend>${h.t.chooseStaff}</legend>
    ${option('', h.t.anyone)}
    ${staff.map((s) => option(s.id, s.name, s.photoUrl && safeUrl(s.photoUrl, { allow: ['https:'] })))}
  </fieldset>`;
}

function calendar(h: StepHost, month: YMD) {
  const { t, locale } = h;
  const days = h.monthDays();
  const rows = monthGrid(month.year, month.month, locale);
  const order = weekdayOrder(locale);
  // 2024-01-01 was a Monday: index i of the week is that date plus i days.
  const weekdayName = (i: number, style: 'short' | 'long') =>
    formatYmd({ year: 2024, month: 1, day: 1 + i }, locale, { weekday: style });
  const title = formatYmd(month, locale, { month: 'long', year: 'numeric' });
  const today = ymdKey(ymdInZone(Date.now(), h.zone));
  const loading = h.slots.status === 'pending';
  return html`<div class="calendar-head">
      <button
        part="button"
        type="button"
        class="nav"
        aria-label=${t.previousMonth}
        ?disabled=${!h.bookable(addMonths(month, -1))}
        @click=${() => h.changeMonth(-1)}
      >
        ‹
      </button>
      <h3 id="month-title" aria-live="polite">${title}</h3>
      <button
        part="button"
        type="button"
        class="nav"
        aria-label=${t.nextMonth}
        ?disabled=${!h.bookable(addMonths(month, 1))}
        @click=${() => h.changeMonth(1)}
      >
        ›
      </button>
    </div>
    <p class="sr-only">${loading ? t.loading : t.daysWithSlots(days.size)}</p>
    <table
      part="calendar"
      class="calendar"
      role="grid"
      aria-labelledby="month-title"
      aria-busy=${loading ? 'true' : 'false'}
      @keydown=${h.onGridKey}
    >
      <thead>
        <tr>
          ${order.map((i) => html`<th scope="col" abbr=${weekdayName(i, 'long')}>${weekdayName(i, 'short')}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (row) =>
            html`<tr>
              ${row.map((d) => {
                if (!d) return html`<td role="gridcell" aria-hidden="true"></td>`;
                const key = ymdKey(d);
                const has = days.has(key);
                const selected = key === h.selectedDay;
                const label = formatYmd(d, locale, { weekday: 'long', day: 'numeric', month: 'long' });
                return html`<td role="gridcell" aria-selected=${selected ? 'true' : 'false'}>
                  <button
                    part="day"
                    type="button"
                    class=${classes({ day: true, available: has, selected, today: key === today })}
                    data-day=${key}
                    tabindex=${key === h.focusDay ? '0' : '-1'}
                    aria-label=${label}
                    aria-disabled=${has ? 'false' : 'true'}
                    @click=${() => has && h.chooseDay(key)}
                    @focus=${() => (h.focusDay = key)}
                  >
                    ${d.day}
                  </button>
                </td>`;
              })}
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function slots(h: StepHost, day: string, list: Slot[]) {
  const { t } = h;
  const label = formatYmd(parseYmd(day), h.locale, { weekday: 'long', day: 'numeric', month: 'long' });
  if (!list.length) return html`<p class="empty">${t.noSlotsThisDay}</p>`;
  return html`<section class="slots" aria-label=${t.slotsFor(label)}>
    <h3>${t.slotsFor(label)}</h3>
    ${groupByPartOfDay(list, h.zone, t.dayParts).map(
      (g) =>
        html`<div class="slot-group" role="group" aria-label=${t[g.part]}>
          <h4>${t[g.part]}</h4>
          <ul>
            ${g.slots.map(
              (s) =>
                html`<li>
                  <button
                    part="slot"
                    type="button"
                    class="slot"
                    aria-pressed=${h.selectedSlot?.start === s.start ? 'true' : 'false'}
                    @click=${() => h.chooseSlot(s)}
                  >
                    ${formatTime(s.start, h.locale, h.zone)}
                  </button>
                </li>`,
            )}
          </ul>
        </div>`,
    )}
  </section>`;
}
