/**
 * The sanitising core in real Chromium: `sanitizeToFragment`, `safeUrl` and the Trusted Types
 * policies, against public XSS corpora, a host page's own DOMPurify, and pages that enforce
 * Trusted Types (each its own srcdoc frame with a `<meta>` CSP, so the enforcement is real and the
 * module state is fresh).
 *
 * "Nothing runs" is measured, not assumed: every payload's output is attached to a live document,
 * the test waits for frames and a timer, and `window.__xss` (which payloads increment, directly or
 * through the stubbed alert/confirm/prompt/print/open) must still be 0. A control proves the
 * harness notices a payload that does run.
 */
import { expect } from '@open-wc/testing';
import DOMPurify from 'dompurify';
import { MAX_RICH_TEXT_LENGTH, RICH_TEXT_ELEMENTS, sanitizeToFragment } from '../src/core/sanitize.js';
import { CITA_POLICY_NAMES, getPolicy } from '../src/core/trusted-types.js';
import { MAX_URL_LENGTH, safeUrl } from '../src/core/url.js';

declare global {
  interface Window {
    __xss: number;
  }
}

type CitaApi = typeof import('../src/core/sanitize.js') &
  typeof import('../src/core/url.js') &
  typeof import('../src/core/trusted-types.js');

interface CitaFrame extends Window {
  Element: typeof Element;
  cita: CitaApi;
  violations: string[];
  policiesCreated: string[];
  warnings: string[];
}

const HTML_NS = 'http://www.w3.org/1999/xhtml';
const ALLOWED = new Set<string>(RICH_TEXT_ELEMENTS);
const FORBIDDEN = [
  'script',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'style',
  'form',
  'img',
  'input',
  'link',
  'meta',
  'base',
  'template',
];

/* ------------------------------------------------------------------------------------------------
 * Corpora
 * --------------------------------------------------------------------------------------------- */

async function fixture(name: string): Promise<string> {
  const response = await fetch(new URL(`./fixtures/${name}`, import.meta.url));
  if (!response.ok) throw new Error(`fixture ${name}: HTTP ${response.status}`);
  return response.text();
}

/** `xss-payloads.txt`: one JSON string literal per line, `#` comments. */
function parsePayloads(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => JSON.parse(line) as string);
}

/** One vector per event-handler attribute Chromium knows, on the elements most likely to fire it. */
function eventHandlerPayloads(): string[] {
  const names = new Set<string>();
  const samples: object[] = [
    window,
    document,
    document.createElement('video'),
    document.createElement('body'),
    document.createElement('details'),
    document.createElementNS('http://www.w3.org/2000/svg', 'animate'),
  ];
  for (const sample of samples) {
    for (const key in sample) if (/^on[a-z]+$/.test(key)) names.add(key);
  }
  expect(names.size, 'Chromium exposes event handlers').to.be.greaterThan(80);
  return [...names].flatMap((on) => [
    `<p ${on}=__xss++>p</p>`,
    `<a href="https://example.com/" ${on}=__xss++>a</a>`,
    `<img src=x ${on}=__xss++>`,
    `<svg ${on}=__xss++><animate ${on}=__xss++ attributeName=x dur=1s /></svg>`,
    `<details open ${on}=__xss++><summary>s</summary></details>`,
    `<body ${on}=__xss++>`,
    `<input autofocus ${on}=__xss++>`,
    `<video src=x ${on}=__xss++></video>`,
  ]);
}

/* ------------------------------------------------------------------------------------------------
 * Invariants and the "nothing ran" harness
 * --------------------------------------------------------------------------------------------- */

/** Everything in `root` that breaks the allowlist. Realm-agnostic (works on frame nodes too). */
function problemsIn(root: Node, label: string, check: (href: string) => boolean = isSafeHref): string[] {
  const problems: string[] = [];
  const doc = root.ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root, 0xffffffff);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === 3) continue;
    if (node.nodeType !== 1) {
      problems.push(`${label}: node type ${node.nodeType}`);
      continue;
    }
    const el = node as Element;
    const name = el.localName;
    if (el.namespaceURI !== HTML_NS) problems.push(`${label}: <${name}> in ${el.namespaceURI}`);
    if (FORBIDDEN.includes(name)) problems.push(`${label}: forbidden <${name}>`);
    if (!ALLOWED.has(name)) problems.push(`${label}: <${name}> is not in the allowlist`);
    for (const attr of Array.from(el.attributes)) {
      if (/^on/i.test(attr.name)) problems.push(`${label}: <${name} ${attr.name}>`);
      const allowed = name === 'a' && ['href', 'target', 'rel'].includes(attr.name);
      if (!allowed) problems.push(`${label}: <${name}> kept attribute ${attr.name}`);
    }
    if (name === 'a') {
      if (el.getAttribute('rel') !== 'noopener noreferrer')
        problems.push(`${label}: <a> rel=${el.getAttribute('rel')}`);
      if (el.getAttribute('target') !== '_blank')
        problems.push(`${label}: <a> target=${el.getAttribute('target')}`);
      const href = el.getAttribute('href');
      if (href !== null && !check(href)) problems.push(`${label}: <a href="${href}">`);
    }
  }
  return problems;
}

