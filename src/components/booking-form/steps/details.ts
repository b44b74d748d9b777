import { html, nothing } from 'lit';
import type { PolicyKind } from '../../../api/contract.js';
import { FIELDS, detailMessage, labelKey, type FieldSpec } from '../logic/fields.js';
import { HONEYPOT_FIELD, POLICY_KINDS } from '../../../api/contract-names.js';
import { heading, type StepHost } from './host.js';
import { confirmButton, insideCutoff, summary } from './review.js';

/**
 * Step 3: the fields the business asks for (from the FIELDS table), the honeypot and the consents.
 * With the review inline (`booking.review: "inline"`) it also shows what is being booked and its
 * button confirms: the review step is skipped.
 */
export function detailsStep(h: StepHost) {
  const { t } = h;
  const asked = h.businessConfig!.customerFields;
  const inline = h.inlineReview;
  return html`${heading(t.yourDetails)} ${inline ? summary(h, false) : nothing}
    <form novalidate @submit=${h.submitDetails}>
      ${FIELDS.filter((f) => asked.includes(f.name)).map((f) => field(h, f))}
      <div class="hp" aria-hidden="true">
        <label
          >Website<input
            name=${HONEYPOT_FIELD}
            tabindex="-1"
            autocomplete="off"
            @input=${(e: Event) => (h.honeypot = (e.target as HTMLInputElement).value)}
        /></label>
      </div>
      ${consents(h)} ${inline ? insideCutoff(h) : nothing}
      <div class="actions">
        <button part="button" type="button" ?disabled=${h.submitting} @click=${() => h.goTo('slot')}>
          ${t.back}
        </button>
        ${
          inline
            ? confirmButton(h, 'submit')
            : html`<button part="button primary" type="submit" class="primary">${t.next}</button>`
        }
      </div>
    </form>`;
}

function field(h: StepHost, f: FieldSpec) {
  const { t } = h;
  const name = f.name;
  const id = `f-${name}`;
  const problem = h.errors[name];
  const error = problem ? detailMessage(name, problem, t) : '';
  const value = h.values[name] ?? '';
  const describedby = [f.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const input =
    f.input === 'textarea'
      ? html`<textarea
          part="input"
          id=${id}
          name=${name}
          rows="3"
          maxlength=${f.max}
          required
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${describedby || nothing}
          .value=${value}
          @input=${(e: Event) => h.onInput(name, e)}
          @blur=${() => h.onBlur(name)}
        ></textarea>`
      : html`<input
          part="input"
          id=${id}
          name=${name}
          type=${f.input}
          autocomplete=${f.autocomplete ?? nothing}
          inputmode=${f.inputmode ?? f.input}
          maxlength=${f.max}
          required
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${describedby || nothing}
          .value=${value}
          @input=${(e: Event) => h.onInput(name, e)}
          @blur=${() => h.onBlur(name)}
        />`;
  return html`<div part="field" class="field">
    <label for=${id}>${t[labelKey(f)]}</label>
    ${f.hint ? html`<span class="hint" id="${id}-hint">${t[f.hint]}</span>` : nothing} ${input}
    <span part="field-error" class="field-error" id="${id}-error">${error}</span>
  </div>`;
}

function consents(h: StepHost) {
  const policies = h.businessConfig!.policies;
  const kinds = POLICY_KINDS.filter((k) => policies[k]);
  if (!kinds.length) return nothing;
  if (kinds.length > 1 && h.businessConfig!.booking?.combinedConsent) return combinedConsent(h, kinds);
  return html`<fieldset class="consents">
    <legend>${h.t.consents}</legend>
    ${kinds.map((k) => {
      const p = policies[k]!;
      return html`<cita-consent-checkbox
        name="consent-${k}"
        required
        .policy=${k}
        .version=${p.version}
        .sha256=${p.sha256}
        .policyTitle=${p.title}
        .policyText=${p.text}
        .cutoffHours=${k === 'cancellation' ? policies.cancellation!.cutoffHours : undefined}
        ?checked=${h.accepted.has(k)}
        .checked=${h.accepted.has(k)}
        lang=${h.locale}
        @change=${h.onConsentChange}
      ></cita-consent-checkbox>`;
    })}
  </fieldset>`;
}

/**
 * One checkbox for every policy (`booking.combinedConsent`): its label names them all, and each is
 * listed with its own text to read (and the cancellation cutoff in words). Ticking it consents to
 * each (`data-covers`): the booking still carries one consent per policy, with its own version
 * and hash. The label is slotted content, not the `label` property: the whitespace around the list
 * would fill the default slot and hide the property's fallback.
 */
function combinedConsent(h: StepHost, kinds: PolicyKind[]) {
  const policies = h.businessConfig!.policies;
  const titles = kinds.map((k) => policies[k]!.title);
  const all = kinds.every((k) => h.accepted.has(k));
  const cutoff = policies.cancellation?.cutoffHours;
  return html`<fieldset class="consents">
    <legend>${h.t.consents}</legend>
    <cita-consent-checkbox
      name="consent"
      required
      data-covers=${kinds.join(' ')}
      .cutoffHours=${kinds.includes('cancellation') ? cutoff : undefined}
      .policy=${kinds.includes('cancellation') ? 'cancellation' : kinds[0]!}
      ?checked=${all}
      .checked=${all}
      lang=${h.locale}
      @change=${h.onConsentChange}
    >
      <span>${h.t.acceptPolicy(new Intl.ListFormat(h.locale, { type: 'conjunction' }).format(titles))}</span>
      <ul slot="hint" class="policy-list">
        ${kinds.map(
          (k) =>
            html`<li>
              <details>
                <summary>${h.t.readPolicy(policies[k]!.title)}</summary>
                <div class="policy-text">${h.richText(policies[k]!.text)}</div>
              </details>
            </li>`,
        )}
      </ul>
    </cita-consent-checkbox>
  </fieldset>`;
}
