/**
 * The two-factor calls (src/api/two-factor-contract.ts), written once for both of their homes: the
 * account API from the frame (`AccountClient#twoFactor`: bearer session, a new session in an
 * answer is kept by the account client) and /admin/api from the console (`AdminClient#twoFactor`:
 * the cookie). Each client gives a `send` that adds its own authentication and keeps its own
 * promises (inputs checked first, answers parsed with the contract, typed errors, no retries but
 * for GETs). `<cita-two-factor-prompt>` takes a `TwoFactorApi` and knows nothing else.
 */
import type * as z from 'zod/mini';
import {
  AddPasskeyRequest,
  ChallengePassed,
  CodeChallengeRequest,
  FactorAdded,
  FactorId,
  PasskeyChallengeRequest,
  PasskeyCreationOptions,
  PasskeyRequestOptions,
  PasswordConfirmation,
  RecoveryCodes,
  RenamePasskeyRequest,
  TotpConfirmRequest,
  TotpEnrolment,
  TwoFactorStatus,
  type TwoFactorRoutes,
} from '../api/two-factor-contract.js';
import { validate, type RequestOptions } from '../api/booking-client.js';

export interface TwoFactorCall<T> {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** Absent: an empty answer (204). */
  schema?: z.ZodMiniType<T>;
}

/** What the prompt needs; every call is a person's action unless said otherwise. */
export interface TwoFactorApi {
  status(options?: RequestOptions): Promise<TwoFactorStatus>;
  enrolTotp(options?: RequestOptions): Promise<TotpEnrolment>;
  confirmTotp(request: z.input<typeof TotpConfirmRequest>, options?: RequestOptions): Promise<FactorAdded>;
  removeTotp(request: z.input<typeof PasswordConfirmation>, options?: RequestOptions): Promise<void>;
  passkeyCreationOptions(options?: RequestOptions): Promise<PasskeyCreationOptions>;
  addPasskey(request: z.input<typeof AddPasskeyRequest>, options?: RequestOptions): Promise<FactorAdded>;
  renamePasskey(
    id: string,
    request: z.input<typeof RenamePasskeyRequest>,
    options?: RequestOptions,
  ): Promise<void>;
  removePasskey(
    id: string,
    request: z.input<typeof PasswordConfirmation>,
    options?: RequestOptions,
  ): Promise<void>;
  regenerateRecoveryCodes(
    request: z.input<typeof PasswordConfirmation>,
    options?: RequestOptions,
  ): Promise<RecoveryCodes>;
  challengeTotp(
    request: z.input<typeof CodeChallengeRequest>,
    options?: RequestOptions,
  ): Promise<ChallengePassed>;
  challengeRecovery(
    request: z.input<typeof CodeChallengeRequest>,
    options?: RequestOptions,
  ): Promise<ChallengePassed>;
  passkeyRequestOptions(options?: RequestOptions): Promise<PasskeyRequestOptions>;
  challengePasskey(
    request: z.input<typeof PasskeyChallengeRequest>,
    options?: RequestOptions,
  ): Promise<ChallengePassed>;
}

export type TwoFactorSend = <T>(call: TwoFactorCall<T>, options: RequestOptions) => Promise<T>;

export class TwoFactorClient implements TwoFactorApi {
  constructor(
    private readonly send: TwoFactorSend,
    private readonly routes: TwoFactorRoutes,
  ) {}

  status(options: RequestOptions = {}) {
    return this.send({ method: 'GET', path: this.routes.status, schema: TwoFactorStatus }, options);
  }

  enrolTotp(options: RequestOptions = {}) {
    return this.send({ method: 'POST', path: this.routes.totpEnrol, schema: TotpEnrolment }, options);
  }

  confirmTotp(request: z.input<typeof TotpConfirmRequest>, options: RequestOptions = {}) {
    const body = validate('code', TotpConfirmRequest, request);
    return this.send({ method: 'POST', path: this.routes.totpConfirm, body, schema: FactorAdded }, options);
  }

  removeTotp(request: z.input<typeof PasswordConfirmation>, options: RequestOptions = {}) {
    const body = validate('password', PasswordConfirmation, request);
    return this.send<void>({ method: 'POST', path: this.routes.totpRemove, body }, options);
  }

  passkeyCreationOptions(options: RequestOptions = {}) {
    return this.send(
      { method: 'POST', path: this.routes.passkeyOptions, schema: PasskeyCreationOptions },
      options,
    );
  }

  addPasskey(request: z.input<typeof AddPasskeyRequest>, options: RequestOptions = {}) {
    const body = validate('passkey', AddPasskeyRequest, request);
    return this.send({ method: 'POST', path: this.routes.passkeyAdd, body, schema: FactorAdded }, options);
  }

  renamePasskey(id: string, request: z.input<typeof RenamePasskeyRequest>, options: RequestOptions = {}) {
    validate('passkey id', FactorId, id, 'id');
    const body = validate('name', RenamePasskeyRequest, request);
    return this.send<void>({ method: 'POST', path: this.routes.passkeyRename(id), body }, options);
  }

  removePasskey(id: string, request: z.input<typeof PasswordConfirmation>, options: RequestOptions = {}) {
    validate('passkey id', FactorId, id, 'id');
    const body = validate('password', PasswordConfirmation, request);
    return this.send<void>({ method: 'POST', path: this.routes.passkeyRemove(id), body }, options);
  }

  regenerateRecoveryCodes(request: z.input<typeof PasswordConfirmation>, options: RequestOptions = {}) {
    const body = validate('password', PasswordConfirmation, request);
    return this.send(
      { method: 'POST', path: this.routes.recoveryRegenerate, body, schema: RecoveryCodes },
      options,
    );
  }

  challengeTotp(request: z.input<typeof CodeChallengeRequest>, options: RequestOptions = {}) {
    const body = validate('code', CodeChallengeRequest, request);
    return this.send(
      { method: 'POST', path: this.routes.challengeTotp, body, schema: ChallengePassed },
      options,
    );
  }

  challengeRecovery(request: z.input<typeof CodeChallengeRequest>, options: RequestOptions = {}) {
    const body = validate('code', CodeChallengeRequest, request);
    return this.send(
      { method: 'POST', path: this.routes.challengeRecovery, body, schema: ChallengePassed },
      options,
    );
  }

  passkeyRequestOptions(options: RequestOptions = {}) {
    return this.send(
      { method: 'POST', path: this.routes.challengePasskeyOptions, schema: PasskeyRequestOptions },
      options,
    );
  }

  challengePasskey(request: z.input<typeof PasskeyChallengeRequest>, options: RequestOptions = {}) {
    const body = validate('passkey', PasskeyChallengeRequest, request);
    return this.send(
      { method: 'POST', path: this.routes.challengePasskey, body, schema: ChallengePassed },
      options,
    );
  }
}
