import { html, nothing } from 'lit';
import { formatDuration } from '../../../core/intl.js';
import { heading, type StepHost } from './host.js';

/** Step 1: the services, each a toggle button with its duration, price and description. */
export function serviceStep(h: StepHost) {
  const { t } = h;
  if (!h.services.length)
    return html`${heading(t.chooseService)}
      <p class="empty">${t.noServices}</p>`;
  return html`${heading(t.chooseService)}
    <ul class="services">
      ${h.services.map(
        (s) =>
          html`<li>
            <button
              part="service"
              type="button"
              class="service"
              aria-pressed=${h.selectedService?.id === s.id ? 'true' : 'false'}
              @click=${() => h.chooseService(s)}
            >
              <span class="service-name">${s.name}</span>
              <span class="service-meta"
                >${formatDuration(s.durationMinutes, h.locale)}${s.price ? html` · ${h.price(s)}` : nothing}</span
              >
            </button>
            ${s.description ? html`<div class="service-description">${h.richText(s.description)}</div>` : nothing}
          </li>`,
      )}
    </ul>`;
}
