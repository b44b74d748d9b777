import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import {
  StaffInviteRequest,
  StaffInvited,
  StaffList,
  StaffRemoveRequest,
  StaffResetTwoFactorRequest,
  StaffRoleRequest,
  StaffTwoFactorReset,
  peopleRoutes,
  type StaffMember,
} from '../../../api/console-people-contract.js';
import { defineOnce } from '../../../core/define.js';
import { formatDateTime, localTimeZone } from '../../../core/intl.js';
import { TaskSection } from './shared.js';
import { STRINGS, type StaffStrings } from './staff.strings.js';
// HIPAA break-glass grants are given to staff members: they live in this section.
import './break-glass.js';

type Confirm = { kind: 'remove' | 'reset'; member: StaffMember };

/**
 * @summary The console's staff management: members, their roles and two-step methods; invite, change a role, remove, reset two-step sign-in.
 * @tag cita-console-staff
 *
 * Loaded by `<cita-admin-console>` for owners (`/admin#staff`). An invitation emails the new
 * member a one-time setup link (the console never shows it). An owner cannot remove their own
 * account, and the business always keeps an owner. Removing a member ends their sessions;
 * resetting their two-step sign-in removes every method (apps, passkeys, recovery codes), ends
 * their sessions and emails them. Both ask to confirm first; every change is audited. Below,
 * `<cita-console-break-glass>` gives and revokes HIPAA break-glass access.
 *
 * @csspart heading - The section's heading.
 * @csspart members - The list of members.
 * @csspart member - One member.
 * @csspart form - The invitation form.
 * @csspart input - Text inputs.
 * @csspart select - Role selects.
 * @csspart button - Every button.
 * @csspart primary - The main button of a form.
 * @csspart danger - Remove and reset.
 * @csspart panel - A confirmation.
 * @csspart status - The polite live region.
 * @csspart alert - Errors.
 * @csspart notice - Outcomes.
 *
 * @cssproperty --cita-color-accent - Accent colour.
 * @cssproperty --cita-color-danger - Errors and the remove/reset buttons.
 * @cssproperty --cita-radius - Corner radius.
 */
export class CitaConsoleStaff extends TaskSection {
  @state() private members?: StaffMember[];
  @state() private confirming?: Confirm;
  @state() private notice = '';
  @state() private fieldError = '';
  @state() private draft = { email: '', name: '', role: 'staff' as 'staff' | 'owner' };
  #focus?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  protected override updated(): void {
    if (!this.#focus) return;
    const target = this.renderRoot.querySelector<HTMLElement>(this.#focus);
    if (target) {
      this.#focus = undefined;
      target.focus();
    }
  }

  async #load(): Promise<void> {
    const t = this.pick(STRINGS);
    await this.run(async () => {
      this.members = (await this.client.get(peopleRoutes.staff, StaffList)).members;
      this.status = t.loaded(this.members.length);
    }, t.loading);
  }

