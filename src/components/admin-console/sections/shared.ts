/**
 * What the console's sections share (customers, staff, settings, audit, clean history): layout
 * styles for tables and lists that still work at 320 px, the words for failures, a busy/error
 * task runner that keeps what the person typed, download links on the console's own origin, and
 * the days of the business's time zone.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { isCitaError } from '../../../api/errors.js';
import { errorCode } from '../../account/logic/errors.js';
import { ConsoleSection } from '../console-section.js';

export const sectionStyles = css`
  :host {
    --cita-account-max-width: 60rem;
  }
  section,
  [part~='panel'] {
    display: grid;
    gap: 0.75rem;
  }
  [part~='panel'] {
    padding: 0.75rem 1rem;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
  }
  select,
  input[type='date'],
  input[type='search'] {
    min-block-size: 2.75rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    background: transparent;
    color: inherit;
    font: inherit;
    max-inline-size: 100%;
  }
  select option {
    background: var(--_surface);
    color: var(--_text);
  }
  input[type='search'] {
    inline-size: 100%;
  }
  select:focus-visible,
  input:focus-visible,
  a:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .filters {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 0.75rem 1rem;
  }
  .scroll {
    overflow-x: auto;
    max-inline-size: 100%;
  }
  table {
    inline-size: 100%;
    border-collapse: collapse;
    font-size: 0.95em;
  }
  caption {
    text-align: start;
    font-weight: 600;
    padding-block-end: 0.25rem;
  }
  th,
  td {
    padding: 0.4rem 0.5rem;
    border-block-end: 1px solid var(--_line);
    text-align: start;
    vertical-align: top;
    overflow-wrap: anywhere;
  }
  th {
    font-weight: 600;
  }
  td.num,
  th.num {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  ul.cards {
    display: grid;
    gap: 0.75rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  ul.cards > li {
    display: grid;
    gap: 0.375rem;
    padding: 0.75rem 1rem;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    overflow-wrap: anywhere;
  }
  dl {
    display: grid;
    grid-template-columns: minmax(8rem, max-content) 1fr;
    gap: 0.25rem 1rem;
    margin: 0;
  }
  dt {
    font-weight: 600;
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  code {
    font-size: 0.9em;
    overflow-wrap: anywhere;
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  a[part~='download'] {
    color: var(--_accent);
  }
  @media (max-width: 30rem) {
    dl {
      grid-template-columns: 1fr;
    }
    dd {
      margin-block-end: 0.5rem;
    }
  }
`;

const WORDS = {
  en: {
    network: 'Could not reach the server. Check the connection and try again; nothing was lost.',
    timeout: 'The server took too long to answer. Try again.',
    unauthorized: 'Your session has ended. Reload the page and sign in again.',
    forbidden: 'Your account may not do this.',
    not_found: 'Not found: it may have been removed meanwhile.',
    validation_failed: 'Some values are not valid.',
    rate_limited: 'Too many requests. Wait a minute and try again.',
    last_owner: 'The business must keep at least one owner.',
    own_account: 'Another owner must remove your own account.',
    retention_not_configured: 'No retention period is configured: choose a date.',
    history_export_missing:
      'The export file of an unfinished run is missing or altered: nothing was cleaned. See the server log.',
    generic: 'Something went wrong. Try again.',
  },
  es: {
    network:
      'No se pudo contactar con el servidor. Revisa la conexión y vuelve a intentarlo; no se ha perdido nada.',
    timeout: 'El servidor tardó demasiado en responder. Vuelve a intentarlo.',
    unauthorized: 'Tu sesión ha terminado. Recarga la página y vuelve a iniciar sesión.',
    forbidden: 'Tu cuenta no puede hacer esto.',
    not_found: 'No encontrado: puede que se haya eliminado mientras tanto.',
    validation_failed: 'Algunos valores no son válidos.',
    rate_limited: 'Demasiadas solicitudes. Espera un minuto y vuelve a intentarlo.',
    last_owner: 'El negocio debe conservar al menos un propietario.',
    own_account: 'Tu propia cuenta debe eliminarla otro propietario.',
    retention_not_configured: 'No hay un plazo de conservación configurado: elige una fecha.',
    history_export_missing:
      'Falta o se ha alterado el archivo de exportación de una ejecución pendiente: no se ha limpiado nada. Mira el registro del servidor.',
    generic: 'Algo ha ido mal. Vuelve a intentarlo.',
  },
};

/**
 * A console section with one task at a time: `busy` while it runs (the live region says so and
 * the buttons say what is happening), `error` in words when it fails, the form's values untouched.
 */
export abstract class TaskSection extends ConsoleSection {
  static override styles = [...ConsoleSection.styles, sectionStyles];

  @state() protected busy = false;
  @state() protected error?: string;
  /** What the polite live region says (results, progress, outcomes). */
  @state() protected status = '';

  /** The failure in the element's language. */
  protected words(err: unknown): string {
    const w = this.pick(WORDS);
    const code = errorCode(err);
    const known = (w as Record<string, string>)[code];
    if (known) return known;
    if (isCitaError(err) && err.kind === 'problem' && err.detail) return `${w.generic} (${err.detail})`;
    return w.generic;
  }

  protected async run<T>(task: () => Promise<T>, busyStatus = ''): Promise<T | undefined> {
    if (this.busy) return undefined;
    this.busy = true;
    this.error = undefined;
    if (busyStatus) this.status = busyStatus;
    try {
      return await task();
    } catch (err) {
      this.error = this.words(err);
      this.status = '';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[part~="alert"]')?.focus();
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  /** A URL of the console's API (for downloads: the cookie goes with a same-origin link). */
  protected apiUrl(path: string, search?: URLSearchParams): string {
    const query = search?.toString();
    return `${this.client.endpoint}${path}${query ? `?${query}` : ''}`;
  }

  /** The live region and the alert every section renders (first, so focus lands sensibly). */
  protected renderFeedback(): TemplateResult {
    return html`<p part="status" role="status" aria-live="polite">${this.status}</p>
      <div part="alert" role="alert" tabindex="-1">
        ${this.error ? html`<p>${this.error}</p>` : nothing}
      </div>`;
  }

  /** A button that says it is working while the section is busy (aria-disabled keeps it focusable). */
  protected button(label: string, busyLabel: string, onClick?: () => void, extra = '', id?: string) {
    return html`<button
      part=${`button ${extra}`.trim()}
      class=${extra}
      type=${onClick ? 'button' : 'submit'}
      id=${id ?? nothing}
      aria-disabled=${this.busy ? 'true' : 'false'}
      @click=${onClick && (() => !this.busy && onClick())}
    >
      ${this.busy ? busyLabel : label}
    </button>`;
  }
}
