import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  FrameToHost,
  HostToFrame,
  checkHello,
  connectToHost,
  filterThemeTokens,
  frameUrl,
  isSafeThemeValue,
  newNonce,
  parseFrameFragment,
  type HostToFrame as HostMessage,
} from '../src/core/frame-channel.ts';

const HOST = 'https://salon.example';
const ENDPOINT = 'https://book.example';

afterEach(() => vi.restoreAllMocks());

describe('theme values', () => {
  it.each([
    '#1d4ed8',
    'rgb(29 78 216 / 0.5)',
    'oklch(0.6 0.2 250)',
    'color-mix(in srgb, red 40%, white)',
    'calc(0.5rem + 2px)',
    '"Helvetica Neue", Arial, sans-serif',
    "'Inter', system-ui",
    'var(--cita-color-accent)',
    '0.5rem',
  ])('accepts %s', (v) => expect(isSafeThemeValue(v)).toBe(true));

  it.each([
    ['url(https://evil.example/x.png)', 'fetches'],
    ['URL(x)', 'fetches, any case'],
    ['image-set("x.png" 1x)', 'fetches'],
    ['attr(data-x)', 'reads the document'],
    ['env(safe-area-inset-top)', 'not a colour or arithmetic function'],
    ['red; background: url(x)', 'ends the declaration'],
    ['red } body { display: none', 'closes the rule'],
    ['red !important', 'important'],
    ['\\75 rl(x)', 'escapes'],
    ['red /* x */', 'comment'],
    ['"unbalanced', 'quote'],
    ['(x)', 'a bare parenthesis group'],
    ['a\nb', 'control character'],
    ['', 'empty'],
    ['a'.repeat(201), 'too long'],
  ])('refuses %j (%s)', (v) => expect(isSafeThemeValue(v)).toBe(false));

  it('filters names and values one by one', () => {
    expect(
      filterThemeTokens({
        '--cita-color-accent': ' #123456 ',
        '--cita-radius': 'url(x)',
        '--other': 'red',
        '--cita-Bad': 'red',
      }),
    ).toEqual({ '--cita-color-accent': '#123456' });
  });
});

describe('frame URL and fragment', () => {
  it('round-trips origin, nonce and language in the fragment, never the query', () => {
    const nonce = newNonce();
    const url = new URL(
      frameUrl(`${ENDPOINT}/`, 'salon-rosa', 'account', { origin: HOST, nonce, lang: 'es-MX' }),
    );
    expect(url.origin + url.pathname).toBe(`${ENDPOINT}/frame/salon-rosa/account`);
    expect(url.search).toBe('');
    expect(parseFrameFragment(url.hash)).toEqual({ origin: HOST, nonce, lang: 'es-MX' });
  });

  it('carries the shell’s attributes (ids and time zones only), dropping free text', () => {
    const nonce = newNonce();
    const url = frameUrl(ENDPOINT, 'clinic', 'booking', {
      origin: HOST,
      nonce,
      attributes: {
        service: 'consulta',
        'time-zone': 'America/Argentina/Buenos_Aires',
        notes: 'a rash, left arm',
      },
    });
    expect(url).not.toContain('rash');
    expect(parseFrameFragment(new URL(url).hash)).toEqual({
      origin: HOST,
      nonce,
      attributes: { service: 'consulta', 'time-zone': 'America/Argentina/Buenos_Aires' },
    });
    const forged = `#origin=${encodeURIComponent(HOST)}&nonce=${nonce}&a.service=${encodeURIComponent('<img src=x>')}&a.Bad=x`;
    expect(parseFrameFragment(forged)).toEqual({ origin: HOST, nonce });
  });

  it('keeps an endpoint path prefix', () => {
    const url = frameUrl('https://x.example/cita', 'b', 'account', { origin: HOST, nonce: newNonce() });
    expect(url.startsWith('https://x.example/cita/frame/b/account#')).toBe(true);
  });

  it('draws distinct 128-bit nonces', () => {
    const a = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newNonce()).not.toBe(a);
  });

  it.each([
    '',
    '#nonce=aaaaaaaaaaaaaaaaaaaaaa',
    `#origin=${encodeURIComponent(HOST + '/')}&nonce=aaaaaaaaaaaaaaaaaaaaaa`,
    `#origin=${encodeURIComponent('javascript:alert(1)')}&nonce=aaaaaaaaaaaaaaaaaaaaaa`,
    `#origin=${encodeURIComponent(HOST)}&nonce=short`,
    `#origin=${encodeURIComponent(HOST)}`,
  ])('refuses the fragment %j', (hash) => expect(parseFrameFragment(hash)).toBeUndefined());

  it('drops a malformed language but keeps the rest', () => {
    const nonce = newNonce();
    expect(parseFrameFragment(`#origin=${encodeURIComponent(HOST)}&nonce=${nonce}&lang=x<y`)).toEqual({
      origin: HOST,
      nonce,
    });
  });
});

