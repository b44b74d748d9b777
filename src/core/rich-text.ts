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
 * Rich text rendered for one element: each source gets its own container, returned at once
 * (Lit inserts the node) and filled with the sanitised fragment as soon as the sanitiser has
 * loaded. A DOM node can only be in one place, so every element keeps its own cache. Text the
 * sanitiser refuses (too long) leaves the container empty.
 */
export class RichTextCache {
  private readonly nodes = new Map<string, HTMLElement>();

  render(source: string): HTMLElement {
    let node = this.nodes.get(source);
    if (!node) {
      const div = (node = document.createElement('div'));
      div.className = 'rich-text';
      loadSanitizer()
        .then(({ sanitizeToFragment }) => div.append(sanitizeToFragment(source)))
        .catch((err: unknown) => console.error('[cita] rich text not shown:', err));
      this.nodes.set(source, node);
    }
    return node;
  }
}