function isSafeHref(href: string): boolean {
  return /^(?:https:\/\/[^/]|mailto:[^/])/.test(href) && safeUrl(href) === href;
}

function serialize(fragment: DocumentFragment): string {
  const holder = document.createElement('div');
  holder.append(fragment.cloneNode(true));
  return holder.innerHTML;
}

/** Long enough for error/load events of anything that slipped through (see the control test). */
async function settle(win: Window = window): Promise<void> {
  await new Promise((resolve) => win.requestAnimationFrame(() => win.requestAnimationFrame(resolve)));
  await new Promise((resolve) => win.setTimeout(resolve, 150));
}

const STUBBED = ['alert', 'confirm', 'prompt', 'print', 'open'] as const;

function installSentinel(win: Window): () => void {
  const w = win as unknown as Record<string, unknown>;
  const saved = STUBBED.map((name) => w[name]);
  win.__xss = 0;
  for (const name of STUBBED) {
    w[name] = () => {
      win.__xss++;
      return null;
    };
  }
  return () => STUBBED.forEach((name, i) => (w[name] = saved[i]));
}

/** Sanitise every payload, check it, attach all of it to `win`'s live document, let it settle. */
async function pushThrough(
  win: Window,
  sanitize: (html: string) => DocumentFragment,
  payloads: readonly string[],
  label: string,
): Promise<string[]> {
  const problems: string[] = [];
  const container = win.document.createElement('div');
  win.document.body.append(container);
  payloads.forEach((payload, i) => {
    const fragment = sanitize(payload);
    problems.push(...problemsIn(fragment, `${label} #${i} ${JSON.stringify(payload).slice(0, 80)}`));
    container.append(fragment);
  });
  await settle(win);
  problems.push(...problemsIn(container, `${label} (attached)`));
  container.remove();
  return problems;
}

/* ------------------------------------------------------------------------------------------------
 * Pages that enforce Trusted Types: srcdoc frames with a <meta> CSP
 * --------------------------------------------------------------------------------------------- */

let frameCount = 0;

/**
 * A same-origin frame whose CSP is `csp`. `setup` runs (as a classic inline script) before Cita's
 * modules load; the frame records CSP violations, every `createPolicy` name, and console warnings.
 */
async function openFrame(csp: string, setup = ''): Promise<{ win: CitaFrame; iframe: HTMLIFrameElement }> {
  const id = `f${++frameCount}`;
  const ready = new Promise<CitaFrame>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`frame ${id} did not load`)), 8000);
    (window as unknown as Record<string, unknown>)[`__cita_${id}`] = (win: CitaFrame) => {
      clearTimeout(timer);
      resolve(win);
    };
  });
  const iframe = document.createElement('iframe');
  iframe.srcdoc = `<!doctype html>
<meta http-equiv="Content-Security-Policy" content="${csp}">
<script>
  window.violations = [];
  document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
  window.policiesCreated = [];
  if (window.trustedTypes) {
    const create = trustedTypes.createPolicy.bind(trustedTypes);
    trustedTypes.createPolicy = (name, rules) => { policiesCreated.push(name); return create(name, rules); };
  }
  window.warnings = [];
  const warn = console.warn.bind(console);
  console.warn = (...args) => { warnings.push(args.join(' ')); warn(...args); };
  ${setup}
</script>
<script type="module">
  const modules = await Promise.all([
    import('/src/core/sanitize.ts'), import('/src/core/url.ts'), import('/src/core/trusted-types.ts'),
  ]);
  window.cita = Object.assign({}, ...modules);
  parent.__cita_${id}(window);
</script>
<body></body>`;
  document.body.append(iframe);
  return { win: await ready, iframe };
}

