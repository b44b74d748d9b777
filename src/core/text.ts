/**
 * Text normalising shared by the browser and the server (the contract's string schemas call it),
 * so both sides apply exactly the same rules to everything a person types.
 *
 * - Unicode NFC, so "é" typed two ways compares equal and hashes the same;
 * - lone surrogates replaced with U+FFFD (they cannot be encoded as UTF-8 and break databases);
 * - C0/C1 control characters removed;
 * - bidirectional formatting characters removed (U+202A–U+202E overrides and embeddings,
 *   U+2066–U+2069 isolates, U+200E/U+200F/U+061C marks): they can make a name or a reference
 *   display as something else ("Trojan Source"-style spoofing);
 * - zero-width no-break space (BOM) removed;
 * - invisible characters that can hide or split text removed: zero-width space, word joiner,
 *   soft hyphen, invisible operators, the combining grapheme joiner, Hangul and Khmer fillers,
 *   interlinear annotation marks, tag characters (kept only in an emoji flag tag sequence) and
 *   the zero-width joiner/non-joiner (kept only where emoji or a cursive script need them: a
 *   ZWJ between emoji, a ZWJ or ZWNJ between two non-Latin letters, as in Persian or Hindi);
 * - single-line text has every run of white space collapsed to one space; multi-line text keeps
 *   line breaks (normalised to "\n", at most two in a row), collapses other white space
 *   runs (tabs included) to one space and trims each line's end;
 * - leading and trailing white space trimmed.
 *
 * Length caps are applied by the schemas after normalising (see `text()` in the contract).
 */

export interface NormalizeOptions {
  /** Keep line breaks. Default false: one line. */
  multiline?: boolean;
}

// C0 controls except TAB (09) and LF (0A), DEL, C1 controls.
const CONTROL_EXCEPT_TAB_LF = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// Bidi embeddings/overrides/isolates/marks and the BOM.
const BIDI_AND_BOM = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\uFEFF]/g;
// Always invisible, never needed in a name or a note.
const INVISIBLE =
  /[\u00AD\u034F\u115F\u1160\u17B4\u17B5\u180E\u200B\u2060-\u2064\u206A-\u206F\u3164\uFFA0\uFFF9-\uFFFB]/g;
// Joiners (ZWNJ, ZWJ) and tag characters: kept only in context, see `keepJoiner` and `TAG_RUN`.
const JOINER = /[\u200C\u200D]/g;
const EMOJI_BEFORE = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]$/u;
const EMOJI_AFTER = /^\p{Extended_Pictographic}/u;
const CURSIVE_BEFORE = /(?!\p{Script=Latin})[\p{L}\p{M}]$/u;
const CURSIVE_AFTER = /^(?!\p{Script=Latin})\p{L}/u;
// A run of tag characters, with what precedes it: kept only after U+1F3F4 (waving black flag)
// and ended by the cancel tag, as subdivision flags are written.
const TAG_RUN = /(\u{1F3F4}?)([\u{E0000}-\u{E007F}]+)/gu;
const LINE_BREAKS = /\r\n?|[\u0085\u2028\u2029]/g;
const ANY_SPACE_RUN = /\s+/g;
const INLINE_SPACE_RUN = /[^\S\n]+/g;

function wellFormed(value: string): string {
  // String.prototype.toWellFormed is ES2024 (Node 20, Chromium 111+); fall back to a regex.
  const s = value as string & { toWellFormed?: () => string };
  return typeof s.toWellFormed === 'function'
    ? s.toWellFormed()
    : value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function keepJoiner(joiner: string, offset: number, whole: string): string {
  const before = whole.slice(Math.max(0, offset - 2), offset);
  const after = whole.slice(offset + 1, offset + 3);
  if (joiner === '\u200D' && EMOJI_BEFORE.test(before) && EMOJI_AFTER.test(after)) return joiner;
  return CURSIVE_BEFORE.test(before) && CURSIVE_AFTER.test(after) ? joiner : '';
}

/** Normalise untrusted text. Pure and idempotent: `normalizeText(normalizeText(x)) === normalizeText(x)`. */
export function normalizeText(value: string, options: NormalizeOptions = {}): string {
  // Strip first, compose after: removing a character can bring a base letter and a combining
  // mark together, and NFC must see them side by side for the result to be idempotent.
  const s = wellFormed(value)
    .replace(LINE_BREAKS, '\n')
    .replace(CONTROL_EXCEPT_TAB_LF, '')
    .replace(BIDI_AND_BOM, '')
    .replace(INVISIBLE, '')
    .replace(TAG_RUN, (run: string, flag: string, tags: string) =>
      flag && /^[\u{E0020}-\u{E007E}]+\u{E007F}$/u.test(tags) ? run : flag,
    )
    .replace(JOINER, keepJoiner)
    .normalize('NFC');
  if (!options.multiline) return s.replace(ANY_SPACE_RUN, ' ').trim();
  return s
    .split('\n')
    .map((line) => line.replace(INLINE_SPACE_RUN, ' ').trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Length in user-perceived code points (what a "100 characters" limit means to a person). */
export function codePointLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}
