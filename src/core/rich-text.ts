import { nothing } from 'lit';
import { until } from 'lit/directives/until.js';

type SanitizeModule = typeof import('./sanitize.js');
let sanitizer: Promise<SanitizeModule> | undefined;

/**
 * The sanitiser (DOMPurify) is the largest single part of Cita, and only rich text needs it, so
 * it is loaded in its own chunk on first use.
 */
export function loadSanitizer(): Promise<SanitizeModule> {
  return (sanitizer ??= import('./sanitize.js'));
}

/**
 * Rich text rendered for one element: each source is sanitised once into its own container
 * (a DOM node can only be in one place, so every element keeps its own cache).
 */
export class RichTextCache {
  private readonly nodes = new Map<string, Promise<HTMLElement | typeof nothing>>();

  /** A Lit value that shows the sanitised text as soon as the sanitiser has loaded. */
  render(source: string): unknown {
    let node = this.nodes.get(source);
    if (!node) {
      node = loadSanitizer().then(
        ({ sanitizeToFragment }) => {
          const div = document.createElement('div');
          div.className = 'rich-text';
          div.append(sanitizeToFragment(source));
          return div;
        },
        () => nothing,
      );
      this.nodes.set(source, node);
    }
    return until(
      node.catch(() => nothing),
      nothing,
    );
  }
}
