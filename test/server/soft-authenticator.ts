/**
 * A software passkey authenticator for the server specs: an ES256 key pair, WebAuthn
 * registration and authentication answers built by hand (authenticator data, a `none`
 * attestation in CBOR, client data), with every field a test may want wrong: the challenge, the
 * origin and top origin, the RP ID, user verification, the counter, the user handle.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/* A minimal CBOR encoder: unsigned and negative integers, byte and text strings, maps. */
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

function head(major: number, n: number): number[] {
  if (n < 24) return [(major << 5) | n];
  if (n < 0x100) return [(major << 5) | 24, n];
  if (n < 0x10000) return [(major << 5) | 25, n >> 8, n & 0xff];
  return [(major << 5) | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

function cbor(v: Cbor): number[] {
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') {
    const bytes = [...Buffer.from(v, 'utf8')];
    return [...head(3, bytes.length), ...bytes];
  }
  if (v instanceof Uint8Array) return [...head(2, v.length), ...v];
  return [...head(5, v.size), ...[...v].flatMap(([k, x]) => [...cbor(k), ...cbor(x)])];
}

const b64url = (b: Uint8Array | Buffer) => Buffer.from(b).toString('base64url');
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];

export interface CeremonyOptions {
  challenge: string;
  origin: string;
  rpId: string;
  crossOrigin?: boolean;
  topOrigin?: string;
  /** User verified (PIN, biometrics); default true. */
  uv?: boolean;
  /** The counter the authenticator reports; default: one more than the last. */
  counter?: number;
  /** The user handle returned with an assertion (base64url); default: the one registered. */
  userHandle?: string | null;
  /** Answer with another ceremony type. */
  type?: string;
}

export class SoftAuthenticator {
  readonly credentialId = randomBytes(32);
  readonly #key: KeyObject;
  readonly #cose: Uint8Array;
  #counter = 0;
  userHandle?: string;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.#key = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    this.#cose = new Uint8Array(
      cbor(
        new Map<Cbor, Cbor>([
          [1, 2], // kty: EC2
          [3, -7], // alg: ES256
          [-1, 1], // crv: P-256
          [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
          [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
        ]),
      ),
    );
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  #clientData(o: CeremonyOptions, type: string): Buffer {
    return Buffer.from(
      JSON.stringify({
        type: o.type ?? type,
        challenge: o.challenge,
        origin: o.origin,
        crossOrigin: o.crossOrigin ?? false,
        ...(o.topOrigin ? { topOrigin: o.topOrigin } : {}),
      }),
    );
  }

  #authData(o: CeremonyOptions, attested: boolean): Buffer {
    const flags = 0x01 | (o.uv === false ? 0 : 0x04) | (attested ? 0x40 : 0);
    const counter = o.counter ?? ++this.#counter;
    this.#counter = Math.max(this.#counter, counter);
    const rpIdHash = createHash('sha256').update(o.rpId).digest();
    const parts = [rpIdHash, Buffer.from([flags, ...u32(counter)])];
    if (attested)
      parts.push(
        Buffer.alloc(16), // AAGUID: none
        Buffer.from([this.credentialId.length >> 8, this.credentialId.length & 0xff]),
        this.credentialId,
        Buffer.from(this.#cose),
      );
    return Buffer.concat(parts);
  }

  /** `RegistrationResponseJSON`, as @simplewebauthn/browser gives it. */
  register(o: CeremonyOptions, userHandle: string) {
    this.userHandle = userHandle;
    const attestation = new Uint8Array(
      cbor(
        new Map<Cbor, Cbor>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', new Uint8Array(this.#authData({ ...o, counter: o.counter ?? 0 }, true))],
        ]),
      ),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(this.#clientData(o, 'webauthn.create')),
        attestationObject: b64url(attestation),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** `AuthenticationResponseJSON`. */
  assert(o: CeremonyOptions) {
    const authData = this.#authData(o, false);
    const clientData = this.#clientData(o, 'webauthn.get');
    const signature = sign(
      'sha256',
      Buffer.concat([authData, createHash('sha256').update(clientData).digest()]),
      this.#key,
    );
    const handle = o.userHandle === undefined ? this.userHandle : o.userHandle;
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(clientData),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(handle ? { userHandle: handle } : {}),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}
