import { fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../src/define/booking-form.js';

it('probe', async () => {
  await emulateMedia({ colorScheme: 'dark' });
  await emulateMedia({ colorScheme: 'light', forcedColors: 'active' });
  const w = await fixture<HTMLDivElement>(html`<div lang="en"><cita-booking-form theme="dark" endpoint="http://127.0.0.1:5199" business="wtr-salon"></cita-booking-form></div>`);
  const el = w.querySelector('cita-booking-form')!;
  await waitUntil(() => el.shadowRoot!.querySelector('h2'));
  for (const sel of ['h2', '.current', '.service-name', '.base']) {
    const n = el.shadowRoot!.querySelector(sel)!;
    const cs = getComputedStyle(n);
    console.log(sel, cs.color, cs.backgroundColor, cs.forcedColorAdjust, cs.colorScheme);
  }
  const cs = getComputedStyle(el);
  console.log('host', cs.color, cs.backgroundColor, cs.colorScheme, cs.forcedColorAdjust);
});
