// The one error type for what the domain refuses: a code, a message for people, and the input at
// fault when there is one. Every way in maps it in one place: the staff API to an HTTP status and
// body (server/http/api/errors.ts), the admin CLI to an exit code (server/admin/cli.ts).
// Anything else thrown is a failure of the hub, not a refusal: a 500 or the CLI's failure code,
// logged with its stack.
//
// A low module: it imports only the contract's list of codes, so every stage may throw it.

import { domainErrorCodes, type DomainErrorCode } from '../contract/errors.js';

/** Every code a refusal can carry (the contract lists them: the API's error schema reuses it). */
export { domainErrorCodes, type DomainErrorCode };

export const isDomainErrorCode = (code: unknown): code is DomainErrorCode =>
  (domainErrorCodes as readonly unknown[]).includes(code);

export interface DomainErrorOptions {
  /** What caused the refusal, kept for the logs (pino prints its message and stack too). */
  cause?: unknown;
  /** For `too_many`: seconds until trying again may succeed. */
  retryAfterS?: number | undefined;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly retryAfterS: number | undefined;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The input at fault, as the caller names it (`minutes`, `plan.weight.gain3dKg`). */
    readonly field?: string,
    options: DomainErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterS = options.retryAfterS;
  }
}
