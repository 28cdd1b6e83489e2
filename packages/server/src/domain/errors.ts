import type { ErrorCode } from '@parley/protocol';

/**
 * A refusal the client should hear about, with a stable protocol error code. Anything else thrown
 * inside the domain is a bug and reaches the client as `internal`.
 */
export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
    /** `cause`: what the operator's log should say about it (the client never sees it). */
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