  #onInvite(e: SubmitEvent): void {
    e.preventDefault();
    const t = this.pick(STRINGS);
    const data = new FormData(e.target as HTMLFormElement);
    this.draft = {
      email: String(data.get('email') ?? ''),
      name: String(data.get('name') ?? ''),
      role: data.get('role') === 'owner' ? 'owner' : 'staff',
    };
    const parsed = StaffInviteRequest.safeParse({
      email: this.draft.email,
      role: this.draft.role,
      ...(this.draft.name.trim() ? { name: this.draft.name } : {}),
    });
    if (!parsed.success) {
      this.fieldError = t.invalidEmail;
      this.#focus = '#invite-email';
      return;
    }
    this.fieldError = '';
    void this.run(async () => {
      const r = await this.client.post(peopleRoutes.staffInvite, parsed.data, StaffInvited);
      const until = formatDateTime(r.expiresAt, this.i18n.locale, localTimeZone());
      this.notice = r.created ? t.invited(parsed.data.email, until) : t.reinvited(parsed.data.email, until);
      this.status = this.notice;
      this.draft = { email: '', name: '', role: 'staff' };
      this.members = (await this.client.get(peopleRoutes.staff, StaffList)).members;
      this.#focus = '[part~="notice"]';
    }, t.inviting);
  }

  /** On the button, not the select's `change`: arrow keys on a closed select fire `change` at once. */
  #changeRole(m: StaffMember): void {
    const t = this.pick(STRINGS);
    const select = this.renderRoot.querySelector<HTMLSelectElement>(`#role-${CSS.escape(m.id)}`)!;
    const role = select.value === 'owner' ? 'owner' : 'staff';
    if (role === m.role) {
      this.status = t.roleUnchanged(m.name ?? m.email);
      return;
    }
    const body = StaffRoleRequest.parse({ id: m.id, role });
    void this.run(async () => {
      await this.client.post(peopleRoutes.staffRole, body);
      this.members = (await this.client.get(peopleRoutes.staff, StaffList)).members;
      this.notice = t.roleChanged(m.name ?? m.email, role === 'owner' ? t.owner : t.staff);
      this.status = this.notice;
    }, t.saving);
  }

  #confirm(kind: Confirm['kind'], member: StaffMember): void {
    this.confirming = { kind, member };
    this.notice = '';
    this.#focus = '#confirm-heading';
  }

  #cancelConfirm(): void {
    const id = this.confirming?.member.id;
    this.confirming = undefined;
    this.#focus = id ? `[data-member="${id}"] button` : '';
  }

  #doConfirmed(): void {
    const t = this.pick(STRINGS);
    const { kind, member } = this.confirming!;
    const who = member.name ?? member.email;
    void this.run(
      async () => {
        if (kind === 'remove') {
          await this.client.post(peopleRoutes.staffRemove, StaffRemoveRequest.parse({ id: member.id }));
          this.notice = t.removed(who);
        } else {
          const r = await this.client.post(
            peopleRoutes.staffResetTwoFactor,
            StaffResetTwoFactorRequest.parse({ id: member.id, confirm: true }),
            StaffTwoFactorReset,
          );
          this.notice = t.resetDone(who, r.removed);
        }
        this.status = this.notice;
        this.confirming = undefined;
        this.members = (await this.client.get(peopleRoutes.staff, StaffList)).members;
        this.#focus = '[part~="notice"]';
      },
      kind === 'remove' ? t.removing : t.resetting,
    );
  }

  override render() {
    const t = this.pick(STRINGS);
    return html`<section aria-labelledby="staff-heading" aria-busy=${this.busy ? 'true' : 'false'}>
      <h2 id="staff-heading" part="heading" tabindex="-1">${t.heading}</h2>
      ${this.renderFeedback()}
      ${this.notice ? html`<p part="notice" tabindex="-1">${this.notice}</p>` : nothing}
      ${this.confirming ? this.#renderConfirm(t, this.confirming) : nothing}
      ${
        this.members
          ? html`<ul part="members" class="cards" aria-label=${t.members}>
              ${this.members.map((m) => this.#renderMember(t, m))}
            </ul>`
          : nothing
      }
      ${this.#renderInvite(t)}
      <cita-console-break-glass
        .client=${this.client}
        .me=${this.me}
        theme=${this.theme}
      ></cita-console-break-glass>
    </section>`;
  }

  #renderMember(t: StaffStrings, m: StaffMember) {
    const who = m.name ?? m.email;
    const locale = this.i18n.locale;
    const tf = m.twoFactor;
    return html`<li part="member" data-member=${m.id}>
      <strong>${who}${m.you ? html` <span class="tag">${t.you}</span>` : nothing}</strong>
      ${m.name ? html`<span>${m.email}</span>` : nothing}
      <dl>
        <dt>${t.role}</dt>
        <dd>${m.role === 'owner' ? t.owner : t.staff}</dd>
        <dt>${t.lastSignIn}</dt>
        <dd>
          ${
            m.pending
              ? t.pending
              : m.lastSignInAt
                ? formatDateTime(m.lastSignInAt, locale, localTimeZone())
                : t.never
          }
        </dd>
        <dt>${t.app}</dt>
        <dd>${tf.authenticatorApp ? t.yes : t.no}</dd>
        <dt>${t.passkeys}</dt>
        <dd>${tf.passkeys.length ? tf.passkeys.map((p) => p.name).join(', ') : t.none}</dd>
        <dt>${t.recovery}</dt>
        <dd>${tf.recoveryCodesLeft === null ? t.none : t.codesLeft(tf.recoveryCodesLeft)}</dd>
      </dl>
      <div class="actions">
        <label class="check" for=${`role-${m.id}`}>${t.roleFor(who)}</label>
        <select part="select" id=${`role-${m.id}`} .value=${live(m.role)}>
          <option value="staff" ?selected=${m.role === 'staff'}>${t.staff}</option>
          <option value="owner" ?selected=${m.role === 'owner'}>${t.owner}</option>
        </select>
        <button
          part="button"
          type="button"
          aria-disabled=${this.busy ? 'true' : 'false'}
          @click=${() => !this.busy && this.#changeRole(m)}
        >
          ${t.saveRole}<span class="visually-hidden"> ${who}</span>
        </button>
      </div>
      <div class="actions">
        ${
          m.you
            ? nothing
            : html`<button
                part="button danger"
                class="danger"
                type="button"
                @click=${() => this.#confirm('remove', m)}
              >
                ${t.remove}<span class="visually-hidden"> ${who}</span>
              </button>`
        }
        <button part="button" type="button" @click=${() => this.#confirm('reset', m)}>
          ${t.reset}<span class="visually-hidden"> ${who}</span>
        </button>
      </div>
    </li>`;
  }

  #renderConfirm(t: StaffStrings, c: Confirm) {
    const who = c.member.name ?? c.member.email;
    return html`<div part="panel" role="group" aria-labelledby="confirm-heading">
      <h3 id="confirm-heading" tabindex="-1">
        ${c.kind === 'remove' ? t.removeHeading(who) : t.resetHeading(who)}
      </h3>
      <p>${c.kind === 'remove' ? t.removeExplain : t.resetExplain}</p>
      <div class="actions">
        ${this.button(
          c.kind === 'remove' ? t.removeConfirm : t.resetConfirm,
          c.kind === 'remove' ? t.removing : t.resetting,
          () => this.#doConfirmed(),
          'danger',
          'confirm-action',
        )}
        <button part="button" type="button" @click=${this.#cancelConfirm}>${t.cancel}</button>
      </div>
    </div>`;
  }

  #renderInvite(t: StaffStrings) {
    return html`<form part="form" novalidate aria-labelledby="invite-heading" @submit=${this.#onInvite}>
      <h3 id="invite-heading">${t.inviteHeading}</h3>
      <p class="muted">${t.inviteHint}</p>
      <div class="field">
        <label for="invite-email">${t.email}</label>
        <input
          part="input"
          id="invite-email"
          name="email"
          type="email"
          autocomplete="off"
          spellcheck="false"
          required
          .value=${this.draft.email}
          aria-invalid=${this.fieldError ? 'true' : 'false'}
          aria-describedby="invite-email-error"
        />
        <span class="error" id="invite-email-error">${this.fieldError}</span>
      </div>
      <div class="field">
        <label for="invite-name">${t.name}</label>
        <input
          part="input"
          id="invite-name"
          name="name"
          type="text"
          autocomplete="off"
          .value=${this.draft.name}
        />
      </div>
      <div class="field">
        <label for="invite-role">${t.role}</label>
        <select part="select" id="invite-role" name="role" .value=${this.draft.role}>
          <option value="staff" ?selected=${this.draft.role === 'staff'}>${t.staff}</option>
          <option value="owner" ?selected=${this.draft.role === 'owner'}>${t.owner}</option>
        </select>
      </div>
      <div class="actions">${this.button(t.invite, t.inviting, undefined, 'primary')}</div>
    </form>`;
  }
}

defineOnce('cita-console-staff', CitaConsoleStaff);

declare global {
  interface HTMLElementTagNameMap {
    'cita-console-staff': CitaConsoleStaff;
  }
}
