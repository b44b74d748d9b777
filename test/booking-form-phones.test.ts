/**
 * Issue 12, what customers hit: phones (no step scrolls sideways at 320 or 390 px with the
 * longest values the contract allows), dark mode only when the page or the site asks for it,
 * the confirmation's manage link working in place, and the smaller ones of item 8. Against the
 * real server (test/fixtures/wtr-config.json), like test/booking-form.test.ts.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { nothing } from 'lit';
import '../src/define/booking-form.js';
import type { CitaBookingForm } from '../src/components/booking-form/booking-form.js';
import type { CitaConsentCheckbox } from '../src/components/consent-checkbox/consent-checkbox.js';
import { overflowing } from './support/layout.js';

const API = 'http://127.0.0.1:5199';
const SLUG = 'wtr-salon';
const WAIT = { timeout: 5000 };

/** The longest values the contract allows, without a space to break at. */
const LONGEST = {
  name: 'Wolfeschlegelsteinhausenbergerdorff'.repeat(3).slice(0, 100),
  email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`,
  phone: '+34 (600) - 123 - 456 - 789 - 0',
};

interface MountOptions {
  lang?: string;
  width?: number;
  theme?: 'auto' | 'light' | 'dark';
  style?: string;
}

async function mount(o: MountOptions = {}) {
  const wrapper = await fixture<HTMLDivElement>(html`
    <div lang=${o.lang ?? 'en'} style=${o.style ?? (o.width ? `inline-size: ${o.width}px` : nothing)}>
      <cita-booking-form
        endpoint=${API}
        business=${SLUG}
        time-zone="Europe/Madrid"
        theme=${o.theme ?? nothing}
      ></cita-booking-form>
    </div>
  `);
  const el = wrapper.querySelector('cita-booking-form')!;
  await waitUntil(() => $$(el, '[part~="service"]').length === 2, 'the services load', WAIT);
  return { wrapper, el };
}

const $ = <T extends HTMLElement = HTMLElement>(el: Element, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends HTMLElement = HTMLElement>(el: Element, selector: string) => [
  ...el.shadowRoot!.querySelectorAll<T>(selector),
];
const text = (node: Element | null | undefined) =>
  (node?.textContent ?? '').replace(/[ \t\n\r\f]+/g, ' ').replace(/^ | $/g, '');
const onStep = (el: Element, step: string) => el.matches(`:state(step-${step})`);
const consentBoxes = (el: Element) => $$<CitaConsentCheckbox>(el, 'cita-consent-checkbox');

async function toSlots(el: CitaBookingForm, nth = 1) {
  $$(el, '[part~="service"]')[0]!.click();
  await waitUntil(() => $(el, 'table[role="grid"][aria-busy="false"]'), 'the month loads', WAIT);
  let days = $$(el, '[part~="day"].available');
  if (days.length <= nth) {
    $$(el, 'button.nav')[1]!.click();
    await el.updateComplete;
    await waitUntil(() => $(el, 'table[role="grid"][aria-busy="false"]'), 'the next month loads', WAIT);
    days = $$(el, '[part~="day"].available');
  }
  days[Math.min(nth, days.length - 1)]!.click();
  await el.updateComplete;
  await waitUntil(() => $$(el, '[part~="slot"]').length > 0, 'slots of the day', WAIT);
}

async function chooseSlot(el: CitaBookingForm, which: 'first' | 'last' = 'first') {
  const slots = $$(el, '[part~="slot"]');
  slots[which === 'first' ? 0 : slots.length - 1]!.click();
  await el.updateComplete;
  expect(onStep(el, 'details')).to.equal(true);
}

async function fill(el: CitaBookingForm, values: Record<string, string>) {
  for (const [field, value] of Object.entries(values)) {
    const i = $<HTMLInputElement>(el, `#f-${field}`)!;
    i.value = value;
    i.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }
  await el.updateComplete;
}

async function tickAll(el: CitaBookingForm) {
  for (const box of consentBoxes(el)) {
    if (!box.checked) box.shadowRoot!.querySelector('input')!.click();
    await box.updateComplete;
  }
  await el.updateComplete;
}

async function next(el: CitaBookingForm) {
  $(el, 'button.primary')!.click();
  await el.updateComplete;
  await new Promise((r) => setTimeout(r));
  await el.updateComplete;
}

/** A CSS colour (Chromium serialises color-mix() results as oklab()) as sRGB bytes, through a canvas. */
function toRgb(color: string): number[] {
  const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, 1, 1);
  return [...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)];
}

function noSidewaysScroll(el: HTMLElement, where: string) {
  expect(overflowing(el), `${where}: nothing wider than the widget`).to.deep.equal([]);
  const base = $(el, '.base')!;
  expect(base.scrollWidth, `${where}: no sideways scroll`).to.be.at.most(base.clientWidth);
}

