import { css } from 'lit';

export const styles = css`
  :host {
    --_accent: var(--cita-consent-accent, var(--cita-color-accent, #1d4ed8));
    --_danger: var(--cita-consent-danger, var(--cita-color-danger, #b91c1c));
    --_muted: var(
      --cita-consent-muted,
      var(--cita-color-muted, color-mix(in srgb, currentColor 70%, transparent))
    );
    --_size: var(--cita-consent-size, 1.25rem);
    --_radius: var(--cita-radius, 0.375rem);
    display: block;
    line-height: 1.4;
  }
  [part='base'] {
    display: grid;
    gap: 0.25rem;
  }
  label {
    display: flex;
    align-items: flex-start;
    gap: 0.625rem;
    min-block-size: 24px;
    cursor: pointer;
  }
  [part='control'] {
    flex: none;
    inline-size: var(--_size);
    block-size: var(--_size);
    min-inline-size: 20px;
    margin: 0.1em 0 0;
    accent-color: var(--_accent);
    cursor: inherit;
  }
  [part='control']:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  :host(:state(disabled)) label {
    cursor: not-allowed;
    opacity: 0.6;
  }
  [part='hint'],
  [part='error'],
  [part='toggle'],
  [part='link'] {
    margin-inline-start: calc(var(--_size) + 0.625rem);
    font-size: 0.875em;
  }
  [part='hint'] {
    color: var(--_muted);
  }
  [part='hint']:empty,
  [part='error']:empty {
    display: none;
  }
  [part='error'] {
    color: var(--_danger);
  }
  :host(:state(user-invalid)) [part='control'] {
    outline: 2px solid var(--_danger);
    outline-offset: 1px;
  }
  [part='toggle'] {
    justify-self: start;
    min-block-size: 24px;
    padding: 0.125rem 0;
    border: 0;
    background: none;
    color: var(--_accent);
    font: inherit;
    font-size: 0.875em;
    text-decoration: underline;
    cursor: pointer;
  }
  [part='link'] {
    color: var(--_accent);
    min-block-size: 24px;
    display: inline-block;
  }
  [part='toggle']:focus-visible,
  [part='link']:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  [part='text'] {
    margin-inline-start: calc(var(--_size) + 0.625rem);
    max-block-size: var(--cita-consent-text-max-height, 16rem);
    overflow: auto;
    padding: 0.5rem 0.75rem;
    border: 1px solid color-mix(in srgb, currentColor 25%, transparent);
    border-radius: var(--_radius);
    font-size: 0.875em;
  }
  [part='text'][hidden] {
    display: none;
  }
  [part='text'] :first-child {
    margin-block-start: 0;
  }
  [part='text'] :last-child {
    margin-block-end: 0;
  }
  [part='text'] a {
    color: var(--_accent);
  }
  @media (forced-colors: active) {
    [part='control'] {
      accent-color: auto;
    }
    :host(:state(user-invalid)) [part='control'] {
      outline-color: Mark;
    }
  }
`;
