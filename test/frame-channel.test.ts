/**
 * The frame tier in Chromium, across real origins: the test page is http://localhost:8765; the
 * real Cita server (test/support/cita-server-plugin.mjs) serves its frames from
 * http://127.0.0.1:5199; scripted frames that play the handshake well or badly
 * (test/support/frame-fixtures.mjs) come from http://127.0.0.1:8765.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { CitaFrameElement } from '../src/core/cita-frame-element.js';

const API = 'http://127.0.0.1:5199';
const FIXTURES = 'http://127.0.0.1:8765/__frame';

class ProbeShell extends CitaFrameElement {
  static override frameName = 'probe';
  static override themeTokens = ['--cita-frame-probe-block-size'];
  protected frameTitle(): string {
    return 'Cita probe';
  }
}
customElements.define('test-probe-shell', ProbeShell);

/** A shell whose frame is the scripted `scenario`. */
function fixtureShell(scenario: string): string {
  const tag = `test-fixture-${scenario}`;
  if (!customElements.get(tag))
    customElements.define(
      tag,
      class extends CitaFrameElement {
        static override frameName = scenario;
        static override frameEvents = ['cita-signed-in'];
        protected frameTitle(): string {
          return `Fixture ${scenario}`;
        }
      },
    );
  return tag;
}

/** Resolves with the fixture's report once `scenario` has played (see frame-fixture-page.js). */
function fixtureDone(scenario: string): Promise<{ received: number }> {
  return new Promise((resolve) => {
    const on = (e: MessageEvent) => {
      if (e.data?.fixture !== 'done' || e.data.scenario !== scenario) return;
      // Not for the shell to judge: test scaffolding, not the protocol.
      e.stopImmediatePropagation();
      window.removeEventListener('message', on, true);
      resolve(e.data);
    };
    // Capture, and added before the shell's own listener: it sees the report first.
    window.addEventListener('message', on, true);
  });
}

/** Records console.warn until restored. */
function recordWarnings(): { lines: string[]; restore(): void } {
  const original = console.warn;
  const lines: string[] = [];
  console.warn = (...args: unknown[]) => lines.push(args.map(String).join(' '));
  return { lines, restore: () => (console.warn = original) };
}

const frameOf = (el: Element) => el.shadowRoot!.querySelector('iframe')!;
const ready = (el: Element) =>
  new Promise<void>((r) => el.addEventListener('cita-ready', () => r(), { once: true }));
const nextFrames = (n = 2) =>
  new Promise<void>((r) => {
    const step = (left: number) => (left ? requestAnimationFrame(() => step(left - 1)) : r());
    step(n);
  });

async function mountFixture(scenario: string, reportFrom = scenario) {
  const done = fixtureDone(reportFrom);
  const tag = fixtureShell(scenario);
  const events: CustomEvent[] = [];
  const container = await fixture(html`<div></div>`);
  const el = document.createElement(tag) as CitaFrameElement;
  el.setAttribute('endpoint', FIXTURES);
  el.setAttribute('business', 'fixture');
  let readyEvents = 0;
  el.addEventListener('cita-ready', () => readyEvents++);
  el.addEventListener('cita-signed-in', (e) => events.push(e as CustomEvent));
  container.append(el);
  const report = await done;
  await nextFrames();
  return { el, report, events, readyEvents: () => readyEvents };
}

describe('frame handshake (scripted frames on another origin)', () => {
  let warnings: ReturnType<typeof recordWarnings>;
  beforeEach(() => (warnings = recordWarnings()));
  afterEach(() => warnings.restore());

  it('accepts its own frame: relays only allowed, well-formed events and sizes to the reported height', async () => {
    const { el, report, events, readyEvents } = await mountFixture('good');
    expect(readyEvents()).to.equal(1);
    expect(report.received).to.be.greaterThan(0); // the theme arrived on the port
    expect(events.map((e) => e.detail)).to.deep.equal([{ session: 1 }]);
    expect(frameOf(el).getBoundingClientRect().height).to.equal(123);
    // Five bad messages on the port, each dropped and logged without its content.
    const drops = warnings.lines.filter((l) => l.includes('dropped'));
    expect(drops).to.have.length(5);
    expect(drops.join(' ')).not.to.contain('ana@example.com');
    expect(drops.join(' ')).not.to.contain('evil.example');
  });

  it('refuses a hello with a wrong nonce', async () => {
    const { report, readyEvents } = await mountFixture('wrong-nonce');
    expect(report.received).to.equal(0);
    expect(readyEvents()).to.equal(0);
    expect(warnings.lines.some((l) => l.includes('(nonce)'))).to.equal(true);
  });

  it('refuses malformed hellos (extra key, other version, a string, no port, two ports)', async () => {
    const { report, readyEvents } = await mountFixture('malformed');
    expect(report.received).to.equal(0);
    expect(readyEvents()).to.equal(0);
    expect(warnings.lines.filter((l) => l.includes('(malformed)'))).to.have.length(5);
  });

  it('ignores a hello from another window, even of the same origin with the right nonce', async () => {
    const { report, readyEvents } = await mountFixture('other-window', 'child');
    expect(report.received).to.equal(0);
    expect(readyEvents()).to.equal(0);
  });

  it("refuses a hello from its own iframe once it shows another origin's page", async () => {
    const { report, readyEvents } = await mountFixture('other-origin', 'good');
    expect(report.received).to.equal(0);
    expect(readyEvents()).to.equal(0);
    expect(warnings.lines.some((l) => l.includes('(origin)'))).to.equal(true);
  });
});

