import { css } from 'lit';

/** `<cita-console-bookings>` on top of the account styles (the console's shared look). */
export const bookingsStyles = css`
  :host {
    display: block;
    container-type: inline-size;
    --_badge-confirmed: var(--cita-console-bookings-confirmed, var(--_accent));
    --_badge-attended: var(--cita-console-bookings-attended, #15803d);
    --_badge-no-show: var(--cita-console-bookings-no-show, #b45309);
    --_badge-cancelled: var(--cita-console-bookings-cancelled, var(--_muted));
    /* The dialog sits on the top layer, not on the page: it needs a background of its own. */
    --_dialog: var(--cita-color-surface, #ffffff);
  }
  :host([theme='dark']) {
    --_dialog: var(--cita-color-surface-dark, #15171c);
    --_badge-attended: var(--cita-console-bookings-attended, #86efac);
    --_badge-no-show: var(--cita-console-bookings-no-show, #fcd34d);
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      --_dialog: var(--cita-color-surface-dark, #15171c);
      --_badge-attended: var(--cita-console-bookings-attended, #86efac);
      --_badge-no-show: var(--cita-console-bookings-no-show, #fcd34d);
    }
  }
  [part~='toolbar'] {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 0.5rem 1rem;
  }
  [part~='views'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    margin: 0;
    padding: 0;
    border: 0;
  }
  [part~='views'] button[aria-pressed='true'] {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  [part~='range'] {
    font-weight: 600;
  }
  select,
  input[type='search'] {
    min-block-size: 2.75rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    background: transparent;
    color: inherit;
    font: inherit;
  }
  select option {
    background: var(--_surface);
    color: var(--_text);
  }
  form[part~='search'] {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 0.5rem;
  }
  form[part~='search'] .field {
    flex: 1 1 14rem;
  }
  table {
    inline-size: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    padding: 0.5rem;
    border-block-end: 1px solid var(--_line);
    text-align: start;
    vertical-align: top;
  }
  thead th {
    font-size: 0.9em;
    color: var(--_muted);
  }
  .badge {
    display: inline-block;
    padding: 0 0.5rem;
    border: 1px solid currentColor;
    border-radius: 999px;
    font-size: 0.85em;
    white-space: nowrap;
  }
  .badge.confirmed,
  .badge.held {
    color: var(--_badge-confirmed);
  }
  .badge.attended {
    color: var(--_badge-attended);
  }
  .badge.no_show {
    color: var(--_badge-no-show);
  }
  .badge.cancelled {
    color: var(--_badge-cancelled);
    text-decoration: line-through;
  }
  .ref {
    white-space: nowrap;
  }
  [hidden] {
    display: none !important;
  }
  .who,
  .hash {
    overflow-wrap: anywhere;
  }
  .hash {
    font-size: 0.8em;
  }
  .scroll {
    overflow-x: auto;
  }
  /* Narrow: each row becomes a card, its cells labelled. */
  @container (max-width: 40rem) {
    [part~='table'] thead {
      position: absolute;
      inline-size: 1px;
      block-size: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
    [part~='table'],
    [part~='table'] tbody,
    [part~='table'] tr,
    [part~='table'] td,
    [part~='table'] th {
      display: block;
    }
    [part~='table'] tr {
      margin-block-end: 0.75rem;
      padding: 0.5rem 0.75rem;
      border: 1px solid var(--_line);
      border-radius: var(--_radius);
    }
    [part~='table'] td,
    [part~='table'] th {
      padding: 0.125rem 0;
      border: 0;
    }
    [part~='table'] td[data-label]::before {
      content: attr(data-label) ': ';
      color: var(--_muted);
    }
  }
  dialog {
    inline-size: min(48rem, calc(100vw - 1rem));
    max-block-size: calc(100vh - 2rem);
    padding: var(--_gap);
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    background: var(--_dialog);
    color: var(--_text);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.4);
  }
  .dialog-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 1rem;
  }
  .facts {
    display: grid;
    grid-template-columns: minmax(8rem, max-content) 1fr;
    gap: 0.25rem 1rem;
    margin: 0;
  }
  .facts dt {
    color: var(--_muted);
  }
  .facts dd {
    margin: 0;
  }
  @container (max-width: 30rem) {
    .facts {
      grid-template-columns: 1fr;
    }
    .facts dd {
      margin-block-end: 0.5rem;
    }
  }
  .panel {
    padding: 0.75rem 1rem;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
  }
  ul.invoices {
    display: grid;
    gap: 0.5rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .invoice {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 1rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
  }
  .invoice .title {
    font-weight: 600;
  }
  .invoice form {
    flex: 1 1 100%;
  }
  @media (prefers-reduced-motion: no-preference) {
    [aria-busy='true'] {
      transition: opacity 0.2s;
    }
  }
  [aria-busy='true'] {
    opacity: 0.6;
  }
`;
