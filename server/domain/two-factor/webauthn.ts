/**
 * WebAuthn answers looked at before the library verifies them, so each way they can be wrong has
 * its own problem (and a wrong one is refused before anything is stored):
 *
 * - `clientDataJSON`: the ceremony type; the challenge (looked up by the caller); the origin,
 *   which must be the backend's own (passkeys are used in its frame, its popup or /admin); and
 *   `crossOrigin` / `topOrigin`. In a frame, `topOrigin` is the page embedding it and must be one
 *   of the business's allowed origins. @simplewebauthn/server checks `topOrigin` only when
 *   authenticating, so registration is checked here, and more strictly: a cross-origin
 *   registration must name its top origin (Safari, which cannot register in a frame anyway,
 *   does not send it; Cita registers in a popup there). Authentication accepts a missing
 *   `topOrigin` from a cross-origin frame (Safari again): `frame-ancestors` already limits who
 *   can embed the frame.
 * - authenticator data: the RP ID hash (the backend's host), user verification (required: a
 *   passkey stands for two factors only with it, NIST SP 800-63B rev. 4 appendix B), the
 *   signature counter.
 */
import { createHash } from 'node:crypto';
import { decodeAttestationObject, parseAuthenticatorData } from '@simplewebauthn/server/helpers';
import type { ProblemCode } from '../../../src/api/contract.js';
import type { WebAuthnSite } from './common.js';

export interface ClientData {
  type: string;
  challenge: string;
  origin: string;
  crossOrigin?: boolean;
  topOrigin?: string;
}

export type Inspection<T> = { ok: true; value: T } | { ok: false; problem: ProblemCode };
const no = (problem: ProblemCode) => ({ ok: false as const, problem });

export function decodeClientData(
  b64url: string,
  type: 'webauthn.create' | 'webauthn.get',
): Inspection<ClientData> {
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(b64url, 'base64url').toString('utf8'));
  } catch {
    return no('passkey_invalid');
  }
  const d = data as Partial<ClientData> | null;
  if (
    !d ||
    typeof d !== 'object' ||
    d.type !== type ||
    typeof d.challenge !== 'string' ||
    typeof d.origin !== 'string' ||
    (d.crossOrigin !== undefined && typeof d.crossOrigin !== 'boolean') ||
    (d.topOrigin !== undefined && typeof d.topOrigin !== 'string')
  )
    return no('passkey_invalid');
  return { ok: true, value: d as ClientData };
}

/** The origin rules above; `registering` demands a named top origin when cross-origin. */
export function checkOrigins(
  cd: ClientData,
  site: WebAuthnSite,
  registering: boolean,
): ProblemCode | undefined {
  if (cd.origin !== site.origin) return 'passkey_origin_mismatch';
  if (!cd.crossOrigin) return cd.topOrigin ? 'passkey_origin_mismatch' : undefined;
  if (cd.topOrigin === undefined) return registering ? 'passkey_origin_mismatch' : undefined;
  return site.topOrigins.includes(cd.topOrigin) ? undefined : 'passkey_origin_mismatch';
}

export interface AuthData {
  userVerified: boolean;
  counter: number;
  backedUp: boolean;
}

const rpIdHash = (rpId: string) => createHash('sha256').update(rpId, 'utf8').digest();

/** Bytes of a base64url string, in a fresh ArrayBuffer (what the library's types ask for). */
export const b64urlBytes = (b64url: string) => new Uint8Array(Buffer.from(b64url, 'base64url'));

function inspectAuthData(bytes: Uint8Array<ArrayBuffer>, rpId: string): Inspection<AuthData> {
  let parsed: ReturnType<typeof parseAuthenticatorData>;
  try {
    parsed = parseAuthenticatorData(bytes);
  } catch {
    return no('passkey_invalid');
  }
  if (!Buffer.from(parsed.rpIdHash).equals(rpIdHash(rpId))) return no('passkey_rp_mismatch');
  if (!parsed.flags.up) return no('passkey_invalid');
  if (!parsed.flags.uv) return no('passkey_uv_required');
  return { ok: true, value: { userVerified: true, counter: parsed.counter, backedUp: parsed.flags.bs } };
}

/** An assertion's authenticator data (base64url). */
export const inspectAssertionData = (b64url: string, rpId: string) =>
  inspectAuthData(b64urlBytes(b64url), rpId);

/** A registration's authenticator data, inside its attestation object (base64url CBOR). */
export function inspectAttestation(b64url: string, rpId: string): Inspection<AuthData> {
  let authData: Uint8Array<ArrayBuffer> | undefined;
  try {
    authData = decodeAttestationObject(b64urlBytes(b64url)).get('authData') as
      Uint8Array<ArrayBuffer> | undefined;
  } catch {
    return no('passkey_invalid');
  }
  return authData ? inspectAuthData(authData, rpId) : no('passkey_invalid');
}

/**
 * A cloned authenticator: the counter did not move forward. Counters of 0 on both sides mean
 * the authenticator keeps none (most synced passkeys), which is allowed (WebAuthn L3 6.1.1).
 */
export const counterRegressed = (stored: number, presented: number) =>
  (stored > 0 || presented > 0) && presented <= stored;
