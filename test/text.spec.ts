/**
 * The shared text normaliser (src/core/text.ts) and the contract's `text()` schema built on it.
 * Properties are checked over the Big List of Naughty Strings (test/fixtures/blns.json) and over
 * seeded random strings drawn from the characters that cause trouble (controls, bidi, surrogates,
 * combining marks, exotic white space and line breaks, emoji).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { text } from '../src/api/contract.ts';
import { codePointLength, normalizeText } from '../src/core/text.ts';

const blns = JSON.parse(readFileSync(new URL('./fixtures/blns.json', import.meta.url), 'utf8')) as string[];

/** mulberry32: a tiny seeded PRNG, so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TROUBLE = [
  ...'aeAZ09 -.,@',
  ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)), // C0
  '\u007F',
  '\u0080',
  '\u0085',
  '\u009B',
  '\u009F', // DEL, C1, NEL
  '\u00A0',
  '\u1680',
  '\u2000',
  '\u2009',
  '\u200A',
  '\u202F',
  '\u205F',
  '\u3000', // spaces
  '\u200B',
  '\u200C',
  '\u200D',
  '\u2060',
  '\uFEFF', // zero-width, BOM
  '\u200E',
  '\u200F',
  '\u061C',
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069', // bidi
  '\u2028',
  '\u2029',
  '\r\n',
  '\r', // line breaks
  '\u0301',
  '\u0308',
  '\u0327',
  '\u0323',
  '\u093C',
  '\u0958',
  '\u1100',
  '\u1161',
  '\u11A8',
  '\u00C5',
  '\u212B',
  '\u1E9B', // combining, Hangul jamo, NFC edge cases
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF', // lone surrogates
  '\u{1F600}',
  '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}',
  '\u{1F1EA}\u{1F1F8}',
  '\u{E0041}', // emoji, flags, tags
  'ñ',
  'ß',
  'İ',
  'ﬁ',
  '日本',
  'عربي',
  'עברית',
];

function randomStrings(count: number, seed: number): string[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const length = Math.floor(next() * 24);
    let s = '';
    for (let i = 0; i < length; i++) s += TROUBLE[Math.floor(next() * TROUBLE.length)];
    return s;
  });
}

const CORPUS = [...blns, ...randomStrings(5000, 20260301)];
const BIDI_OR_BOM = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\uFEFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('normalizeText: properties over the BLNS and random trouble strings', () => {
  it('the corpus is loaded', () => {
    expect(blns.length).toBeGreaterThan(400);
  });

  for (const multiline of [false, true]) {
    describe(multiline ? 'multi-line' : 'single-line', () => {
      const out = CORPUS.map((s) => normalizeText(s, { multiline }));
      const failures = (check: (o: string, i: number) => boolean) =>
        CORPUS.filter((_, i) => !check(out[i]!, i)).map((s) => JSON.stringify(s));

      it('never throws', () => {
        for (const s of CORPUS) expect(() => normalizeText(s, { multiline })).not.toThrow();
      });
      it('is idempotent', () => {
        expect(failures((o) => normalizeText(o, { multiline }) === o)).toEqual([]);
      });
      it('is NFC', () => {
        expect(failures((o) => o === o.normalize('NFC'))).toEqual([]);
      });
      it(multiline ? 'has no C0/C1 control but \\n' : 'has no C0/C1 control', () => {
        const control = multiline
          ? /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/
          : /[\u0000-\u001F\u007F-\u009F]/;
        expect(failures((o) => !control.test(o))).toEqual([]);
      });
      it('has no bidi override, embedding, isolate, mark or BOM', () => {
        expect(failures((o) => !BIDI_OR_BOM.test(o))).toEqual([]);
      });
      it('has no lone surrogate', () => {
        expect(failures((o) => !LONE_SURROGATE.test(o))).toEqual([]);
      });
      it('is trimmed', () => {
        expect(failures((o) => o === o.trim())).toEqual([]);
      });
      if (multiline) {
        it('has only \\n line breaks, at most two in a row, and no trailing white space on a line', () => {
          expect(failures((o) => !/[\r\u2028\u2029]|\n{3}|[^\S\n]\n|\n[^\S\n]*\n[^\S\n]*\n/.test(o))).toEqual(
            [],
          );
        });
      } else {
        it('is one line with no run of white space', () => {
          expect(failures((o) => !/\n|\s{2}|[^\S ]/.test(o))).toEqual([]);
        });
      }
    });
  }
});

describe('normalizeText: examples', () => {
  it('composes: decomposed é equals composed é', () => {
    expect(normalizeText('Jose\u0301')).toBe('Jos\u00E9');
    expect(normalizeText('Jose\u0301')).toBe(normalizeText('Jos\u00E9'));
    expect(normalizeText('\u212B')).toBe('\u00C5'); // ANGSTROM SIGN -> Å
  });

  it('composes across a stripped character', () => {
    expect(normalizeText('e\u202E\u0301')).toBe('\u00E9');
    expect(normalizeText('e\u0000\u0301')).toBe('\u00E9');
  });

  it('strips bidi overrides: "Ana\\u202Egnp.exe" cannot pose as "Anaexe.png"', () => {
    expect(normalizeText('Ana\u202Egnp.exe')).toBe('Anagnp.exe');
    expect(normalizeText('\u2067abc\u2069 \u200Fx\u200E')).toBe('abc x');
  });

  it('turns CRLF, CR, NEL, LS and PS into LF in multi-line text', () => {
    expect(normalizeText('a\r\nb\rc\u0085d\u2028e\u2029f', { multiline: true })).toBe('a\nb\nc\nd\ne\nf');
  });

  it('collapses white space to one space on one line', () => {
    expect(normalizeText('  Ana \t  María\u00A0\u00A0López\n\r\nGarcía  ')).toBe('Ana María López García');
  });

  it('keeps paragraphs in multi-line text: at most one blank line, no trailing spaces', () => {
    expect(normalizeText('  line 1  \t \n\n\n\n   line 2\t\tend  \n', { multiline: true })).toBe(
      'line 1\n\n line 2 end',
    );
  });

  it('removes control characters and the BOM, and replaces lone surrogates', () => {
    expect(normalizeText('a\u0000b\u0007c\u001Bd\u007Fe\u009Ff')).toBe('abcdef');
    expect(normalizeText('\uFEFFhola')).toBe('hola');
    expect(normalizeText('a\uD800b\uDC00c')).toBe('a\uFFFDb\uFFFDc');
    expect(normalizeText('\u{1F600}')).toBe('\u{1F600}');
  });

  it('removes invisible characters that can hide or split text', () => {
    // Zero-width space, word joiner, soft hyphen, invisible times, combining grapheme joiner,
    // Hangul filler, Mongolian vowel separator, interlinear annotation.
    expect(normalizeText('A\u200Bna \u2060Ma\u00ADría\u2062 Lo\u034Fpez\u3164\u180E\uFFF9x')).toBe(
      'Ana María Lopezx',
    );
    // Joiners between Latin letters or alone: gone.
    expect(normalizeText('Ana\u200DMaria \u200Cx\u200D')).toBe('AnaMaria x');
    // Tag characters that are not a flag sequence (they can smuggle hidden ASCII text).
    expect(normalizeText('hi\u{E0068}\u{E0069}\u{E007F}')).toBe('hi');
  });

  it('keeps the joiners a script or an emoji needs', () => {
    // Persian: ZWNJ between letters ("می‌خواهم").
    expect(normalizeText('\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645')).toBe(
      '\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645',
    );
    // Devanagari: ZWJ after a virama.
    expect(normalizeText('\u0915\u094D\u200D\u0937')).toBe('\u0915\u094D\u200D\u0937');
    // Skin tone + ZWJ, and the flag of England (a tag sequence).
    const handshake = '\u{1F469}\u{1F3FD}\u200D\u{1F4BB}';
    expect(normalizeText(handshake)).toBe(handshake);
    const england = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}';
    expect(normalizeText(england)).toBe(england);
    for (const s of [handshake, england, 'A\u200B\u200Db'])
      expect(normalizeText(normalizeText(s))).toBe(normalizeText(s));
  });

  it('leaves joiners inside emoji alone', () => {
    const family = '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}';
    expect(normalizeText(family)).toBe(family);
  });
});

describe('codePointLength', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('')).toBe(0);
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength('\u{1F600}')).toBe(1);
    expect('\u{1F600}'.length).toBe(2);
    expect(codePointLength('Jos\u00E9')).toBe(4);
    expect(codePointLength('a\uD800')).toBe(2); // a lone surrogate is one code point
  });

  it('counts a ZWJ sequence by its code points (a grapheme can be several)', () => {
    expect(codePointLength('\u{1F469}\u200D\u{1F469}\u200D\u{1F467}')).toBe(5);
  });
});

describe("the contract's text() schema", () => {
  const issues = (schema: ReturnType<typeof text>, value: unknown) => {
    const result = schema.safeParse(value);
    return result.success ? [] : result.error.issues.map((issue) => issue.message);
  };

  it('normalises what it accepts', () => {
    expect(text({ max: 20 }).parse('  Ana\u202E   Lo\u0301pez ')).toBe('Ana L\u00F3pez');
    expect(text({ max: 20, multiline: true }).parse('a\r\n\r\n\r\nb')).toBe('a\n\nb');
    expect(text({ max: 20 }).parse('a\r\nb')).toBe('a b');
  });

  it('refuses a value that is too long, with a message', () => {
    expect(issues(text({ max: 3 }), 'abcd')).toEqual(['At most 3 characters']);
    expect(issues(text({ max: 100 }), 'x'.repeat(101))).toEqual(['At most 100 characters']);
  });

  it('counts an emoji as one character', () => {
    expect(text({ max: 3 }).parse('\u{1F600}\u{1F600}\u{1F600}')).toBe('\u{1F600}\u{1F600}\u{1F600}');
    expect(issues(text({ max: 3 }), '\u{1F600}'.repeat(4))).toEqual(['At most 3 characters']);
  });

  it('measures after normalising: decomposed input is not penalised, padding is not counted', () => {
    expect(text({ max: 1 }).parse('e\u0301')).toBe('\u00E9');
    expect(text({ max: 3 }).parse('   abc   ')).toBe('abc');
  });

  it('refuses what normalises to nothing, and enforces a minimum', () => {
    expect(issues(text({ max: 10 }), '   ')).toEqual(['Required']);
    expect(issues(text({ max: 10 }), '\u202E\u200F\u0000')).toEqual(['Required']);
    expect(issues(text({ min: 2, max: 10 }), 'a')).toEqual(['At least 2 characters']);
    expect(issues(text({ max: 10 }), 42)).toHaveLength(1);
  });

  it('accepts every BLNS string that fits, and returns it normalised', () => {
    const schema = text({ max: 1000, multiline: true });
    for (const s of blns) {
      const result = schema.safeParse(s);
      const normal = normalizeText(s, { multiline: true });
      if (normal === '') expect(result.success).toBe(false);
      else expect(result.success && result.data).toBe(normal);
    }
  });
});
