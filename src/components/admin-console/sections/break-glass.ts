import { css, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import {
  BREAK_GLASS_MAX_MINUTES,
  BreakGlassGrant,
  BreakGlassGrantRequest,
  BreakGlassList,
  breakGlassRoutes,
} from '../../../api/console-hipaa-contract.js';
import { ProblemError } from '../../../api/errors.js';
import { defineOnce } from '../../../core/define.js';
import { ConsoleSection } from '../console-section.js';

/** The durations offered, in minutes (the contract allows 15 to 24 h). */
const DURATIONS = [15, 60, 240, 480, BREAK_GLASS_MAX_MINUTES] as const;

const STRINGS = {
  en: {
    heading: 'Break-glass access',
    intro:
      "In HIPAA mode only owners see customers' personal data. Give a staff member access for a limited time, with a reason; every owner is emailed and it is in the audit log.",
    notHipaa: 'This business is not in HIPAA mode: every staff member already sees customer data.',
    ownersOnly: 'Only owners can give or revoke break-glass access.',
    loading: 'Loading access grants…',
    loadFailed: 'The grants could not be loaded.',
    retry: 'Try again',
    member: 'Staff member',
    noStaff: 'There are no staff members other than owners.',
    reason: 'Reason',
    reasonHint: 'Why they need access. No patient details: every owner can read this.',
    duration: 'For',
    minutes: (m: number) => (m < 60 ? `${m} minutes` : m === 60 ? '1 hour' : `${m / 60} hours`),
    grant: 'Give access',
    granting: 'Giving access…',
    granted: (email: string, until: string) => `${email} has access until ${until}.`,
    grants: 'Grants (last 30 days)',
    none: 'No grants in the last 30 days.',
    until: (when: string) => `until ${when}`,
    by: (email: string) => `given by ${email}`,
    active: 'Active',
    ended: 'Ended',
    revoked: 'Revoked',
    revoke: (email: string) => `Revoke access for ${email}`,
    revokeShort: 'Revoke',
    revoking: 'Revoking…',
    revokedDone: (email: string) => `Access for ${email} was revoked.`,
    reasonRequired: 'Say why, in at least 3 characters.',
    failed: 'That did not work. Nothing was changed; try again.',
    notStaff: 'Choose a staff member who is not an owner.',
    inactive: 'This grant had already ended.',
  },
  es: {
    heading: 'Acceso de emergencia',
    intro:
      'En modo HIPAA solo los propietarios ven los datos personales de los clientes. Da acceso a un miembro del equipo por un tiempo limitado, con un motivo; se avisa por correo a todos los propietarios y queda en el registro de auditoría.',
    notHipaa: 'Este negocio no está en modo HIPAA: todo el equipo ve ya los datos de los clientes.',
    ownersOnly: 'Solo los propietarios pueden dar o retirar el acceso de emergencia.',
    loading: 'Cargando los accesos…',
    loadFailed: 'No se han podido cargar los accesos.',
    retry: 'Reintentar',
    member: 'Miembro del equipo',
    noStaff: 'No hay miembros del equipo aparte de los propietarios.',
    reason: 'Motivo',
    reasonHint: 'Por qué necesita acceso. Sin datos de pacientes: todos los propietarios lo leen.',
    duration: 'Durante',
    minutes: (m: number) => (m < 60 ? `${m} minutos` : m === 60 ? '1 hora' : `${m / 60} horas`),
    grant: 'Dar acceso',
    granting: 'Dando acceso…',
    granted: (email: string, until: string) => `${email} tiene acceso hasta el ${until}.`,
    grants: 'Accesos (últimos 30 días)',
    none: 'Ningún acceso en los últimos 30 días.',
    until: (when: string) => `hasta el ${when}`,
    by: (email: string) => `dado por ${email}`,
    active: 'Activo',
    ended: 'Terminado',
    revoked: 'Retirado',
    revoke: (email: string) => `Retirar el acceso de ${email}`,
    revokeShort: 'Retirar',
    revoking: 'Retirando…',
    revokedDone: (email: string) => `Se ha retirado el acceso de ${email}.`,
    reasonRequired: 'Indica el motivo, con al menos 3 caracteres.',
    failed: 'No ha funcionado. No se ha cambiado nada; inténtalo de nuevo.',
    notStaff: 'Elige a alguien del equipo que no sea propietario.',
    inactive: 'Este acceso ya había terminado.',
  },
};
type Strings = typeof STRINGS.en;

/**
 * @summary The console's break-glass element (issue 11, HIPAA mode): an owner lists the grants of
 * temporary access to customers' personal data, gives one to a staff member (who, why, for how
 * long) and revokes an active one. Each change is audited and emailed to every owner by the
 * server. Meant for the console's Staff section; owners only (others see why not).
 *
 * Times are shown in the business's time zone. Progress and outcomes are announced in a live
 * region; a refused or failed request keeps what was typed.
 *
 * @tag cita-console-break-glass
 * @csspart heading - The section's heading.
 * @csspart status - The live region (loading, granted, revoked).
 * @csspart alert - Errors.
 * @csspart form - The form that gives access.
 * @csspart grants - The list of grants.
 * @csspart grant - One grant.
 * @csspart button - Every button (`primary` on the form's).
 * @cssproperty --cita-account-accent - The accent colour (buttons, active tags).
 * @cssproperty --cita-color-danger - The colour of errors.
 */
export class CitaConsoleBreakGlass extends ConsoleSection {
  static override styles = [
    ...ConsoleSection.styles,
    css`
      /* Fields, selects and text areas share the account's styles (account.styles.ts). */
      textarea {
        min-block-size: 5rem;
        resize: vertical;
      }
      /* The list and its cards are the account's (ul.bookings, [part~='grant']). */
      [part~='grant'] {
        overflow-wrap: anywhere;
      }
      .tag.active {
        color: var(--_accent);
      }
    `,
  ];

  @state() private data: BreakGlassList | undefined;
  @state() private loadError = false;
  @state() private busy: 'grant' | string | undefined;
  @state() private announce = '';
  @state() private error: ((t: Strings) => string) | undefined;
  @state() private reasonError = false;
  #requested = false;

  override willUpdate(): void {
    // Loads once the console has handed over who is signed in (owners only).
    if (this.isOwner && this.client && !this.#requested) {
      this.#requested = true;
      void this.#load();
    }
  }

  async #load(): Promise<void> {
    this.loadError = false;
    try {
      this.data = await this.client.get(breakGlassRoutes.list, BreakGlassList);
    } catch {
      this.loadError = true;
    }
  }

  #when(iso: string): string {
    return new Intl.DateTimeFormat(this.i18n.locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: this.data?.timeZone,
    }).format(new Date(iso));
  }

  #problem(err: unknown): (t: Strings) => string {
    const code = err instanceof ProblemError ? err.code : undefined;
    if (code === 'break_glass_not_staff') return (t) => t.notStaff;
    if (code === 'break_glass_inactive') return (t) => t.inactive;
    return (t) => t.failed; // network, timeout, anything else: nothing changed on our side
  }

  async #onGrant(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const parsed = BreakGlassGrantRequest.safeParse({
      accountId: data.get('accountId'),
      reason: String(data.get('reason') ?? ''),
      minutes: Number(data.get('minutes')),
    });
    this.error = undefined;
    this.reasonError = !parsed.success && parsed.error.issues.some((i) => i.path[0] === 'reason');
    if (!parsed.success) {
      this.error = this.reasonError ? (t) => t.reasonRequired : (t) => t.failed;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(this.reasonError ? '#reason' : '[part~="alert"]')?.focus();
      return;
    }
    this.busy = 'grant';
    this.announce = '';
    try {
      const grant = await this.client.post(breakGlassRoutes.grant, parsed.data, BreakGlassGrant);
      form.reset();
      await this.#load();
      this.announce = this.pick(STRINGS).granted(grant.email, this.#when(grant.expiresAt));
    } catch (err) {
      this.error = this.#problem(err);
    } finally {
      this.busy = undefined;
    }
  }

  async #onRevoke(grant: BreakGlassGrant): Promise<void> {
    if (this.busy) return;
    this.busy = grant.id;
    this.error = undefined;
    this.announce = '';
    try {
      await this.client.post(breakGlassRoutes.revoke(grant.id), {}, BreakGlassGrant);
      this.announce = this.pick(STRINGS).revokedDone(grant.email);
    } catch (err) {
      this.error = this.#problem(err);
    } finally {
      this.busy = undefined;
      await this.#load();
    }
  }

  #form(t: Strings, data: BreakGlassList) {
    if (!data.staff.length) return html`<p class="muted">${t.noStaff}</p>`;
    return html`<form part="form" novalidate @submit=${this.#onGrant}>
      <div class="field">
        <label for="member">${t.member}</label>
        <select id="member" name="accountId">
          ${data.staff.map((s) => html`<option value=${s.id}>${s.email}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="reason">${t.reason}</label>
        <span class="hint muted" id="reason-hint">${t.reasonHint}</span>
        <textarea
          id="reason"
          name="reason"
          maxlength="500"
          required
          aria-invalid=${this.reasonError ? 'true' : 'false'}
          aria-describedby="reason-hint reason-error"
        ></textarea>
        <span class="error" id="reason-error">${this.reasonError ? t.reasonRequired : ''}</span>
      </div>
      <div class="field">
        <label for="minutes">${t.duration}</label>
        <select id="minutes" name="minutes">
          ${DURATIONS.map((m) => html`<option value=${m} ?selected=${m === 60}>${t.minutes(m)}</option>`)}
        </select>
      </div>
      <div class="actions">
        <button
          part="button primary"
          class="primary"
          type="submit"
          aria-disabled=${this.busy ? 'true' : 'false'}
        >
          ${this.busy === 'grant' ? t.granting : t.grant}
        </button>
      </div>
    </form>`;
  }

  #grant(t: Strings, g: BreakGlassGrant) {
    const status = g.active ? t.active : g.revokedAt ? t.revoked : t.ended;
    return html`<li part="grant">
      <span class="title"><strong>${g.email}</strong> · ${t.until(this.#when(g.expiresAt))}</span>
      <span class="tag ${g.active ? 'active' : ''}">${status}</span>
      <span>${g.reason}</span>
      <span class="muted">${g.grantedByEmail ? t.by(g.grantedByEmail) : nothing}</span>
      ${
        g.active
          ? html`<div class="actions">
              <button
                part="button"
                class="danger"
                type="button"
                aria-label=${t.revoke(g.email)}
                aria-disabled=${this.busy ? 'true' : 'false'}
                @click=${() => this.#onRevoke(g)}
              >
                ${this.busy === g.id ? t.revoking : t.revokeShort}
              </button>
            </div>`
          : nothing
      }
    </li>`;
  }

  override render() {
    const t = this.pick(STRINGS);
    const data = this.data;
    return html`<section
      part="section"
      aria-labelledby="bg-heading"
      aria-busy=${this.busy ? 'true' : 'false'}
    >
      <h2 part="heading" id="bg-heading" tabindex="-1">${t.heading}</h2>
      ${
        !this.isOwner
          ? html`<p>${t.ownersOnly}</p>`
          : html`<p class="muted">${data && !data.hipaa ? t.notHipaa : t.intro}</p>
              <p part="status" role="status">${!data && !this.loadError ? t.loading : this.announce}</p>
              <div part="alert" role="alert" tabindex="-1">
                ${
                  this.loadError
                    ? html`<p>${t.loadFailed}</p>
                        <button part="button" type="button" @click=${() => this.#load()}>${t.retry}</button>`
                    : this.error
                      ? html`<p>${this.error(t)}</p>`
                      : nothing
                }
              </div>
              ${
                data
                  ? html`${this.#form(t, data)}
                      <h3>${t.grants}</h3>
                      ${
                        data.grants.length
                          ? html`<ul part="grants" class="bookings">
                              ${data.grants.map((g) => this.#grant(t, g))}
                            </ul>`
                          : html`<p class="muted">${t.none}</p>`
                      }`
                  : nothing
              }`
      }
    </section>`;
  }
}

defineOnce('cita-console-break-glass', CitaConsoleBreakGlass);

declare global {
  interface HTMLElementTagNameMap {
    'cita-console-break-glass': CitaConsoleBreakGlass;
  }
}
