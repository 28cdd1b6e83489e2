/**
 * Errors the terminal client reports: a message for people and an exit code for scripts. SDK
 * errors are translated here, by code, into sentences that say what to do.
 */
import { ParleyError } from '@parley/client';
import { oneLine } from './format.js';

/** Exit codes, documented in `parley help`. */
export const EXIT = {
  ok: 0,
  /** The server refused (no such user, name taken, message refused, ...). */
  refused: 1,
  /** Bad command line. */
  usage: 2,
  /** The server could not be reached, or the connection was lost. */
  unreachable: 3,
  /** Not logged in, wrong password, session ended. */
  auth: 4,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.refused,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function usageError(message: string): CliError {
  return new CliError(`${message}\nRun "parley help" for usage.`, EXIT.usage);
}

export function notLoggedIn(server: string): CliError {
  return new CliError(
    `not logged in to ${server}: run "parley login <username>" (or "parley register <username>")`,
    EXIT.auth,
  );
}

export function sessionGone(server: string): CliError {
  return new CliError(
    `the saved session for ${server} has ended (logged out from another device, password ` +
      'changed, or expired): run "parley login <username>"',
    EXIT.auth,
  );
}

/** Turns anything thrown into a CliError; `subject` names what a not_found was about. */
export function toCliError(error: unknown, subject: string | null = null): CliError {
  if (error instanceof CliError) return error;
  if (!(error instanceof ParleyError)) {
    return new CliError(error instanceof Error ? error.message : String(error));
  }
  const wait = error.retryAfterMs ? ` Try again in ${Math.ceil(error.retryAfterMs / 1000)} s.` : '';
  switch (error.code) {
    case 'invalid_credentials':
      return new CliError('wrong username or password', EXIT.auth);
    case 'unauthenticated':
    case 'invalid_token':
      return new CliError('not logged in (the session ended): log in again', EXIT.auth);
    case 'not_found':
      return new CliError(subject ? `no such user: ${subject}` : error.message);
    case 'too_many_attempts':
      return new CliError(`too many failed attempts.${wait}`, EXIT.auth);
    case 'common_password':
      return new CliError(
        'that password is one of the most common passwords, the first an attacker tries: ' +
          'choose another',
      );
    case 'registration_closed':
      return new CliError('this server does not take new accounts');
    case 'invalid_invite':
      return new CliError(
        'registration on this server needs an invite code: ask its operator for one and run ' +
          '"parley register <username> --invite <code>"',
      );
    case 'friends_only':
      return new CliError(
        `${subject ?? 'this user'} takes messages from friends only: send a friend request ` +
          `with "parley friend add ${subject ?? '<username>'}"`,
      );
    case 'blocked':
      return new CliError('not possible: one of you blocked the other');
    case 'already_friends':
      return new CliError('you are friends already');
    case 'already_requested':
      return new CliError('your friend request is already waiting for an answer');
    case 'limit_reached':
      return new CliError('too many friends, requests or blocked users');
    case 'rate_limited':
      return new CliError(`the server asks to slow down.${wait}`);
    case 'timeout':
      return new CliError('the server did not answer in time', EXIT.unreachable);
    case 'disconnected':
      return new CliError(`lost the connection to the server (${error.message})`, EXIT.unreachable);
    case 'unavailable':
      return new CliError('the server is unavailable right now; try again later', EXIT.unreachable);
    default:
      // The server's words, on one line: they must not forge further lines of output.
      return new CliError(oneLine(error.message));
  }
}
