/**
 * <cita-console-break-glass> against the real server (test/support/cita-server-plugin.mjs), on
 * its own business (wtr-breakglass, not in HIPAA mode: the element says grants change nothing
 * there, and they are still recorded). The owner, created by `users add`, follows their setup
 * link; then, by keyboard: a grant without a reason is refused on the field, a grant with one is
 * announced and listed as active, and revoking it is announced and listed as revoked. Axe at each
 * step, in light and dark, at 320 px wide.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { AdminMe, adminRoutes } from '../src/api/account-contract.js';
import { AdminClient } from '../src/admin/admin-client.js';
import { CitaConsoleBreakGlass } from '../src/components/admin-console/sections/break-glass.js';

const ENDPOINT = `${location.origin}/__cita-api`;
const WAIT = { timeout: 20_000 };
const PASSWORD = 'teal harbour lights at noon';

const $ = (el: CitaConsoleBreakGlass, sel: string) => el.shadowRoot!.querySelector<HTMLElement>(sel);
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const active = (el: CitaConsoleBreakGlass) => el.shadowRoot!.activeElement as HTMLElement | null;
const status = (el: CitaConsoleBreakGlass) => text($(el, '[part~="status"]'));

async function signInOwner(): Promise<{ client: AdminClient; me: AdminMe }> {
  const link = await (
    await fetch('/__cita-staff-link?email=bg-owner@example.com', { cache: 'no-store' })
  ).text();
  expect(link, 'users add printed a setup link').to.match(/#token=/);
  const res = await fetch(`${ENDPOINT}${adminRoutes.setup}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: link.split('#token=')[1], password: PASSWORD }),
  });
  expect(res.status).to.equal(200);
  const client = new AdminClient({ endpoint: ENDPOINT });
  return { client, me: await client.me() };
}

describe('<cita-console-break-glass>', function () {
  this.timeout(60_000);

  it('an owner gives a staff member access by keyboard, sees it listed, and revokes it', async () => {
    const { client, me } = await signInOwner();
    const el = await fixture<CitaConsoleBreakGlass>(
      html`<div style="inline-size: 320px">
        <cita-console-break-glass
          lang="en"
          theme="dark"
          .client=${client}
          .me=${me}
        ></cita-console-break-glass>
      </div>`,
    ).then((wrap) => wrap.querySelector('cita-console-break-glass')!);
    await waitUntil(() => $(el, 'form'), 'the form', WAIT);
    expect(text($(el, '[part~="section"]'))).to.contain('not in HIPAA mode');
    expect(text($(el, '#member'))).to.contain('bg-nurse@example.com');
    expect(text($(el, '[part~="section"]'))).to.contain('No grants in the last 30 days.');
    // Nothing wider than the 320 px column.
    expect(el.scrollWidth).to.be.at.most(el.clientWidth);
    await expect(el).to.be.accessible();

    // No reason: refused on the field, nothing sent.
    ($(el, '#member') as HTMLSelectElement).focus();
    await sendKeys({ press: 'Tab' });
    expect(active(el)?.id).to.equal('reason');
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(text(active(el))).to.equal('Give access');
    await sendKeys({ press: 'Enter' });
    await waitUntil(
      () => $(el, '#reason')?.getAttribute('aria-invalid') === 'true',
      'the reason refused',
      WAIT,
    );
    expect(active(el)?.id).to.equal('reason');
    expect(text($(el, '#reason-error'))).to.equal('Say why, in at least 3 characters.');
    await expect(el).to.be.accessible();

    await sendKeys({ type: 'Covering the front desk tonight' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => /has access until/.test(status(el)), 'the grant announced', WAIT);
    expect(status(el)).to.match(/^bg-nurse@example\.com has access until .*\d{1,2}:\d{2}/);
    const grant = $(el, '[part~="grant"]');
    expect(text(grant)).to.contain('bg-nurse@example.com');
    expect(text(grant)).to.contain('Active');
    expect(text(grant)).to.contain('Covering the front desk tonight');
    expect(text(grant)).to.contain('given by bg-owner@example.com');
    // What was typed is cleared once it succeeded.
    expect(($(el, '#reason') as HTMLTextAreaElement).value).to.equal('');
    await expect(el).to.be.accessible();

    const revoke = $(el, '[part~="grant"] button')!;
    expect(revoke.getAttribute('aria-label')).to.equal('Revoke access for bg-nurse@example.com');
    revoke.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => /was revoked/.test(status(el)), 'the revocation announced', WAIT);
    await waitUntil(() => text($(el, '[part~="grant"]')).includes('Revoked'), 'listed as revoked', WAIT);
    expect($(el, '[part~="grant"] button')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('tells other staff that only owners can do this, in Spanish', async () => {
    const el = await fixture<CitaConsoleBreakGlass>(
      html`<cita-console-break-glass
        lang="es"
        .client=${new AdminClient({ endpoint: ENDPOINT })}
        .me=${
          {
            account: {
              id: '00000000-0000-4000-8000-000000000000',
              business: 'wtr-breakglass',
              kind: 'staff',
              email: 'bg-nurse@example.com',
              role: 'staff',
              createdAt: '2026-01-01T00:00:00Z',
            },
            expiresAt: '2026-01-01T01:00:00Z',
          } satisfies AdminMe
        }
      ></cita-console-break-glass>`,
    );
    await waitUntil(() => text($(el, 'p')), 'rendered', WAIT);
    expect(text($(el, '[part~="heading"]'))).to.equal('Acceso de emergencia');
    expect(text($(el, 'p'))).to.equal('Solo los propietarios pueden dar o retirar el acceso de emergencia.');
    expect($(el, 'form')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});
