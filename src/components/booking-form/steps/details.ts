import { html, nothing } from 'lit';
import { HONEYPOT_FIELD, POLICY_KINDS } from '../../../api/contract.js';
import { detailMessage } from '../logic/details.js';
import { FIELDS, labelKey, type FieldSpec } from '../logic/fields.js';
import { heading, type StepHost } from './host.js';

/** Step 3: the fields the business asks for (from the FIELDS table), the honeypot and the consents. */
export function detailsStep(h: StepHost) {
  const { t } = h;
  const asked = h.businessConfig!.customerFields;
  return html`${heading(t.yourDetails)}
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
      ${consents(h)}
      <div class="actions">
        <button part="button" type="button" @click=${() => h.goTo('slot')}>${t.back}</button>
        <button part="button primary" type="submit" class="primary">${t.next}</button>
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