describe('messages', () => {
  it('parses what the protocol defines', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'resize', height: 480 },
      { type: 'event', name: 'cita-signed-in', detail: {} },
      {
        type: 'event',
        name: 'cita-booking-cancelled',
        detail: { bookingId: '0b6f8c7e-3f0a', reference: 'CITA-7KQ2M9' },
      },
    ])
      expect(FrameToHost.safeParse(m).success).toBe(true);
    for (const m of [
      { type: 'theme', tokens: { '--cita-color-accent': 'red' }, scheme: 'dark' },
      { type: 'lang', lang: 'es' },
    ])
      expect(HostToFrame.safeParse(m).success).toBe(true);
  });

  it.each([
    [null],
    ['ready'],
    [{ type: 'ready', extra: 1 }],
    [{ type: 'resize', height: -1 }],
    [{ type: 'resize', height: 1.5 }],
    [{ type: 'resize', height: 1e9 }],
    [{ type: 'event', name: 'click', detail: {} }],
    [{ type: 'event', name: 'cita-signed-in', detail: { email: 'ana@example.com' } }],
    [{ type: 'event', name: 'cita-signed-in', detail: { name: 'Ana García' } }],
    [{ type: 'event', name: 'cita-signed-in', detail: { nested: { a: 1 } } }],
    [{ type: 'event', name: 'cita-x', detail: Object.fromEntries([...'abcdefghi'].map((k) => [k, 1])) }],
    [{ type: 'navigate', url: 'https://evil.example' }],
  ])('frame to host refuses %j', (m) => expect(FrameToHost.safeParse(m).success).toBe(false));

  it.each([
    [{ type: 'theme', tokens: { '--cita-radius': 'url(x)' }, scheme: 'auto' }],
    [{ type: 'theme', tokens: { color: 'red' }, scheme: 'auto' }],
    [{ type: 'theme', tokens: {}, scheme: 'sepia' }],
    [{ type: 'lang', lang: '<script>' }],
  ])('host to frame refuses %j', (m) => expect(HostToFrame.safeParse(m).success).toBe(false));
});

describe('checkHello', () => {
  const frameWindow = { name: 'frame' } as unknown as MessageEventSource;
  const nonce = newNonce();
  const expectation = { source: frameWindow, origin: ENDPOINT, nonce };
  const hello = { type: 'cita-frame-hello', v: 1, nonce };
  const port = () => new MessageChannel().port1;
  const event = (over: Partial<Pick<MessageEvent, 'source' | 'origin' | 'data' | 'ports'>>) => ({
    source: frameWindow,
    origin: ENDPOINT,
    data: hello,
    ports: [port()],
    ...over,
  });

  it('accepts its own frame, origin and nonce, and hands over the port', () => {
    const e = event({});
    expect(checkHello(e, expectation)).toEqual({ port: e.ports[0] });
  });

  it('ignores another window', () =>
    expect(checkHello(event({ source: {} as MessageEventSource }), expectation)).toEqual({
      refused: 'foreign',
    }));
  it('ignores everything before the frame exists', () =>
    expect(checkHello(event({}), { ...expectation, source: null })).toEqual({ refused: 'foreign' }));
  it('refuses another origin', () =>
    expect(checkHello(event({ origin: 'https://evil.example' }), expectation)).toEqual({
      refused: 'origin',
    }));
  it('refuses a wrong nonce', () =>
    expect(checkHello(event({ data: { ...hello, nonce: newNonce() } }), expectation)).toEqual({
      refused: 'nonce',
    }));
  it.each([
    [{ data: { ...hello, v: 2 } }],
    [{ data: { ...hello, extra: true } }],
    [{ data: 'cita-frame-hello' }],
    [{ ports: [] }],
    [{ ports: [port(), port()] }],
  ])('refuses a malformed hello %#', (over) =>
    expect(checkHello(event(over as never), expectation)).toEqual({ refused: 'malformed' }),
  );
});

