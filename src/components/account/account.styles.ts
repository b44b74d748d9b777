import { css } from 'lit';

/** Shared by `<cita-account>` and the staff console: the same palette, fields and buttons. */
export const styles = css`
  :host {
    --_accent: var(--cita-account-accent, var(--cita-color-accent, #1d4ed8));
    --_on-accent: var(--cita-color-on-accent, #ffffff);
    --_danger: var(--cita-color-danger, #b91c1c);
    --_surface: var(--cita-color-surface, transparent);
    --_text: var(--cita-color-text, inherit);
    --_muted: color-mix(in srgb, currentColor 68%, transparent);
    --_line: color-mix(in srgb, currentColor 28%, transparent);
    --_soft: color-mix(in srgb, var(--_accent) 12%, transparent);
    --_radius: var(--cita-radius, 0.5rem);
    --_gap: var(--cita-account-gap, 1rem);
    display: block;
    max-inline-size: var(--cita-account-max-width, 40rem);
    color: var(--_text);
    background: var(--_surface);
    line-height: 1.45;
    color-scheme: light dark;
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
    --_accent: var(--cita-account-accent, var(--cita-color-accent-dark, #93b4ff));
    --_on-accent: var(--cita-color-on-accent-dark, #0b1533);
    --_danger: var(--cita-color-danger-dark, #fca5a5);
    --_surface: var(--cita-color-surface-dark, #15171c);
    --_text: var(--cita-color-text-dark, #eceef2);
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      --_accent: var(--cita-account-accent, var(--cita-color-accent-dark, #93b4ff));
      --_on-accent: var(--cita-color-on-accent-dark, #0b1533);
      --_danger: var(--cita-color-danger-dark, #fca5a5);
      --_surface: var(--cita-color-surface-dark, #15171c);
      --_text: var(--cita-color-text-dark, #eceef2);
    }
  }
  [part~='base'] {
    display: grid;
    gap: var(--_gap);
    padding: var(--cita-account-padding, 0);
  }
  h2,
  h3,
  h4 {
    margin: 0;
    line-height: 1.25;
  }
  h2 {
    font-size: 1.25em;
  }
  h3 {
    font-size: 1.05em;
  }
  h4 {
    font-size: 0.9em;
    color: var(--_muted);
  }
  [tabindex='-1']:focus {
    outline: none;
  }
  [tabindex='-1']:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  p {
    margin: 0;
  }
  form,
  .stack {
    display: grid;
    gap: var(--_gap);
  }
  .field {
    display: grid;
    gap: 0.25rem;
  }
  label {
    font-weight: 600;
  }
  .hint,
  .muted {
    font-size: 0.9em;
    color: var(--_muted);
  }
  input[type='email'],
  input[type='text'],
  input[type='password'],
  select,
  textarea {
    inline-size: 100%;
    min-block-size: 2.75rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    background: transparent;
    color: inherit;
    font: inherit;
  }
  input[aria-invalid='true'],
  textarea[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  input.code {
    font-variant-numeric: tabular-nums;
    letter-spacing: 0.3em;
    max-inline-size: 12rem;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    font-weight: 400;
  }
  .check input {
    inline-size: 1.25rem;
    block-size: 1.25rem;
    margin: 0;
    accent-color: var(--_accent);
  }
  .error {
    color: var(--_danger);
    font-size: 0.9em;
  }
  .error:empty {
    display: none;
  }
  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.375rem;
    min-block-size: 2.75rem;
    padding: 0.375rem 1rem;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    background: transparent;
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  button:hover {
    border-color: var(--_accent);
  }
  button:focus-visible,
  input:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  button[aria-disabled='true'] {
    cursor: progress;
    opacity: 0.7;
  }
  .primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
    font-weight: 600;
  }
  .danger {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  .link {
    min-block-size: 2.75rem;
    padding-inline: 0;
    border: 0;
    background: none;
    color: var(--_accent);
    text-decoration: underline;
    text-underline-offset: 0.2em;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1rem;
  }
  [part~='status'] {
    margin: 0;
  }
  /* An alert with nothing to say takes no room. A container alert holds its message in elements
     (<p>): the line breaks around them in the template are text, which :empty does not ignore. */
  [part~='alert']:empty,
  div[part~='alert']:not(:has(*)) {
    display: none;
  }
  [part~='alert'] {
    padding: 0.75rem 1rem;
    border-inline-start: 4px solid var(--_danger);
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_danger) 10%, transparent);
  }
  [part~='notice'] {
    padding: 0.75rem 1rem;
    border-inline-start: 4px solid var(--_accent);
    border-radius: var(--_radius);
    background: var(--_soft);
  }
  [part~='policy'] {
    margin: 0;
    padding: 0.75rem 1rem;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
  }
  [part~='policy'] ul {
    margin: 0.25rem 0 0;
    padding-inline-start: 1.25rem;
  }
  [part~='section'] {
    display: grid;
    gap: 0.75rem;
    padding-block-start: var(--_gap);
    border-block-start: 1px solid var(--_line);
  }
  ul.bookings {
    display: grid;
    gap: 0.75rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  [part~='booking'],
  [part~='grant'] {
    display: grid;
    gap: 0.375rem;
    padding: 0.75rem 1rem;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
  }
  [part~='booking'] .title {
    font-weight: 600;
  }
  .tag {
    justify-self: start;
    padding: 0 0.5rem;
    border: 1px solid currentColor;
    border-radius: 999px;
    font-size: 0.85em;
  }
  .who {
    overflow-wrap: anywhere;
  }
  @media (prefers-reduced-motion: no-preference) {
    button {
      transition: border-color 0.15s;
    }
  }
  @media (forced-colors: active) {
    .primary {
      border: 2px solid ButtonText;
    }
    [part~='alert'],
    [part~='notice'] {
      border: 1px solid CanvasText;
    }
  }
`;