describe('<cita-booking-form> on phones, dark sites and after booking (issue 12)', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  });

  for (const width of [320, 390]) {
    for (const lang of ['es', 'en']) {
      it(`no step scrolls sideways at ${width} px with the longest values (${lang})`, async () => {
        const { el } = await mount({ lang, width });
        noSidewaysScroll(el, 'services');
        await toSlots(el, width === 320 ? 2 : 3);
        noSidewaysScroll(el, 'calendar');
        await chooseSlot(el, lang === 'es' ? 'last' : 'first');
        await fill(el, LONGEST);
        await tickAll(el);
        noSidewaysScroll(el, 'details');
        await next(el);
        expect(onStep(el, 'review')).to.equal(true);
        noSidewaysScroll(el, 'review');
        const confirm = $(el, 'button.primary')!.getBoundingClientRect();
        const host = el.getBoundingClientRect();
        expect(confirm.right, 'the confirm button is on screen').to.be.at.most(host.right);
        const confirmed = oneEvent(el, 'cita-booking-confirmed');
        $(el, 'button.primary')!.click();
        await confirmed;
        await el.updateComplete;
        noSidewaysScroll(el, 'confirmation');
      });
    }
  }

  it('stays light for a visitor who prefers dark on a page that declares no dark scheme', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const { el } = await mount();
    expect(getComputedStyle(el).backgroundColor).to.equal('rgba(0, 0, 0, 0)');
    expect(getComputedStyle(el).colorScheme).to.equal('light');
    // theme="auto" still follows the visitor, when a site asks for it.
    const auto = (await mount({ theme: 'auto' })).el;
    expect(getComputedStyle(auto).backgroundColor).to.equal('rgb(21, 23, 28)');
  });

  it('is dark, with room around its content, on a page that declares color-scheme: dark', async () => {
    const { el } = await mount({ style: 'color-scheme: dark; background: #000; color: #eee' });
    expect(getComputedStyle(el).backgroundColor).to.equal('rgb(21, 23, 28)');
    expect(parseFloat(getComputedStyle($(el, '.base')!).paddingTop)).to.be.greaterThan(8);
    await expect(el).to.be.accessible();
  });

  it('derives its dark accent from a light-only brand colour', async () => {
    /** Red and blue of a chosen day's background in the dark theme, with the page's brand style. */
    const chosenDay = async (style?: string) => {
      const { el } = await mount({ theme: 'dark', style });
      $$(el, '[part~="service"]')[0]!.click();
      await waitUntil(() => $(el, '.day.available'), 'days', WAIT);
      const day = $(el, '.day.available')!;
      day.click();
      await el.updateComplete;
      const [r, , b] = toRgb(getComputedStyle(day).backgroundColor);
      return { el, r: r!, b: b! };
    };
    const plain = await chosenDay();
    expect(plain.b, 'the default accent is blue').to.be.greaterThan(plain.r);
    const brand = await chosenDay('--cita-color-accent: #c2185b');
    expect(brand.r, 'a magenta brand stays magenta in dark').to.be.greaterThan(brand.b + 40);
    await expect(brand.el).to.be.accessible();
  });

  it('shows the booking in place when the confirmation\'s "Manage or cancel" link is followed', async () => {
    const { el } = await mount();
    await toSlots(el, 4);
    await chooseSlot(el);
    await fill(el, { name: 'Ana García', email: 'ana@example.com', phone: '+34 600 123 456' });
    await tickAll(el);
    await next(el);
    const confirmed = oneEvent(el, 'cita-booking-confirmed');
    $(el, 'button.primary')!.click();
    const { detail } = (await confirmed) as CustomEvent<{ reference: string }>;
    await el.updateComplete;
    const link = $$<HTMLAnchorElement>(el, 'a.button').find((a) => a.href.includes('#cita-manage='))!;
    expect(link, 'a manage link').to.be.instanceOf(HTMLAnchorElement);
    // Following the link is a same-document navigation (only the hash differs); the test runner's
    // page must not be left, so the hash is set as the click would set it.
    expect(link.href.split('#')[0]).to.equal(location.href.split('#')[0]);
    location.hash = new URL(link.href).hash;
    await waitUntil(() => $(el, 'cita-booking-manager'), 'the manager replaces the form', WAIT);
    const manager = $(el, 'cita-booking-manager')!;
    await waitUntil(
      () => text(manager.shadowRoot?.querySelector('[part="summary"]')).includes(detail.reference),
      'the booking is shown',
      WAIT,
    );

    // Cancel it there, then "Book again": back in the flow, at the same service's times.
    const mButton = (label: string) =>
      [...manager.shadowRoot!.querySelectorAll('button')].find((b) => text(b) === label)!;
    await waitUntil(() => mButton('Cancel booking'), 'a cancel button', WAIT);
    mButton('Cancel booking').click();
    await (manager as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    mButton('Yes, cancel it').click();
    await waitUntil(() => manager.matches(':state(cancelled)'), 'cancelled', WAIT);
    await (manager as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    mButton('Book again').click();
    await waitUntil(() => onStep(el, 'slot') && !$(el, 'cita-booking-manager'), 'the flow is back', WAIT);
    expect(text($(el, '.chosen span'))).to.equal('Corte de pelo');
  });

  it('puts the times beside the month on a wide form, below it on a phone', async () => {
    for (const [width, beside] of [
      [640, true],
      [390, false],
    ] as const) {
      const { el } = await mount({ width });
      await toSlots(el, 1);
      const month = $(el, 'table[role="grid"]')!.getBoundingClientRect();
      const time = $(el, '[part~="slot"]')!.getBoundingClientRect();
      if (beside) {
        expect(time.left, `${width} px: right of the month`).to.be.at.least(month.right);
        expect(time.top, `${width} px: level with the month`).to.be.below(month.bottom);
      } else expect(time.top, `${width} px: below the month`).to.be.at.least(month.bottom);
    }
  });

  it('reviews with the phone, warns inside the cancellation cutoff and shows how to reach the business', async () => {
    const { el } = await mount();
    await toSlots(el, 0);
    await chooseSlot(el, 'first');
    await fill(el, { name: 'Ana García', email: 'ana@example.com', phone: '+34 600 123 456' });
    await tickAll(el);
    await next(el);
    expect(onStep(el, 'review')).to.equal(true);
    const summary = text($(el, '[part~="summary"]'));
    expect(summary).to.contain('Phone +34 600 123 456');
    expect(text($(el, '[part~="notice"]'))).to.equal(
      'This time is less than 24 h away: it can no longer be cancelled free of charge.',
    );
    const contact = $(el, '[part="contact"]')!;
    expect(text(contact.querySelector('h3'))).to.equal('Contact the business');
    const links = [...contact.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).to.deep.equal(['tel:+34910123456', 'mailto:hola@salon.example']);
    expect(text(contact)).to.contain('Calle Mayor 1, 28013 Madrid');
    await expect(el).to.be.accessible();
  });

  it('keeps the next checkbox where it is when an error line appears on blur, and shows no browser bubble', async () => {
    const { el } = await mount();
    await toSlots(el);
    await chooseSlot(el);
    const box = consentBoxes(el)[0]!;
    const before = box.getBoundingClientRect().top;
    await fill(el, { email: 'ana@', phone: '12' });
    $(el, '#f-email')!.dispatchEvent(new FocusEvent('blur'));
    $(el, '#f-phone')!.dispatchEvent(new FocusEvent('blur'));
    await el.updateComplete;
    expect(text($(el, '#f-email-error'))).to.not.equal('');
    expect(box.getBoundingClientRect().top, 'the checkbox did not move').to.equal(before);

    const proto = customElements.get('cita-consent-checkbox')!.prototype as CitaConsentCheckbox;
    const original = proto.reportValidity;
    let bubbles = 0;
    proto.reportValidity = function (this: CitaConsentCheckbox) {
      bubbles++;
      return original.call(this);
    };
    try {
      await next(el);
    } finally {
      proto.reportValidity = original;
    }
    expect(bubbles, 'no native "required" bubble over the widget messages').to.equal(0);
    for (const b of consentBoxes(el)) {
      await b.updateComplete;
      expect(text(b.shadowRoot!.querySelector('[part="error"]'))).to.equal('Tick this box to continue.');
    }
  });

  it('on a site missing from allowedOrigins, says booking is unavailable here (no Retry) and names the origin in the console', async () => {
    const logged: string[] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => logged.push(args.join(' '));
    try {
      const el = await fixture<CitaBookingForm>(
        html`<cita-booking-form lang="en" endpoint=${API} business="wtr-elsewhere"></cita-booking-form>`,
      );
      await waitUntil(
        () => text($(el, '[part~="message"] > span')) === 'Online booking is not available on this site.',
        'the widget says why',
        { timeout: 10000 },
      );
      expect($$(el, '[part~="message"] button'), 'no Retry that can never work').to.have.length(0);
      expect(logged.join('\n')).to.contain(`add "${location.origin}" to its allowedOrigins`);
      expect(logged.join('\n')).to.contain('"wtr-elsewhere"');
      await expect(el).to.be.accessible();
    } finally {
      console.error = consoleError;
    }
  });
});
