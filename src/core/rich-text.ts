type SanitizeModule = typeof import('./sanitize.js');
let sanitizer: Promise<SanitizeModule> | undefined;
let loaded: SanitizeModule | undefined;

/**
 * The sanitiser (DOMPurify) is the largest single part of Cita, and only rich text needs it, so
 * it is loaded in its own chunk on first use.
 */
export function loadSanitizer(): Promise<SanitizeModule> {
  return (sanitizer ??= import('./sanitize.js').then((m) => (loaded = m)));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/**
 * The text of rich text without its markup, for the moment before the sanitiser arrives: tags
 * dropped, block ends turned into spaces, common entities decoded. No HTML parser is involved
 * (DOMParser is a Trusted Types sink), and the result is only ever set as text, so nothing in
 * the source can become markup this way.
 */
export function plainText(source: string): string {
  return source
    .replace(/<(?:script|style|template)\b[\s\S]*?<\/(?:script|style|template)\s*>/gi, '')
    .replace(/<\/?(?:p|br|li|ul|ol|h[1-6])\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>?/g, '')
    .replace(
      /&(?:#(\d{1,7})|#x([\da-f]{1,6})|([a-z]+));/gi,
      (m, dec?: string, hex?: string, name?: string) => {
        const code = dec ? Number(dec) : hex ? parseInt(hex, 16) : undefined;
        if (code !== undefined) return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
        return ENTITIES[name!.toLowerCase()] ?? m;
      },
    )
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Rich text rendered for one element: each source gets its own container, returned at once
 * (Lit inserts the node). It shows the plain text first and is filled with the sanitised
 * fragment when the sanitiser has loaded, so the sanitiser is never on the first view's
 * critical path (a service list with rich descriptions is usable before it arrives). A DOM node
 * can only be in one place, so every element keeps its own cache. Text the sanitiser refuses
 * (too long) leaves the container empty.
 */
export class RichTextCache {
  private readonly nodes = new Map<string, HTMLElement>();

  render(source: string): HTMLElement {
    let node = this.nodes.get(source);
    if (!node) {
      const div = (node = document.createElement('div'));
      div.className = 'rich-text';
      const fill = ({ sanitizeToFragment }: SanitizeModule) =>
        div.replaceChildren(sanitizeToFragment(source));
      if (loaded) fill(loaded);
      else {
        div.textContent = plainText(source);
        loadSanitizer()
          .then(fill)
          .catch((err: unknown) => {
            div.replaceChildren();
            console.error('[cita] rich text not shown:', err);
          });
      }
      this.nodes.set(source, node);
    }
    return node;
  }
}
