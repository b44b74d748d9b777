/** Layout checks shared by the booking form's browser tests. */

/** Every box inside the element (its shadow tree and nested ones) that sticks out sideways. */
export function overflowing(el: HTMLElement): string[] {
  const host = el.getBoundingClientRect();
  const out: string[] = [];
  const walk = (root: ParentNode) => {
    for (const node of root.querySelectorAll<HTMLElement>('*')) {
      const r = node.getBoundingClientRect();
      if (r.width && (r.right > host.right + 0.5 || r.left < host.left - 0.5))
        out.push(`${node.localName}.${node.className} (${Math.round(r.left)}..${Math.round(r.right)})`);
      if (node.shadowRoot) walk(node.shadowRoot);
    }
  };
  walk(el.shadowRoot!);
  return out;
}
