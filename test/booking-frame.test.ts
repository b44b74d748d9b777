/**
 * HIPAA mode's booking flow (issue 11: "the whole booking flow runs in tier I"), in real Chromium
 * against the real server with the built frame bundle (run `npm run build` first): for wtr-clinic
 * (`security.hipaa` in test/fixtures/wtr-config.json), `<cita-booking-form>` on this page
 * (http://localhost:8765) becomes a shell around `/frame/wtr-clinic/booking` on the server's
 * origin (http://127.0.0.1:5199). A customer books through the frame with real clicks and typing
 * (the `cita-frame` command of test/support/frame-commands.mjs drives Playwright inside it); the
 * page hears that a booking was made, by id, and its document never holds the customer's
 * inputs, what they typed, the service or the request that booked.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../src/define/booking-form.js';
import type { CitaBookingForm } from '../src/components/booking-form/booking-form.js';
import type { CitaBookingConfirmedDetail } from '../src/core/events.js';

const API = 'http://127.0.0.1:5199';
const FRAME = '/frame/wtr-clinic/booking';
const WAIT = { timeout: 15000 };
const CUSTOMER = {
  name: 'Lucía Sanz',
  email: 'lucia.clinica@example.com',
  notes: 'Eccema en el brazo izquierdo',
};
const SERVICE = 'Consulta de dermatología';

type FrameAction =
  | { action: 'click' | 'wait' | 'text' | 'count'; selector: string; nth?: number }
  | { action: 'fill' | 'property'; selector: string; value: string };
const inFrame = <T = unknown>(a: FrameAction) =>
  executeServerCommand<T, FrameAction & { url: string; timeout: number }>('cita-frame', {
    url: FRAME,
    timeout: 10000,
    ...a,
  });
const click = (selector: string, nth?: number) => inFrame({ action: 'click', selector, nth });
const form = (selector: string) => `cita-booking-form ${selector}`;

/** Everything in the document and in every open shadow root under it. */
function deep(root: Document | ShadowRoot | Element = document): Element[] {
  const out: Element[] = [];
  for (const el of root.querySelectorAll('*')) {
    out.push(el);
    if (el.shadowRoot) out.push(...deep(el.shadowRoot));
  }
  return out;
}
const deepText = () =>
  deep()
    .map((el) => `${el.textContent ?? ''} ${(el as HTMLInputElement).value ?? ''}`)
    .join(' ');

/** Records the booking API calls this page itself makes. */
function watchFetch() {
  const realFetch = window.fetch;
  const urls: string[] = [];
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    urls.push(String(input instanceof Request ? input.url : input));
    return realFetch(input, init);
  };
  return { urls, restore: () => (window.fetch = realFetch) };
}

