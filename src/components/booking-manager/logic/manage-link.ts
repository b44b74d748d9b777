/**
 * The manage link's fragment (`#cita-manage={id}.{token}`, possibly among other `&`-separated
 * fragment parameters): read it, and the same fragment without it, so the element can take the
 * token into memory and then drop it from the address bar and history (`history.replaceState`).
 */

const PARAM = /(^|&)cita-manage=([0-9a-f-]{36})\.([A-Za-z0-9_-]{32,128})(?=&|$)/;

/** The booking id and token in `hash` (`location.hash`, with or without `#`), if any. */
export function readManageFragment(hash: string): { id: string; token: string } | undefined {
  const m = PARAM.exec(hash.replace(/^#/, ''));
  return m ? { id: m[2]!, token: m[3]! } : undefined;
}

/** `hash` without the manage parameter: `''` when nothing else was there, else `#rest`. */
export function withoutManageFragment(hash: string): string {
  const rest = hash
    .replace(/^#/, '')
    .split('&')
    .filter((p) => p !== '' && !p.startsWith('cita-manage='))
    .join('&');
  return rest ? `#${rest}` : '';
}