describe('frame shell with the real server (/frame/wtr-salon/probe)', () => {
  async function mountProbe(
    style: string,
    afterConnect?: () => void,
  ): Promise<{ el: ProbeShell; sentinel: HTMLElement }> {
    const container = await fixture(html`<div></div>`);
    // Built apart and inserted at once: content that appears is not a shift, content that moves is.
    const part = document.createElement('div');
    const el = document.createElement('test-probe-shell') as ProbeShell;
    el.setAttribute('endpoint', API);
    el.setAttribute('business', 'wtr-salon');
    el.setAttribute('style', style);
    const sentinel = document.createElement('p');
    sentinel.textContent = 'Below the frame';
    part.append(el, sentinel);
    container.append(part);
    // Cita's listener is on `window` now; the frame cannot have answered yet.
    afterConnect?.();
    return { el, sentinel };
  }

  it('sizes the frame to its content, and follows it when the content changes', async () => {
    const { el } = await mountProbe('--cita-frame-probe-block-size: 333px');
    await ready(el);
    expect(frameOf(el).getBoundingClientRect().height).to.equal(333);
    expect(el.getBoundingClientRect().height).to.equal(333);
    // The theme is read again: the frame's content shrinks, and so does the frame.
    el.style.setProperty('--cita-frame-probe-block-size', '180px');
    el.refreshTheme();
    await waitUntil(() => frameOf(el).getBoundingClientRect().height === 180, 'the frame did not shrink');
    expect(frameOf(el).title).to.equal('Cita probe');
  });

  it('does not shift the page when the reserved height matches the content', async () => {
    const shifts: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) shifts.push((entry as unknown as { value: number }).value);
    });
    observer.observe({ type: 'layout-shift' });
    const measure = async (reserve: string) => {
      shifts.length = 0;
      const { el, sentinel } = await mountProbe(
        `--cita-frame-probe-block-size: 333px; --cita-frame-initial-block-size: ${reserve}`,
      );
      const before = sentinel.getBoundingClientRect().top;
      await ready(el);
      await new Promise((r) => setTimeout(r, 300));
      await nextFrames();
      return {
        moved: sentinel.getBoundingClientRect().top - before,
        shift: shifts.reduce((a, b) => a + b, 0),
      };
    };
    // The control: a reserve that is too small moves the text below, and the observer sees it.
    const control = await measure('100px');
    expect(control.moved).to.equal(233);
    expect(control.shift).to.be.greaterThan(0);
    const matched = await measure('333px');
    expect(matched.moved).to.equal(0);
    expect(matched.shift).to.equal(0);
    observer.disconnect();
  });

  it('gives host page scripts nothing: no document, no storage, no port, messages without data', async () => {
    // A page script that listened before Cita loaded, in the capture phase, and taps any port.
    const seen: unknown[] = [];
    const tapped: unknown[] = [];
    const early = (e: MessageEvent) => {
      seen.push(e.data);
      for (const port of e.ports) {
        port.addEventListener('message', (m) => tapped.push(m.data));
        port.start();
      }
    };
    window.addEventListener('message', early, true);
    const earlyBubble: unknown[] = [];
    const earlyBubbleListener = (e: MessageEvent) => earlyBubble.push(e.data);
    window.addEventListener('message', earlyBubbleListener);
    const late: unknown[] = [];
    const lateListener = (e: MessageEvent) => late.push(e.data);
    try {
      const { el } = await mountProbe('', () => {
        // Added after Cita's own listener, in either phase.
        window.addEventListener('message', lateListener);
        window.addEventListener('message', lateListener, true);
      });
      await ready(el);
      await new Promise((r) => setTimeout(r, 200));

      const iframe = frameOf(el);
      expect(iframe.contentDocument).to.equal(null);
      expect(() => iframe.contentWindow!.document).to.throw();
      expect(() => iframe.contentWindow!.sessionStorage).to.throw();
      expect(() => iframe.contentWindow!.location.href).to.throw();

      // The element exposes no port and no channel, directly or one level down.
      const values: unknown[] = [];
      for (const key of Object.getOwnPropertyNames(el))
        values.push((el as unknown as Record<string, unknown>)[key]);
      for (const v of [...values]) if (v && typeof v === 'object') values.push(...Object.values(v));
      expect(values.some((v) => v instanceof MessagePort)).to.equal(false);
      expect(values.some((v) => v instanceof MessageChannel)).to.equal(false);

      // Listeners added later, in either phase, never see the hello.
      expect(late).to.deep.equal([]);
      // Those added before saw only the hello: a type, a version and the nonce it was given.
      expect(earlyBubble).to.deep.equal(seen);
      expect(seen).to.have.length(1);
      expect(Object.keys(seen[0] as object).sort()).to.deep.equal(['nonce', 'type', 'v']);
      // And what crossed on the port was sizes and "ready": no text, no data.
      expect(tapped.length).to.be.greaterThan(0);
      for (const m of tapped as { type: string }[]) {
        expect(['resize', 'ready']).to.include(m.type);
        expect(Object.keys(m).every((k) => k === 'type' || k === 'height')).to.equal(true);
      }
    } finally {
      window.removeEventListener('message', early, true);
      window.removeEventListener('message', earlyBubbleListener);
      window.removeEventListener('message', lateListener);
      window.removeEventListener('message', lateListener, true);
    }
  });

  it('says when it cannot load, accessibly, with a retry', async () => {
    const el = (await fixture(
      html`<test-probe-shell endpoint="javascript:alert(1)" business="wtr-salon"></test-probe-shell>`,
    )) as ProbeShell;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
    expect(el.shadowRoot!.querySelector('[role="alert"]')?.textContent).to.contain('could not be loaded');
    await expect(el).to.be.accessible();
  });
});