describe('<cita-booking-form> in HIPAA mode: the flow in the isolated frame', () => {
  it('books through the frame; the page gets ids only and never the customer’s inputs', async function () {
    this.timeout(60000);
    const watch = watchFetch();
    try {
      const el = await fixture<CitaBookingForm>(html`
        <cita-booking-form lang="en" endpoint=${API} business="wtr-clinic"></cita-booking-form>
      `);
      const ready = oneEvent(el, 'cita-ready');
      await waitUntil(() => el.shadowRoot!.querySelector('cita-booking-frame'), 'the frame shell', WAIT);
      const shell = el.shadowRoot!.querySelector('cita-booking-frame')!;
      await ready;
      expect(shell.matches(':state(ready)'), 'the frame has rendered').to.equal(true);
      const iframe = shell.shadowRoot!.querySelector('iframe')!;
      expect(new URL(iframe.src).origin).to.equal(API);
      expect(new URL(iframe.src).pathname).to.equal(FRAME);
      expect(iframe.title).to.equal('Book an appointment');
      // No inline flow on the page: no service list, no fields.
      expect(el.shadowRoot!.querySelector('[part~="service"], form, input')).to.equal(null);
      await expect(el).to.be.accessible();

      // The customer books inside the frame.
      expect(await inFrame<string>({ action: 'text', selector: form('[part~="service"]') })).to.contain(
        SERVICE,
      );
      await click(form('[part~="service"]'));
      await inFrame({ action: 'wait', selector: form('table[aria-busy="false"] [part~="day"].available') });
      const days = await inFrame<number>({ action: 'count', selector: form('[part~="day"].available') });
      await click(form('[part~="day"].available'), days > 1 ? 1 : 0);
      await click(form('[part~="slot"]'));
      await inFrame({ action: 'fill', selector: form('#f-name'), value: CUSTOMER.name });
      await inFrame({ action: 'fill', selector: form('#f-email'), value: CUSTOMER.email });
      await inFrame({ action: 'fill', selector: form('#f-notes'), value: CUSTOMER.notes });
      const boxes = await inFrame<number>({ action: 'count', selector: form('cita-consent-checkbox input') });
      expect(boxes, 'a checkbox per policy').to.equal(3);
      for (let i = 0; i < boxes; i++) await click(form('cita-consent-checkbox input'), i);

      // The form in the frame knows the site around it (from the handshake), for the consents' origin.
      expect(
        await inFrame({ action: 'property', selector: 'cita-booking-form', value: 'embeddingOrigin' }),
      ).to.equal(location.origin);

      // While the details are typed in, the page holds none of them.
      const inputs = deep().filter((x) => x.matches('input, textarea, select'));
      expect(inputs, 'no field on the host page').to.deep.equal([]);
      for (const secret of [CUSTOMER.name, CUSTOMER.email, CUSTOMER.notes, SERVICE])
        expect(deepText(), `the page never shows ${secret}`).to.not.contain(secret);

      await click(form('button.primary'));
      const confirmed = oneEvent(el, 'cita-booking-confirmed');
      await click(form('button.primary'));
      const { detail } = (await confirmed) as CustomEvent<CitaBookingConfirmedDetail>;
      expect(Object.keys(detail).sort()).to.deep.equal(['bookingId', 'reference']);
      expect(detail.reference).to.match(/^[A-Z]{2,8}-[0-9A-Z]{4,12}$/);
      // The frame shows the confirmation with that reference: the server booked it.
      expect(await inFrame<string>({ action: 'text', selector: form('[part~="confirmation"]') })).to.contain(
        detail.reference,
      );

      for (const secret of [CUSTOMER.name, CUSTOMER.email, CUSTOMER.notes, SERVICE])
        expect(deepText(), `the page never shows ${secret}`).to.not.contain(secret);
      // The page itself only read the public configuration; the booking went from the frame.
      expect(watch.urls.filter((u) => u.includes('/bookings'))).to.deep.equal([]);
      const resources = performance.getEntriesByType('resource').map((r) => r.name);
      expect(
        resources.filter((u) => u.includes('/wtr-clinic/bookings') || u.includes('/availability')),
      ).to.deep.equal([]);
    } finally {
      watch.restore();
    }
  });

  it('passes the form’s service and time zone into the frame', async function () {
    this.timeout(30000);
    const el = await fixture<CitaBookingForm>(html`
      <cita-booking-form
        lang="en"
        endpoint=${API}
        business="wtr-clinic"
        service="consulta"
        time-zone="America/New_York"
      ></cita-booking-form>
    `);
    await waitUntil(() => el.shadowRoot!.querySelector('cita-booking-frame'), 'the frame shell', WAIT);
    // The frame starts on the day-and-time step of that service, with times in New York's zone.
    await inFrame({ action: 'wait', selector: form('table[aria-busy="false"]') });
    expect(await inFrame<number>({ action: 'count', selector: form('[part~="service"]') })).to.equal(0);
    expect(await inFrame<string>({ action: 'text', selector: form('.chosen') })).to.contain(SERVICE);
    expect(await inFrame<string>({ action: 'text', selector: form('.zone-note') })).to.contain(
      'America/New York',
    );
  });

  it('stays an inline flow for a business without HIPAA mode', async () => {
    const el = await fixture<CitaBookingForm>(html`
      <cita-booking-form lang="en" endpoint=${API} business="wtr-short"></cita-booking-form>
    `);
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="service"]'), 'the inline service list', WAIT);
    expect(el.shadowRoot!.querySelector('cita-booking-frame')).to.equal(null);
  });
});
