/**
 * What the two-factor end-to-end tests share: a CDP virtual authenticator (a platform passkey
 * with user verification, answering at once), reading a QR code off the screen the way a phone
 * would (a screenshot, decoded by `qr`), and authenticator-app codes computed from the decoded
 * URI (a phone's app, in Node).
 */
import { decodeQR } from 'qr/decode.js';
import type { Browser, CDPSession, Locator, Page } from 'playwright-core';
import { URI } from 'otpauth';
import { totpCode, totpStep } from '../../server/domain/two-factor/totp.ts';

type Credential = Awaited<ReturnType<VirtualAuthenticator['credentials']>>[number];

export interface VirtualAuthenticator {
  cdp: CDPSession;
  id: string;
  /** Every credential created in it, as it was created (kept even once its page has closed). */
  added: Credential[];
  credentials(): Promise<
    {
      credentialId: string;
      privateKey: string;
      rpId: string;
      userHandle?: string;
      signCount: number;
      isResidentCredential: boolean;
    }[]
  >;
}

/**
 * A virtual platform authenticator for `page` (and the frames in it: Chromium looks up the
 * authenticator environment from the frame up to its page): resident keys, user verification,
 * presence simulated (no prompt).
 */
export async function addVirtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const added: Credential[] = [];
  cdp.on('WebAuthn.credentialAdded', ({ credential }) => added.push(credential as Credential));
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    cdp,
    id: authenticatorId,
    added,
    credentials: async () =>
      (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials as Awaited<
        ReturnType<VirtualAuthenticator['credentials']>
      >,
  };
}

/** Copy the credentials made in one authenticator into another (a passkey synced between devices). */
export async function syncCredentials(from: VirtualAuthenticator, to: VirtualAuthenticator): Promise<number> {
  const creds = from.added;
  for (const c of creds)
    await to.cdp.send('WebAuthn.addCredential', { authenticatorId: to.id, credential: c as never });
  return creds.length;
}

/** Scan a QR code on screen: a screenshot of `target`, decoded to its text. */
export async function scanQr(browser: Browser, target: Locator): Promise<string> {
  const png = await target.screenshot({ scale: 'css' });
  // Any page can turn a PNG into pixels: a blank one, with nothing of the site in it.
  const context = await browser.newContext();
  const page = await context.newPage();
  const { width, height, pixels } = await page.evaluate(async (b64: string) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    return { width: bitmap.width, height: bitmap.height, pixels: Array.from(data) };
  }, png.toString('base64'));
  await context.close();
  return decodeQR({ width, height, data: new Uint8ClampedArray(pixels) });
}

/** What the authenticator app shows for `uri` now (or `offsetSteps` steps from now). */
export function appCode(uri: string, offsetSteps = 0): string {
  const totp = URI.parse(uri);
  return totpCode(new Uint8Array(totp.secret.bytes), totpStep(Date.now()) + offsetSteps);
}

/** Wait for the next 30-second step (a code used once never works again: the next one will). */
export async function nextStep(): Promise<void> {
  const step = totpStep(Date.now());
  while (totpStep(Date.now()) === step) await new Promise((r) => setTimeout(r, 250));
}