/** Well-formed rich text a backend would send; every path must render it the same way. */
const SAMPLES = [
  '<h1>Terms</h1><p>Cancel up to <strong>24 hours</strong> before.</p>',
  '<ul><li><em>One</em></li><li><a href="https://example.com/privacy">Privacy</a></li></ul>',
  '<p>Questions? <a href="mailto:hola@example.com">Write to us</a>.<br>Thanks</p>',
  '<blockquote><p>Quote</p></blockquote><h5>Small print</h5><code>ABC-123</code>',
];

/* ------------------------------------------------------------------------------------------------
 * Tests
 * --------------------------------------------------------------------------------------------- */

describe('sanitizeToFragment', () => {
  let restore: () => void;
  before(() => (restore = installSentinel(window)));
  after(() => restore());
  afterEach(() => expect(window.__xss, 'window.__xss').to.equal(0));

  const html = (input: string) => serialize(sanitizeToFragment(input));

  it('returns a new DocumentFragment each call; empty input gives an empty one', () => {
    const a = sanitizeToFragment('<p>x</p>');
    expect(a.nodeType).to.equal(Node.DOCUMENT_FRAGMENT_NODE);
    expect(sanitizeToFragment('<p>x</p>')).not.to.equal(a);
    expect(sanitizeToFragment('').childNodes.length).to.equal(0);
  });

  it('keeps the allowlisted elements and maps h1 to h2, h5 and h6 to h4', () => {
    expect(
      html(
        '<h1>T</h1><h2>a</h2><h3>s</h3><h4>f</h4><h5>g</h5><h6>h</h6><p>a<br>b</p>' +
          '<ul><li><strong>x</strong> <b>y</b> <em>z</em> <i>w</i></li></ul><ol><li>1</li></ol>' +
          '<blockquote>q</blockquote><code>c</code>',
      ),
    ).to.equal(
      '<h2>T</h2><h2>a</h2><h3>s</h3><h4>f</h4><h4>g</h4><h4>h</h4><p>a<br>b</p>' +
        '<ul><li><strong>x</strong> <b>y</b> <em>z</em> <i>w</i></li></ul><ol><li>1</li></ol>' +
        '<blockquote>q</blockquote><code>c</code>',
    );
  });

  it('strips every attribute except a link href', () => {
    expect(
      html(
        '<p class="c" id="i" style="color:red" data-x="1" aria-label="l" title="t" lang="en" dir="rtl" href="https://example.com/">x</p>',
      ),
    ).to.equal('<p>x</p>');
  });

  it('unwraps unknown elements and drops the content of script, style, svg and math', () => {
    expect(html('<div><span class="x">kept</span></div><u>u</u>')).to.equal('keptu');
    expect(
      html('<p>a<script>b</script><style>c</style><svg><text>d</text></svg><math><mi>e</mi></math>f</p>'),
    ).to.equal('<p>af</p>');
  });

  it('keeps text literally', () => {
    const fragment = sanitizeToFragment('Hola &amp; adiós &lt;3 <3 "quotes" \u{1F600}');
    expect(fragment.textContent).to.equal('Hola & adiós <3 <3 "quotes" \u{1F600}');
  });

  it('forces https:/mailto: links, target=_blank and rel=noopener noreferrer', () => {
    expect(html('<a href="https://Example.com/x" target="_self" rel="opener" title="t">x</a>')).to.equal(
      '<a href="https://example.com/x" target="_blank" rel="noopener noreferrer">x</a>',
    );
    expect(html('<a href="mailto:hola@example.com?subject=Cita">m</a>')).to.equal(
      '<a href="mailto:hola@example.com?subject=Cita" target="_blank" rel="noopener noreferrer">m</a>',
    );
    for (const href of [
      'http://example.com/',
      'javascript:alert(1)',
      'data:text/html,x',
      '/relative',
      '#top',
      '//example.com/',
      'https://user:pw@example.com/',
      'https:\tevil.example',
      'tel:+34600123456',
    ]) {
      expect(html(`<a href="${href}">x</a>`), href).to.equal(
        '<a target="_blank" rel="noopener noreferrer">x</a>',
      );
    }
  });

  it(`refuses input over ${MAX_RICH_TEXT_LENGTH} characters instead of truncating it`, () => {
    expect(sanitizeToFragment('a'.repeat(MAX_RICH_TEXT_LENGTH)).textContent).to.have.length(
      MAX_RICH_TEXT_LENGTH,
    );
    expect(() => sanitizeToFragment('a'.repeat(MAX_RICH_TEXT_LENGTH + 1))).to.throw(RangeError);
    expect(() => sanitizeToFragment(42 as unknown as string)).to.throw(TypeError);
  });

  it('the control: the harness notices a payload that does run', async () => {
    const fragment = document.createRange().createContextualFragment('<img src="data:,x" onerror=__xss++>');
    expect(problemsIn(fragment, 'unsanitised').length).to.be.greaterThan(0);
    const holder = document.createElement('div');
    document.body.append(holder);
    holder.append(fragment);
    await settle();
    holder.remove();
    expect(window.__xss).to.equal(1);
    window.__xss = 0;
  });

  describe('against the XSS corpora', function () {
    this.timeout(60_000);
    let payloads: string[];
    let blns: string[];
    before(async () => {
      payloads = parsePayloads(await fixture('xss-payloads.txt'));
      blns = JSON.parse(await fixture('blns.json')) as string[];
      expect(payloads.length).to.be.greaterThan(300);
      expect(blns.length).to.be.greaterThan(400);
    });

    it('xss-payloads.txt: nothing runs, nothing outside the allowlist survives', async () => {
      expect(await pushThrough(window, sanitizeToFragment, payloads, 'xss')).to.deep.equal([]);
      expect(window.__xss).to.equal(0);
    });

    it('the Big List of Naughty Strings: nothing runs, nothing outside the allowlist survives', async () => {
      expect(await pushThrough(window, sanitizeToFragment, blns, 'blns')).to.deep.equal([]);
      expect(window.__xss).to.equal(0);
    });

    it('one vector per event handler Chromium knows: nothing runs', async () => {
      expect(await pushThrough(window, sanitizeToFragment, eventHandlerPayloads(), 'events')).to.deep.equal(
        [],
      );
      expect(window.__xss).to.equal(0);
    });

    it('is idempotent: sanitising the serialised output changes nothing', () => {
      const changed = [...payloads, ...blns, ...SAMPLES].filter((payload) => {
        const once = html(payload);
        return html(once) !== once;
      });
      expect(changed).to.deep.equal([]);
    });

    it('safeUrl over every corpus string returns undefined or a canonical https:/mailto: URL', () => {
      const bad = [...payloads, ...blns].filter((s) => {
        const url = safeUrl(s);
        return (
          url !== undefined && !(isSafeHref(url) && ['https:', 'mailto:'].includes(new URL(url).protocol))
        );
      });
      expect(bad).to.deep.equal([]);
    });
  });

  it("is not affected by the host page's DOMPurify hooks or config, and does not affect them", () => {
    DOMPurify.addHook('uponSanitizeAttribute', (_node, event) => {
      if (event.attrName.startsWith('on')) event.forceKeepAttr = true;
    });
    DOMPurify.setConfig({ ADD_TAGS: ['img', 'script', 'iframe'], ADD_ATTR: ['onclick', 'onerror', 'style'] });
    try {
      // The host's own instance now keeps handlers: the hook is live, so the next check can fail.
      expect(DOMPurify.sanitize('<p onclick="__xss++">x</p>')).to.contain('onclick');
      const ours = sanitizeToFragment(
        '<p onclick="__xss++" style="color:red">x</p><img src=x onerror=__xss++><a href="javascript:__xss++">j</a>',
      );
      expect(problemsIn(ours, 'host hooks')).to.deep.equal([]);
      expect(serialize(ours)).to.equal('<p>x</p><a target="_blank" rel="noopener noreferrer">j</a>');
      // Our link hook lives on our instance only.
      expect(DOMPurify.sanitize('<a href="https://example.com/">x</a>')).not.to.contain('target');
    } finally {
      DOMPurify.removeAllHooks();
      DOMPurify.clearConfig();
    }
  });

  it('its cita-sanitize policy wraps nothing outside the sanitiser and never makes script URLs', () => {
    sanitizeToFragment('<p>creates the policy</p>');
    const policy = getPolicy('cita-sanitize', {});
    expect(policy, 'Chromium supports Trusted Types').to.not.equal(null);
    expect(policy!.name).to.equal('cita-sanitize');
    expect(() => policy!.createHTML('<img src=x onerror=__xss++>')).to.throw(TypeError);
    expect(() => policy!.createScriptURL('https://example.com/x.js')).to.throw(TypeError);
    expect(CITA_POLICY_NAMES).to.deep.equal(['cita-sanitize']);
  });
});