describe('connectToHost', () => {
  const allowedOrigins = [HOST];
  const nonce = newNonce();
  const hash = `#origin=${encodeURIComponent(HOST)}&nonce=${nonce}&lang=es`;
  const self = {} as Window;
  const parentSpy = () => {
    const calls: [unknown, string, Transferable[]][] = [];
    return {
      calls,
      parent: {
        postMessage: (...a: [unknown, string, Transferable[]]) => calls.push(a),
      } as unknown as Window,
    };
  };

  it('posts the hello and one port to exactly the claimed origin', async () => {
    const { calls, parent } = parentSpy();
    const received: HostMessage[] = [];
    const channel = connectToHost({ hash, allowedOrigins, parent, self, onMessage: (m) => received.push(m) });
    expect('refused' in channel).toBe(false);
    expect(calls).toHaveLength(1);
    const [data, targetOrigin, transfer] = calls[0]!;
    expect(data).toEqual({ type: 'cita-frame-hello', v: 1, nonce });
    expect(targetOrigin).toBe(HOST);
    expect(transfer).toHaveLength(1);
    // The host's end: a valid message arrives, a malformed one is dropped and logged.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const hostPort = transfer[0] as MessagePort;
    hostPort.postMessage({ type: 'lang', lang: 'en' });
    hostPort.postMessage({ type: 'theme', tokens: { '--cita-radius': 'url(x)' }, scheme: 'auto' });
    await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual([{ type: 'lang', lang: 'en' }]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).not.toContain('url(');
    if (!('refused' in channel)) {
      expect(channel.lang).toBe('es');
      expect(channel.send({ type: 'resize', height: 10 })).toBe(true);
      expect(channel.send({ type: 'resize', height: -10 } as never)).toBe(false);
      channel.close();
    }
    hostPort.close();
  });

  it.each([
    ['not framed', { parent: self }, 'not-framed'],
    ['no parent', { parent: null }, 'not-framed'],
    ['no fragment', { hash: '' }, 'fragment'],
    [
      'an origin outside the allowlist',
      { hash: hash.replace(encodeURIComponent(HOST), encodeURIComponent('https://evil.example')) },
      'origin-not-allowed',
    ],
    [
      'a parent the browser names differently',
      { ancestorOrigins: ['https://evil.example'] },
      'ancestor-mismatch',
    ],
  ])('refuses when %s, and posts nothing', (_what, over, reason) => {
    const { calls, parent } = parentSpy();
    const result = connectToHost({ hash, allowedOrigins, parent, self, onMessage: () => {}, ...over });
    expect(result).toEqual({ refused: reason });
    expect(calls).toHaveLength(0);
  });

  it('goes on when the browser masks the parent origin as "null"', () => {
    const { calls, parent } = parentSpy();
    const result = connectToHost({
      hash,
      allowedOrigins,
      parent,
      self,
      ancestorOrigins: ['null'],
      onMessage: () => {},
    });
    expect('refused' in result).toBe(false);
    expect(calls).toHaveLength(1);
    if (!('refused' in result)) result.close();
  });
});
