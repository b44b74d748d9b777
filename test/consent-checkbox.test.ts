import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/define/consent-checkbox.js';
import type { CitaConsentCheckbox } from '../src/components/consent-checkbox/consent-checkbox.js';

const SHA = 'b'.repeat(64);
const nextFrame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));

async function formWith(extra = '') {
  const form = await fixture<HTMLFormElement>(html`
    <form lang="en">
      <fieldset>
        <cita-consent-checkbox
          name="terms"
          policy="terms"
          version="2026-01"
          sha256=${SHA}
          policy-title="Terms and conditions"
          required
        ></cita-consent-checkbox>
      </fieldset>
      <button>Send</button>
    </form>
  `);
  if (extra) form.querySelector('cita-consent-checkbox')!.setAttribute(extra, '');
  const box = form.querySelector('cita-consent-checkbox')!;
  await box.updateComplete;
  return { form, box };
}

const input = (box: CitaConsentCheckbox) => box.shadowRoot!.querySelector('input')!;

describe('<cita-consent-checkbox>', () => {
  it('is accessible, unticked and ticked, with the policy text open', async () => {
    const { box } = await formWith();
    box.policyText = '<p>Read <a href="https://example.com/terms">the terms</a>.</p>';
    await box.updateComplete;
    await expect(box).to.be.accessible();
    box.shadowRoot!.querySelector<HTMLButtonElement>('[part="toggle"]')!.click();
    await box.updateComplete;
    await nextFrame();
    await new Promise((r) => setTimeout(r, 50));
    await expect(box).to.be.accessible();
  });

  it('blocks its form until ticked by keyboard, then submits version and hash', async () => {
    const { form, box } = await formWith();
    expect(form.checkValidity()).to.equal(false);
    expect(box.validity.valueMissing).to.equal(true);
    expect(new FormData(form).get('terms')).to.equal(null);

    box.focus();
    const changed = oneEvent(box, 'change');
    await sendKeys({ press: 'Space' });
    await changed;
    await box.updateComplete;

    expect(box.checked).to.equal(true);
    expect(form.checkValidity()).to.equal(true);
    expect(new FormData(form).get('terms')).to.equal(`2026-01:${SHA}`);
    expect(box.consent).to.deep.equal({ policy: 'terms', version: '2026-01', sha256: SHA });
  });

  it('shows a message and the user-invalid state only after a submit attempt', async () => {
    const { form, box } = await formWith();
    const error = () => box.shadowRoot!.querySelector('[part="error"]')!.textContent!.trim();
    expect(error()).to.equal('');
    expect(box.matches(':state(user-invalid)')).to.equal(false);

    form.requestSubmit();
    await box.updateComplete;
    expect(error()).to.equal('Tick this box to continue.');
    expect(box.matches(':state(user-invalid)')).to.equal(true);
    expect(box.validationMessage).to.equal('Tick this box to continue.');
  });

  it('goes back to its default on form reset and never fires change for it', async () => {
    const { form, box } = await formWith();
    let changes = 0;
    box.addEventListener('change', () => changes++);
    input(box).click();
    await box.updateComplete;
    expect(box.checked).to.equal(true);
    expect(changes).to.equal(1);

    form.reset();
    await box.updateComplete;
    expect(box.checked).to.equal(false);
    expect(input(box).checked).to.equal(false);
    expect(changes).to.equal(1);

    box.setAttribute('checked', '');
    form.reset();
    await box.updateComplete;
    expect(box.checked).to.equal(true);
    expect(changes).to.equal(1);
  });

  it('is disabled with its fieldset and then does not block the form', async () => {
    const { form, box } = await formWith();
    form.querySelector('fieldset')!.disabled = true;
    await box.updateComplete;
    expect(input(box).disabled).to.equal(true);
    expect(box.matches(':state(disabled)')).to.equal(true);
    expect(form.checkValidity()).to.equal(true);
    expect(new FormData(form).has('terms')).to.equal(false);
  });

  it('honours setCustomValidity', async () => {
    const { form, box } = await formWith();
    input(box).click();
    await box.updateComplete;
    box.setCustomValidity('Policy not loaded');
    await box.updateComplete;
    expect(form.checkValidity()).to.equal(false);
    expect(box.validationMessage).to.equal('Policy not loaded');
    box.setCustomValidity('');
    await box.updateComplete;
    expect(form.checkValidity()).to.equal(true);
  });

  it('states the cancellation cutoff in words, in Spanish and English', async () => {
    const el = await fixture<CitaConsentCheckbox>(html`
      <div lang="es">
        <cita-consent-checkbox
          policy="cancellation"
          cutoff-hours="24"
          policy-title="Política de cancelación"
        ></cita-consent-checkbox>
        <cita-consent-checkbox
          lang="en"
          policy="cancellation"
          cutoff-hours="48"
          policy-title="Cancellation policy"
        ></cita-consent-checkbox>
      </div>
    `);
    const [es, en] = [...el.querySelectorAll('cita-consent-checkbox')];
    await es!.updateComplete;
    await en!.updateComplete;
    const hint = (b: Element) => b.shadowRoot!.querySelector('[part="hint"]')!.textContent!.trim();
    expect(hint(es!)).to.equal('Cancelación gratuita hasta 24 h antes de la cita.');
    expect(hint(en!)).to.equal('Free cancellation until 2 days before the appointment.');
    expect(es!.shadowRoot!.querySelector('[part="label"]')!.textContent!.trim()).to.equal(
      'He leído y acepto: Política de cancelación',
    );
  });

  it('follows a language change on the page', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div lang="en"><cita-consent-checkbox policy-title="Terms"></cita-consent-checkbox></div>`,
    );
    const box = wrapper.querySelector('cita-consent-checkbox')!;
    await box.updateComplete;
    const label = () => box.shadowRoot!.querySelector('[part="label"]')!.textContent!.trim();
    expect(label()).to.equal('I accept the Terms');
    wrapper.lang = 'es';
    await new Promise((r) => setTimeout(r, 0));
    await box.updateComplete;
    expect(label()).to.equal('He leído y acepto: Terms');
  });

  it('renders the policy text sanitised: no script runs, links are safe', async () => {
    const { box } = await formWith();
    (window as unknown as { __pwned: number }).__pwned = 0;
    box.policyText =
      '<p onclick="__pwned++">Text <img src=x onerror="__pwned++"><a href="javascript:__pwned++">bad</a> <a href="https://ok.example/p">ok</a></p><script>__pwned++</script>';
    await box.updateComplete;
    box.shadowRoot!.querySelector<HTMLButtonElement>('[part="toggle"]')!.click();
    await box.updateComplete;
    await new Promise((r) => setTimeout(r, 100));
    const text = box.shadowRoot!.querySelector('[part="text"]')!;
    expect(text.textContent).to.contain('Text');
    expect(text.querySelector('img, script, [onclick]')).to.equal(null);
    const links = [...text.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([null, 'https://ok.example/p']);
    expect(links[1]!.rel).to.equal('noopener noreferrer');
    text.querySelector('p')!.click();
    expect((window as unknown as { __pwned: number }).__pwned).to.equal(0);
  });

  it('toggles the policy text by keyboard and reports it expanded', async () => {
    const { box } = await formWith();
    box.policyText = '<p>Policy body</p>';
    await box.updateComplete;
    const toggle = box.shadowRoot!.querySelector<HTMLButtonElement>('[part="toggle"]')!;
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await box.updateComplete;
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    await new Promise((r) => setTimeout(r, 50));
    expect(box.shadowRoot!.querySelector('[part="text"]')!.textContent).to.contain('Policy body');
  });
});