describe('safeUrl', () => {
  const cases: [string, string][] = [
    ['https://example.com', 'https://example.com/'],
    ['  https://example.com/path?q=1#x  ', 'https://example.com/path?q=1#x'],
    ['HTTPS://EXAMPLE.COM/A', 'https://example.com/A'],
    ['https://example.com:8443/x', 'https://example.com:8443/x'],
    ['https://münchen.example/', 'https://xn--mnchen-3ya.example/'],
    ['mailto:hola@example.com', 'mailto:hola@example.com'],
    [
      'mailto:hola@example.com?subject=Cita%20ma%C3%B1ana',
      'mailto:hola@example.com?subject=Cita%20ma%C3%B1ana',
    ],
  ];
  for (const [input, output] of cases) {
    it(`accepts ${JSON.stringify(input)}`, () => expect(safeUrl(input)).to.equal(output));
  }

  const refused = [
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    '  javascript:alert(1)',
    '\u0000javascript:alert(1)',
    '\u0001https://example.com/',
    'javascript&colon;alert(1)',
    '&#106;avascript:alert(1)',
    '&#x6A;avascript:alert(1)',
    '%6Aavascript:alert(1)',
    'javascript://example.com/%0aalert(1)',
    'data:text/html,<script>alert(1)</script>',
    'data:image/png;base64,AAAA',
    'blob:https://example.com/0d8a1a9e-d7a6-4b2e-9f53-5a4a3e6f0b1c',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://example.com/',
    'ws://example.com/',
    'tel:+34600123456',
    'http://example.com/',
    'http://localhost:8787/',
    '/relative',
    'relative/path',
    '//example.com/',
    '#top',
    '?q=1',
    '',
    '   ',
    'https://',
    'https://[::1',
    'https:example.com',
    'https:/example.com',
    'https:///example.com',
    'https:\\\\example.com',
    '\\\\example.com',
    'https://user:pass@example.com/',
    'https://user@example.com/',
    'https://example.com@evil.example/',
    'https://exa mple.com/',
    'https://example.com/a b',
    'https://example.com/a\u00A0b',
    'https://\u200Bexample.com/',
    'https://example.com/\u202Egnp.exe',
    'https://example.com/a\uFEFFb',
    'https://example.com/a\u2028b',
    'https://example.com/a\u3000b',
    'https://example.com/\uD800',
    'https://example.com/' + 'a'.repeat(MAX_URL_LENGTH),
    'mailto:',
    'mailto:nobody',
    'mailto:?to=a@example.com',
    'mailto://evil.example/@',
  ];
  for (const input of refused) {
    it(`refuses ${JSON.stringify(input.length > 60 ? input.slice(0, 60) + '…' : input)}`, () => {
      expect(safeUrl(input)).to.equal(undefined);
    });
  }

  it('allows http: only to loopback hosts, and only when asked', () => {
    const allow = ['https:', 'http-loopback'] as const;
    expect(safeUrl('http://localhost:8787/v1', { allow })).to.equal('http://localhost:8787/v1');
    expect(safeUrl('http://127.0.0.1/', { allow })).to.equal('http://127.0.0.1/');
    expect(safeUrl('http://127.1/', { allow })).to.equal('http://127.0.0.1/');
    expect(safeUrl('http://[::1]:3000/', { allow })).to.equal('http://[::1]:3000/');
    expect(safeUrl('http://api.localhost/', { allow })).to.equal('http://api.localhost/');
    for (const url of [
      'http://example.com/',
      'http://localhost.evil.example/',
      'http://127.0.0.1.nip.io/',
      'http://10.0.0.1/',
    ]) {
      expect(safeUrl(url, { allow }), url).to.equal(undefined);
    }
    expect(safeUrl('mailto:a@example.com', { allow }), 'mailto: not in allow').to.equal(undefined);
    expect(safeUrl('https://example.com/', { allow: ['mailto:'] })).to.equal(undefined);
  });

  it('never throws on odd input', () => {
    for (const value of [null, undefined, 42, {}, [], Symbol('x')]) {
      expect(safeUrl(value as unknown as string)).to.equal(undefined);
    }
  });
});

