/**
 * Accounts and sessions: register, log in, resume with a token, log out, change password.
 * Every way in answers `invalid_credentials` alike for a wrong password and an unknown username.
 */
import { USERNAME_PATTERN, type SessionInfo, type User } from '@parley/protocol';
import type { SessionRecord, Store } from '../store/store.js';
import { DomainError } from './errors.js';
import type { LoginThrottle } from './login-throttle.js';
import type { Publisher } from './publisher.js';
import {
  checkPasswordPolicy,
  hashPassword,
  verifyAgainstDummy,
  verifyPassword,
} from './passwords.js';
import { hashToken, newToken } from './tokens.js';

export interface AuthenticatedSession {
  user: User;
  session: SessionRecord;
}

export interface NewSessionResult extends AuthenticatedSession {
  token: string;
}

export interface AccountsDeps {
  store: Store;
  publisher: Publisher;
  /** Failed logins per username, and (more leniently: NAT puts many people behind one) per IP. */
  throttles: { user: LoginThrottle; ip: LoginThrottle };
  sessionTtlMs: number;
  now: () => number;
}

const DEFAULT_DEVICE = 'unknown device';

export function sessionInfo(session: SessionRecord): SessionInfo {
  return { id: session.id, device: session.device, expiresAt: session.expiresAt };
}

/** Usernames are case-insensitive: stored and compared in lower case. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

export function createAccounts({ store, publisher, throttles, sessionTtlMs, now }: AccountsDeps) {
  async function openSession(user: User, device: string | undefined): Promise<NewSessionResult> {
    const token = newToken();
    const at = now();
    const session = await store.createSession(
      {
        userId: user.id,
        tokenHash: hashToken(token),
        device: device ?? DEFAULT_DEVICE,
        expiresAt: at + sessionTtlMs,
      },
      at,
    );
    return { user: { id: user.id, username: user.username }, session, token };
  }

  function checkThrottle(username: string, ip: string) {
    const wait = Math.max(
      throttles.user.blockedFor(username, now()),
      throttles.ip.blockedFor(ip, now()),
    );
    if (wait > 0) {
      throw new DomainError('too_many_attempts', 'too many failed attempts; try again later', wait);
    }
  }

  function recordFailure(username: string, ip: string) {
    throttles.user.recordFailure(username, now());
    throttles.ip.recordFailure(ip, now());
  }

  /** Tells every node to close the devices of these sessions. */
  const announceRevoked = (userId: number, sessionIds: number[]) =>
    publisher.revoked(userId, sessionIds);

  return {
    async register(
      rawUsername: string,
      password: string,
      device?: string,
    ): Promise<NewSessionResult> {
      const username = normalizeUsername(rawUsername);
      if (!USERNAME_PATTERN.test(username)) {
        throw new DomainError(
          'invalid_username',
          'username must be 3-32 characters of a-z, 0-9, _ . - and start with a letter',
        );
      }
      checkPasswordPolicy(password, username);
      const user = await store.createUser(username, await hashPassword(password), now());
      if (!user) throw new DomainError('username_taken', 'that username is taken');
      return openSession(user, device);
    },

    async login(
      rawUsername: string,
      password: string,
      ip: string,
      device?: string,
    ): Promise<NewSessionResult> {
      const username = normalizeUsername(rawUsername);
      checkThrottle(username, ip);
      const user = await store.findUserByUsername(username);
      const ok = user
        ? await verifyPassword(user.passwordHash, password)
        : (await verifyAgainstDummy(password), false);
      if (!user || !ok) {
        recordFailure(username, ip);
        throw new DomainError('invalid_credentials', 'wrong username or password');
      }
      throttles.user.reset(username);
      return openSession(user, device);
    },

    /** Resumes a session from its token: a hash and one lookup, never an argon2 run. */
    async authenticate(token: string): Promise<AuthenticatedSession> {
      const session = await store.findSession(hashToken(token), now());
      const user = session ? await store.findUserById(session.userId) : null;
      if (!session || !user)
        throw new DomainError('invalid_token', 'session is unknown, expired or revoked');
      return { user: { id: user.id, username: user.username }, session };
    },

    /**
     * Ends this session (and, `everywhere`, every other one of the user). Other connections on
     * this same token, such as a second terminal sharing one config file, are told as well.
     */
    async logout(session: SessionRecord, everywhere: boolean): Promise<void> {
      await store.revokeSession(session.id, now());
      const others = everywhere
        ? await store.revokeUserSessions(session.userId, session.id, now())
        : [];
      await announceRevoked(session.userId, [session.id, ...others]);
    },

    /** Changes the password and ends every other session of the user. */
    async changePassword(
      session: SessionRecord,
      ip: string,
      oldPassword: string,
      newPassword: string,
    ): Promise<void> {
      const user = await store.findUserById(session.userId);
      if (!user) throw new DomainError('invalid_token', 'session is unknown, expired or revoked');
      checkThrottle(user.username, ip);
      if (!(await verifyPassword(user.passwordHash, oldPassword))) {
        recordFailure(user.username, ip);
        throw new DomainError('invalid_credentials', 'the current password is wrong');
      }
      checkPasswordPolicy(newPassword, user.username);
      const revoked = await store.changePassword(
        user.id,
        await hashPassword(newPassword),
        session.id,
        now(),
      );
      await announceRevoked(user.id, revoked);
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
