/**
 * Scripted frames for test/frame-channel.test.ts, as a Koa middleware for the @web/test-runner
 * dev server: `GET /__frame/frame/fixture/<scenario>` returns a page whose script
 * (test/support/frame-fixture-page.js) plays one scenario of the handshake, well or badly. The
 * tests load it from http://127.0.0.1:8765, another origin than the test page's
 * (http://localhost:8765), as the real frames are.
 */
const PAGE = /^\/__frame\/frame\/fixture\/([a-z-]+)$/;

export function frameFixtures() {
  return async (ctx, next) => {
    const m = PAGE.exec(ctx.path);
    if (!m) return next();
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = `<!doctype html><html><head><meta charset="utf-8"><title>fixture ${m[1]}</title>
<script type="module" src="/test/support/frame-fixture-page.js"></script></head><body></body></html>`;
  };
}