describe('on a page that enforces Trusted Types', function () {
  this.timeout(60_000);
  const frames: HTMLIFrameElement[] = [];
  let payloads: string[];
  let blns: string[];
  before(async () => {
    payloads = parsePayloads(await fixture('xss-payloads.txt'));
    blns = JSON.parse(await fixture('blns.json')) as string[];
  });
  after(() => frames.forEach((f) => f.remove()));

  async function frame(csp: string, setup = ''): Promise<CitaFrame> {
    const { win, iframe } = await openFrame(csp, setup);
    frames.push(iframe);
    installSentinel(win);
    return win;
  }

  it('works with only cita-sanitize allowed, beside host-created dompurify and lit-html policies', async () => {
    const win = await frame(
      "require-trusted-types-for 'script'; trusted-types cita-sanitize dompurify lit-html",
      "trustedTypes.createPolicy('dompurify', { createHTML: (s) => s }); trustedTypes.createPolicy('lit-html', { createHTML: (s) => s });",
    );
    // The frame really enforces: a plain string into an HTML sink throws.
    expect(() => (win.document.createElement('div').innerHTML = '<b>x</b>')).to.throw(/TrustedHTML/);
    await settle(win);
    win.violations.length = 0;

    for (const sample of SAMPLES) {
      expect(serialize(win.cita.sanitizeToFragment(sample)), sample).to.equal(
        serialize(sanitizeToFragment(sample)),
      );
    }
    expect(await pushThrough(win, win.cita.sanitizeToFragment, [...payloads, ...blns], 'tt')).to.deep.equal(
      [],
    );
    expect(win.__xss).to.equal(0);
    expect(window.__xss).to.equal(0);
    await settle(win);
    expect(win.violations, 'CSP violations').to.deep.equal([]);
    expect(win.policiesCreated).to.deep.equal(['dompurify', 'lit-html', 'cita-sanitize']);
    expect(win.warnings).to.deep.equal([]);
  });

  it('falls back to the HTML Sanitizer API when the CSP does not list cita-sanitize, and warns once', async () => {
    const win = await frame("require-trusted-types-for 'script'; trusted-types lit-html");
    expect(typeof (win.Element.prototype as { setHTML?: unknown }).setHTML, 'Chromium has setHTML').to.equal(
      'function',
    );

    for (const sample of SAMPLES) {
      expect(serialize(win.cita.sanitizeToFragment(sample)), sample).to.equal(
        serialize(sanitizeToFragment(sample)),
      );
    }
    expect(win.policiesCreated).to.deep.equal(['cita-sanitize']);
    expect(win.warnings).to.have.length(1);
    expect(win.warnings[0]).to.contain('cita-sanitize');

    expect(
      await pushThrough(win, win.cita.sanitizeToFragment, [...payloads, ...blns], 'fallback'),
    ).to.deep.equal([]);
    expect(win.__xss).to.equal(0);
    await settle(win);
    // The refused createPolicy is the only violation: no string ever reached an HTML sink.
    expect(win.violations).to.deep.equal(['trusted-types']);
    expect(win.policiesCreated, 'never retried').to.have.length(1);
    expect(win.warnings, 'warned once').to.have.length(1);
  });

  it('falls back when the host already created a policy named cita-sanitize (no allow-duplicates)', async () => {
    const win = await frame(
      "require-trusted-types-for 'script'; trusted-types cita-sanitize",
      "trustedTypes.createPolicy('cita-sanitize', { createHTML: (s) => s });",
    );
    const fragment = win.cita.sanitizeToFragment(
      '<p onclick="__xss++">Hi <a href="javascript:__xss++">x</a></p>',
    );
    expect(serialize(fragment)).to.equal('<p>Hi <a target="_blank" rel="noopener noreferrer">x</a></p>');
    expect(win.cita.getPolicy('cita-sanitize', {})).to.equal(null);
    expect(win.warnings).to.have.length(1);
    await settle(win);
    expect(win.violations).to.deep.equal(['trusted-types']);
  });

  it('falls back to plain text in paragraphs when there is no Sanitizer API either', async () => {
    const win = await frame(
      "require-trusted-types-for 'script'; trusted-types lit-html",
      'delete Element.prototype.setHTML;',
    );
    expect(
      serialize(
        win.cita.sanitizeToFragment(
          '<h1>Terms</h1><p>Cancel &amp; refund<br>within 24h</p><script>x</script>',
        ),
      ),
    ).to.equal('<p>Terms</p><p>Cancel &amp; refund<br>within 24h</p>');
    expect(await pushThrough(win, win.cita.sanitizeToFragment, [...payloads, ...blns], 'text')).to.deep.equal(
      [],
    );
    expect(win.__xss).to.equal(0);
    await settle(win);
    expect(win.violations).to.deep.equal(['trusted-types']);
  });
});
