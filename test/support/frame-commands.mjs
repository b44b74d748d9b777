/**
 * A @web/test-runner plugin with one command, `cita-frame`, that acts inside a cross-origin frame
 * of the test page through Playwright (the page's own script cannot reach into it, which is the
 * point of the isolated tier). test/booking-frame.test.ts books through the HIPAA booking frame
 * with it: real pointer clicks and typing in the frame, as a customer would.
 *
 * payload: { url: a substring of the frame's URL, selector: a Playwright selector (CSS pierces
 * open shadow roots), action: 'click' | 'fill' | 'text' | 'count' | 'wait' | 'property', value?
 * (the text to fill, or the property to read), nth?, timeout? }
 */
export function frameCommands() {
  return {
    name: 'cita-frame-commands',
    async executeCommand({ command, payload, session }) {
      if (command !== 'cita-frame') return undefined;
      const page = session.browser.getPage(session.id);
      const timeout = payload.timeout ?? 5000;
      const deadline = Date.now() + timeout;
      let frame;
      while (!(frame = page.frames().find((f) => f.url().includes(payload.url)))) {
        if (Date.now() > deadline) throw new Error(`no frame whose URL contains ${payload.url}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const all = frame.locator(payload.selector);
      const target = payload.nth === undefined ? all.first() : all.nth(payload.nth);
      switch (payload.action) {
        case 'click':
          await target.click({ timeout });
          return true;
        case 'fill':
          await target.fill(payload.value ?? '', { timeout });
          return true;
        case 'text':
          await target.waitFor({ timeout });
          return (await target.textContent()) ?? '';
        case 'count':
          return all.count();
        case 'wait':
          await target.waitFor({ timeout });
          return true;
        case 'property':
          await target.waitFor({ timeout });
          return target.evaluate((el, name) => String(el[name]), payload.value);
        default:
          throw new Error(`cita-frame: unknown action ${payload.action}`);
      }
    },
  };
}
