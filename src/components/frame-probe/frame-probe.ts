import { css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { CitaElement } from '../../core/cita-element.js';

/**
 * @summary Runs inside an isolated frame (`/frame/{business}/probe`) and shows that the frame loads, connects and takes the theme: a diagnostic for site owners and the frame tier's own tests. It shows no data.
 * @tag cita-frame-probe
 *
 * @csspart base - The box.
 *
 * @cssproperty --cita-color-accent - Border colour.
 * @cssproperty --cita-frame-probe-block-size - Height of the box (the frame sizes itself to it).
 */
export class CitaFrameProbe extends CitaElement {
  static override styles = [
    CitaElement.styles,
    css`
      :host {
        display: block;
      }
      [part='base'] {
        display: grid;
        place-items: center;
        block-size: var(--cita-frame-probe-block-size, 6rem);
        border: 2px solid var(--cita-color-accent, #1d4ed8);
        border-radius: var(--cita-radius, 0.5rem);
      }
    `,
  ];

  /** Colour scheme: `light`, `dark`, or `auto`. */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';

  protected override render() {
    return html`<div part="base">${this.i18n.t.frameProbeConnected}</div>`;
  }
}
