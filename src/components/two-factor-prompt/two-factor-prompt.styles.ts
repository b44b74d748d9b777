import { css } from 'lit';

/** The prompt's own blocks; fields, buttons and the palette come from the account's styles. */
export const promptStyles = css`
  :host {
    display: block;
  }
  .heading {
    margin: 0;
    font-weight: 700;
    line-height: 1.25;
    font-size: 1.2em;
  }
  .heading[aria-level='3'] {
    font-size: 1.05em;
  }
  .heading[aria-level='4'],
  .heading[aria-level='5'],
  .heading[aria-level='6'] {
    font-size: 1em;
  }
  .choices {
    display: grid;
    gap: 0.75rem;
    grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
  }
  .choice {
    display: grid;
    gap: 0.25rem;
    text-align: start;
    padding: 0.85rem 1rem;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    background: transparent;
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  .choice:hover {
    border-color: var(--_accent);
  }
  .choice strong {
    color: var(--_accent);
  }
  [part~='qr'] {
    display: block;
    inline-size: min(14rem, 100%);
    block-size: auto;
    aspect-ratio: 1;
    background: #ffffff;
    border-radius: calc(var(--_radius) / 2);
    /* Dark modules stay black on white in every scheme: cameras read that best. */
    color-scheme: light;
  }
  [part~='qr'] path {
    fill: #000000;
  }
  [part~='secret'],
  [part~='codes'] {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    letter-spacing: 0.06em;
    overflow-wrap: anywhere;
  }
  [part~='codes'] {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr));
    gap: 0.35rem 1.25rem;
    margin: 0;
    padding: 0.85rem 1rem 0.85rem 2.25rem;
    border: 1px dashed var(--_line);
    border-radius: var(--_radius);
    font-size: 1.05em;
  }
  ol.steps {
    margin: 0;
    padding-inline-start: 1.25rem;
    display: grid;
    gap: 0.35rem;
  }
  ul.factors {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.6rem;
  }
  ul.factors > li {
    display: grid;
    gap: 0.35rem;
    padding: 0.7rem 0.85rem;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
  }
  input.code {
    font-size: 1.35em;
    letter-spacing: 0.3em;
    max-inline-size: 12ch;
    font-variant-numeric: tabular-nums;
  }
  input.recovery {
    letter-spacing: 0.08em;
    max-inline-size: 16ch;
  }
`;
