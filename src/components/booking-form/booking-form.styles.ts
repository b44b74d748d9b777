import { css } from 'lit';

export const styles = css`
  :host {
    --_accent: var(--cita-booking-form-accent, var(--cita-color-accent, #1d4ed8));
    --_on-accent: var(--cita-color-on-accent, #ffffff);
    --_danger: var(--cita-color-danger, #b91c1c);
    --_surface: var(--cita-color-surface, transparent);
    --_text: var(--cita-color-text, inherit);
    --_muted: color-mix(in srgb, currentColor 68%, transparent);
    --_line: color-mix(in srgb, currentColor 22%, transparent);
    --_soft: color-mix(in srgb, var(--_accent) 12%, transparent);
    --_radius: var(--cita-radius, 0.5rem);
    --_gap: var(--cita-booking-form-gap, 1rem);
    display: block;
    max-inline-size: var(--cita-booking-form-max-width, 40rem);
    /* Reserved from the first paint (the skeleton), so loading the services moves nothing below. */
    min-block-size: var(--cita-booking-form-min-height, 18rem);
    color: var(--_text);
    background: var(--_surface);
    line-height: 1.45;
    /* Long names and addresses wrap anywhere rather than push the buttons off a phone's screen. */
    overflow-wrap: anywhere;
    color-scheme: light;
    /* Resolved here, after the theme rules below, for the nested consent checkboxes. */
    --_consent-accent: var(--_accent);
    --_consent-danger: var(--_danger);
  }
  /*
   * The consent checkboxes inside follow this form's palette (its dark theme, its accent hook)
   * through the global tokens, so a site's own --cita-consent-* hooks still win.
   */
  cita-consent-checkbox {
    --cita-color-accent: var(--_consent-accent);
    --cita-color-danger: var(--_consent-danger);
  }
  /*
   * Dark palette: on theme="dark", on a page that declares a dark colour scheme (the element
   * sets :state(page-dark)), or on theme="auto" for a visitor who prefers dark. The dark colours
   * derive from the brand's light tokens, so a site that sets only --cita-color-accent stays
   * on-brand in dark; the -dark tokens still override each one.
   */
  :host([theme='auto']) {
    color-scheme: light dark;
  }
  :host([theme='dark']),
  :host(:state(page-dark):not([theme])) {
    color-scheme: dark;
    --_accent: var(
      --cita-booking-form-accent,
      var(--cita-color-accent-dark, color-mix(in oklab, var(--cita-color-accent, #1d4ed8) 45%, white))
    );
    --_on-accent: var(
      --cita-color-on-accent-dark,
      color-mix(in oklab, var(--cita-color-accent, #1d4ed8) 25%, #05070c)
    );
    --_danger: var(--cita-color-danger-dark, #fca5a5);
    --_surface: var(--cita-color-surface-dark, #15171c);
    --_text: var(--cita-color-text-dark, #eceef2);
    --_pad: 1rem;
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      color-scheme: dark;
      --_accent: var(
        --cita-booking-form-accent,
        var(--cita-color-accent-dark, color-mix(in oklab, var(--cita-color-accent, #1d4ed8) 45%, white))
      );
      --_on-accent: var(
        --cita-color-on-accent-dark,
        color-mix(in oklab, var(--cita-color-accent, #1d4ed8) 25%, #05070c)
      );
      --_danger: var(--cita-color-danger-dark, #fca5a5);
      --_surface: var(--cita-color-surface-dark, #15171c);
      --_text: var(--cita-color-text-dark, #eceef2);
      --_pad: 1rem;
    }
  }
  .base {
    display: grid;
    gap: var(--_gap);
    /* A coloured surface (the dark palette, a branded one) gets room around the content. */
    padding: var(--cita-booking-form-padding, var(--_pad, 0));
    container-type: inline-size;
  }
  h2 {
    margin: 0;
    font-size: 1.25em;
  }
  h2:focus {
    outline: none;
  }
  h2:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  h3 {
    margin: 0;
    font-size: 1.05em;
  }
  h4 {
    margin: 0 0 0.25rem;
    font-size: 0.9em;
    color: var(--_muted);
    font-weight: 600;
  }
  .step {
    display: grid;
    gap: var(--_gap);
  }
  .progress {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
    margin: 0;
    padding: 0;
    list-style: none;
    font-size: 0.85em;
    color: var(--_muted);
    counter-reset: step;
  }
  .progress li {
    counter-increment: step;
  }
  .progress li::before {
    content: counter(step) '. ';
  }
  .progress .current {
    color: var(--_text);
    font-weight: 700;
  }
  button,
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.375rem;
    min-block-size: 2.5rem;
    min-inline-size: 24px;
    padding: 0.375rem 1rem;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    background: transparent;
    color: inherit;
    font: inherit;
    text-decoration: none;
    cursor: pointer;
  }
  button:hover,
  .button:hover {
    border-color: var(--_accent);
  }
  button:focus-visible,
  .button:focus-visible,
  input:focus-visible,
  textarea:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  button[disabled] {
    cursor: not-allowed;
    opacity: 0.55;
  }
  .primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
    font-weight: 600;
  }
  .link {
    min-block-size: 24px;
    padding: 0 0.25rem;
    border: 0;
    color: var(--_accent);
    text-decoration: underline;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    justify-content: space-between;
  }
  .message {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
    padding: 0.625rem 0.875rem;
    border-radius: var(--_radius);
    border: 1px solid var(--_line);
  }
  .message.error {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  .services {
    display: grid;
    gap: 0.5rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .service {
    inline-size: 100%;
    justify-content: space-between;
    flex-wrap: wrap;
    text-align: start;
    padding: 0.75rem 1rem;
  }
  .service-name {
    font-weight: 600;
  }
  .service-meta,
  .zone-note,
  .hint {
    color: var(--_muted);
    font-size: 0.875em;
  }
  .zone-note {
    margin: 0;
  }
  .service-description {
    padding: 0.25rem 1rem 0;
    font-size: 0.875em;
    color: var(--_muted);
  }
  .service-description :first-child {
    margin-block-start: 0;
  }
  .service-description :last-child {
    margin-block-end: 0;
  }
  .chosen {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    margin: 0;
    font-weight: 600;
  }
  .staff {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
    margin: 0;
    padding: 0;
    border: 0;
  }
  .staff legend {
    padding: 0;
    font-weight: 600;
  }
  .staff label {
    display: flex;
    gap: 0.375rem;
    align-items: center;
    min-block-size: 2.5rem;
  }
  .staff img {
    border-radius: 50%;
    object-fit: cover;
  }
  .calendar-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
  }
  .calendar-head h3::first-letter {
    text-transform: uppercase;
  }
  .nav {
    min-inline-size: 2.5rem;
    padding: 0;
    font-size: 1.25em;
  }
  .calendar {
    inline-size: 100%;
    border-collapse: collapse;
    table-layout: fixed;
    text-align: center;
  }
  .calendar th {
    padding-block-end: 0.25rem;
    font-size: 0.75em;
    font-weight: 600;
    color: var(--_muted);
    text-transform: uppercase;
  }
  .calendar td {
    padding: 2px;
  }
  .day {
    inline-size: 100%;
    min-block-size: 2.5rem;
    padding: 0;
    border-color: transparent;
    color: var(--_muted);
    cursor: default;
  }
  .day.available {
    border-color: var(--_line);
    background: var(--_soft);
    color: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  .day.today {
    text-decoration: underline;
  }
  .day.selected {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  .slots {
    display: grid;
    gap: 0.75rem;
  }
  .pick,
  .month {
    display: grid;
    gap: var(--_gap);
    align-items: start;
  }
  /* Wide enough: the times sit beside the month instead of below it. */
  @container (min-width: 36rem) {
    .pick {
      grid-template-columns: minmax(0, 1.15fr) minmax(0, 1fr);
    }
  }
  .slot-group ul {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(6.5rem, 1fr));
    gap: 0.375rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .slot {
    inline-size: 100%;
    white-space: nowrap;
  }
  .slot[aria-pressed='true'] {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  .empty {
    display: grid;
    gap: 0.5rem;
    justify-items: start;
    margin: 0;
    color: var(--_muted);
  }
  .empty p {
    margin: 0;
  }
  form {
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
  input,
  textarea {
    min-block-size: 2.5rem;
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
  .field-error {
    /* The line is always there, so an error appearing on blur moves nothing under the pointer. */
    min-block-size: 1.45em;
    color: var(--_danger);
    font-size: 0.875em;
  }
  .hp {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
  fieldset {
    display: grid;
    gap: 0.75rem;
    margin: 0;
    padding: 0;
    border: 0;
  }
  legend {
    padding: 0;
    margin-block-end: 0.5rem;
    font-weight: 600;
  }
  .policy-list {
    margin: 0.25rem 0 0;
    padding-inline-start: 1.25rem;
  }
  summary {
    cursor: pointer;
  }
  .summary {
    display: grid;
    grid-template-columns: max-content minmax(0, 1fr);
    gap: 0.375rem 1rem;
    margin: 0;
  }
  .summary dt {
    color: var(--_muted);
  }
  .summary dd {
    margin: 0;
    min-inline-size: 0;
  }
  /* On a phone the summary stacks: each label above its value. */
  @container (max-width: 26rem) {
    .summary {
      grid-template-columns: minmax(0, 1fr);
      gap: 0 1rem;
    }
    .summary dd + dt {
      margin-block-start: 0.5rem;
    }
  }
  .contact {
    display: grid;
    gap: 0.125rem;
    justify-items: start;
  }
  .contact a {
    color: var(--_accent);
  }
  .reference {
    font-family: ui-monospace, monospace;
    font-weight: 700;
    letter-spacing: 0.05em;
  }
  .confirmation {
    display: grid;
    gap: var(--_gap);
  }
  .confirmation p {
    margin: 0;
  }
  .skeleton {
    display: grid;
    gap: 0.5rem;
  }
  .skeleton span {
    display: block;
    block-size: 2.75rem;
    border-radius: var(--_radius);
    background: var(--_line);
    opacity: 0.6;
  }
  @media (prefers-reduced-motion: no-preference) {
    .skeleton span {
      animation: pulse 1.2s ease-in-out infinite alternate;
    }
  }
  @keyframes pulse {
    to {
      opacity: 0.25;
    }
  }
  .sr-only {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (forced-colors: active) {
    .day.available,
    .primary,
    .slot[aria-pressed='true'],
    .day.selected {
      forced-color-adjust: none;
      background: ButtonFace;
      color: ButtonText;
      border-color: ButtonText;
    }
    .day.selected,
    .slot[aria-pressed='true'],
    .primary {
      background: Highlight;
      color: HighlightText;
    }
  }
`;
