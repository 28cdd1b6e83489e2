/**
 * The one error type the SDK rejects with. Callers branch on `code` (stable), never on `message`
 * (for people, may change).
 */
import type { ErrorFrame } from '@parley/protocol';
import type { ParleyErrorCode } from './types.js';

export class ParleyError extends Error {
  override readonly name = 'ParleyError';
  /** Stable code: a server error code, `timeout` or `disconnected`. */
  readonly code: ParleyErrorCode;
  /** For `rate_limited` and `too_many_attempts`: how long to wait before trying again. */
  readonly retryAfterMs?: number;

  constructor(code: ParleyErrorCode, message: string, retryAfterMs?: number) {
    super(message);
    this.code = code;
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }

  static fromFrame(frame: ErrorFrame): ParleyError {
    return new ParleyError(frame.code, frame.message, frame.retryAfterMs);
  }
}

/** Wraps anything thrown into a ParleyError, keeping ParleyErrors as they are. */
export function toParleyError(error: unknown, fallback: ParleyErrorCode = 'internal'): ParleyError {
  if (error instanceof ParleyError) return error;
  return new ParleyError(fallback, error instanceof Error ? error.message : String(error));
}
