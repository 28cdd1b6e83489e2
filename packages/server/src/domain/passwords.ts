/**
 * Password hashing (argon2id with OWASP's recommended minimum: 19 MiB, 2 iterations, 1 lane) and
 * the password policy. Hashing runs on libuv's thread pool, off the event loop.
 */
import { hash, verify } from '@node-rs/argon2';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@parley/protocol';
import { COMMON_PASSWORDS_TEXT } from './common-passwords-list.js';
import { DomainError } from './errors.js';

const COMMON_PASSWORDS: ReadonlySet<string> = new Set(COMMON_PASSWORDS_TEXT.trim().split('\n'));

/** Whether the password is one of the most common ones, whatever its letter case. */
export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase());
}

const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * Verifies against a throwaway hash, so a login for a username that does not exist takes as long
 * as one for a username that does: timing must not reveal which usernames exist.
 */
let dummyHash: Promise<string> | null = null;
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword('parley-dummy-password');
  await verifyPassword(await dummyHash, password);
}

export function checkPasswordPolicy(password: string, username: string): void {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw new DomainError(
      'weak_password',
      `password must be at least ${PASSWORD_MIN_LENGTH} characters`,
    );
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw new DomainError(
      'weak_password',
      `password must be at most ${PASSWORD_MAX_LENGTH} characters`,
    );
  }
  if (password.toLowerCase().includes(username.toLowerCase())) {
    throw new DomainError('weak_password', 'password must not contain the username');
  }
  if (new Set(password).size < 4) {
    throw new DomainError('weak_password', 'password needs at least 4 different characters');
  }
  if (isCommonPassword(password)) {
    throw new DomainError(
      'common_password',
      'that password is one of the most common passwords; choose another',
    );
  }
}
