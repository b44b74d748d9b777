import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import {
  SettingsView,
  peopleRoutes,
  type Setting,
  type SettingId,
  type SettingValue,
} from '../../../api/console-people-contract.js';
import { defineOnce } from '../../../core/define.js';
import { TaskSection } from './shared.js';
import { GROUPS, STRINGS, type SettingsStrings } from './settings.strings.js';

/**
 * @summary The console's settings: the security and data settings in force, read-only, each with the configuration key that sets it.
 * @tag cita-console-settings
 *
 * Loaded by `<cita-admin-console>` for owners (`/admin#settings`): password policy, failed
 * sign-in rules, two-step sign-in for staff and customers, HIPAA mode, session timeouts,
 * retention, invoicing, allowed origins and notification recipients. The configuration file is
 * the source of truth: the view says which file, the key of each setting
 * (`businesses[0].security.password.minLength`) and whether the file writes it or the default
 * applies; a change there is checked with `cita-server check`, then the server reloads it.
 *
 * @csspart heading - The section's heading.
 * @csspart notice - The "read-only, edit the file" explanation.
 * @csspart group - One group of settings.
 * @csspart button - The retry button.
 * @csspart status - The polite live region.
 * @csspart alert - Errors.
 *
 * @cssproperty --cita-color-accent - Accent colour.
 * @cssproperty --cita-radius - Corner radius.
 */
export class CitaConsoleSettings extends TaskSection {
  @state() private view?: SettingsView;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#load();
  }

  #load(): void {
    const t = this.pick(STRINGS);
    void this.run(async () => {
      this.view = await this.client.get(peopleRoutes.settings, SettingsView);
      this.status = '';
    }, t.loading);
  }

  #value(t: SettingsStrings, id: SettingId, v: SettingValue) {
    if (v === null) return t.notSet;
    if (typeof v === 'boolean') return v ? t.yes : t.no;
    if (Array.isArray(v))
      return v.length
        ? html`<ul>
            ${v.map((x) => html`<li>${x}</li>`)}
          </ul>`
        : t.none;
    return t.value(id, v);
  }

  override render() {
    const t = this.pick(STRINGS);
    const byId = new Map(this.view?.settings.map((s) => [s.id, s]));
    return html`<section aria-labelledby="settings-heading" aria-busy=${this.busy ? 'true' : 'false'}>
      <h2 id="settings-heading" part="heading" tabindex="-1">${t.heading}</h2>
      <div part="notice">
        <p>${t.readOnly}</p>
        ${
          this.view
            ? html`<p>${this.view.source ? html`${t.file} <code>${this.view.source}</code>` : t.noFile}</p>`
            : nothing
        }
      </div>
      ${this.renderFeedback()}
      ${this.error ? html`<div class="actions">${this.button(t.retry, t.loading, () => this.#load())}</div>` : nothing}
      ${
        this.view
          ? GROUPS.map(
              ([group, ids]) =>
                html`<section part="group" aria-labelledby=${`g-${group}`}>
                  <h3 id=${`g-${group}`}>${t.groups[group]}</h3>
                  <dl>
                    ${ids
                      .map((id) => byId.get(id))
                      .filter((s): s is Setting => Boolean(s))
                      .map(
                        (s) =>
                          html`<dt>${t.labels[s.id]}</dt>
                            <dd>
                              <div>${this.#value(t, s.id, s.value)}</div>
                              <div class="muted">
                                <code>${s.path}</code
                                >${s.inFile === false ? html` · ${t.byDefault}` : nothing}
                              </div>
                            </dd>`,
                      )}
                  </dl>
                </section>`,
            )
          : nothing
      }
    </section>`;
  }
}

defineOnce('cita-console-settings', CitaConsoleSettings);

declare global {
  interface HTMLElementTagNameMap {
    'cita-console-settings': CitaConsoleSettings;
  }
}
