/**
 * Accounts and sessions: register, log in, resume with a token, log out, change password, and the
 * user's list of devices. Every way in answers `invalid_credentials` alike for a wrong password
 * and an unknown username.
 */
import {
  USERNAME_PATTERN,
  type DeviceSession,
  type SessionInfo,
  type User,
} from '@parley/protocol';
import type { SessionRecord, Store, UserRecord } from '../store/store.js';
import type { AuthEvent, RegistrationRefusal } from './auth-events.js';
import { DomainError } from './errors.js';
import type { LoginThrottle } from './login-throttle.js';
import type { Publisher } from './publisher.js';
import {
  checkPasswordPolicy,
  hashPassword,
  verifyAgainstDummy,
  verifyPassword,
} from './passwords.js';
import type { RegistrationGate } from './registration.js';
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
  /** Failed logins per (username, IP) and per IP, counted before each password check. */
  throttle: LoginThrottle;
  registration: RegistrationGate;
  sessionTtlMs: number;
  /** Live sessions a user may have; a new login past it ends the least recently seen. */
  maxSessionsPerUser: number;
  now: () => number;
  onEvent?: (event: AuthEvent) => void;
}

const DEFAULT_DEVICE = 'unknown device';
/** "Last seen" is kept to the minute: a reconnect storm does not rewrite every session row. */
const LAST_SEEN_GRANULARITY_MS = 60_000;

export function sessionInfo(session: SessionRecord): SessionInfo {
  return { id: session.id, device: session.device, expiresAt: session.expiresAt };
}

/** Usernames are case-insensitive: stored and compared in lower case. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

const wrongCredentials = () => new DomainError('invalid_credentials', 'wrong username or password');

export function createAccounts(deps: AccountsDeps) {
  const { store, publisher, throttle, registration, now } = deps;
  const report = (event: AuthEvent) => deps.onEvent?.(event);

  /** Tells every node to close the devices of these sessions. */
  const announceRevoked = (userId: number, sessionIds: number[]) =>
    publisher.revoked(userId, sessionIds);

  /** Opens a session for a password just verified; null when it changed in the meantime. */
  async function openSession(
    user: UserRecord,
    device: string | undefined,
  ): Promise<NewSessionResult | null> {
    const token = newToken();
    const at = now();
    const created = await store.createSession(
      {
        userId: user.id,
        tokenHash: hashToken(token),
        device: device ?? DEFAULT_DEVICE,
        expiresAt: at + deps.sessionTtlMs,
        verifiedPasswordHash: user.passwordHash,
        maxPerUser: deps.maxSessionsPerUser,
      },
      at,
    );
    if (created.kind === 'stale_password') return null;
    await announceRevoked(user.id, created.revoked);
    return { user: { id: user.id, username: user.username }, session: created.session, token };
  }

  /** Counts an attempt before its password is checked, or refuses it with when to retry. */
  async function admitAttempt(username: string, ip: string): Promise<void> {
    const attempt = await throttle.attempt(username, ip, now());
    if (!attempt.ok) {
      report({ kind: 'login_refused', username, ip, ...attempt });
      throw new DomainError(
        'too_many_attempts',
        'too many failed attempts; try again later',
        attempt.retryAfterMs,
      );
    }
    for (const backoff of attempt.backoffs) {
      report({ kind: 'login_throttled', username, ip, ...backoff });
    }
  }

  async function failed(username: string, ip: string): Promise<void> {
    await throttle.failed(username, ip, now());
    report({ kind: 'login_failed', username, ip });
  }

  async function checkPassword(user: UserRecord | null, password: string): Promise<boolean> {
    report({ kind: 'password_checked' });
    if (user) return verifyPassword(user.passwordHash, password);
    await verifyAgainstDummy(password);
    return false;
  }

  return {
    registrationMode: registration.mode,

    async register(
      rawUsername: string,
      password: string,
      ip: string,
      device?: string,
      invite?: string,
    ): Promise<NewSessionResult> {
      const username = normalizeUsername(rawUsername);
      const refused = (reason: RegistrationRefusal, error: unknown) => {
        report({ kind: 'registration_refused', ip, reason });
        return error;
      };
      let needsInvite: boolean;
      try {
        ({ needsInvite } = registration.checkMode(invite));
      } catch (error) {
        throw refused(registration.mode === 'closed' ? 'closed' : 'invalid_invite', error);
      }
      if (!USERNAME_PATTERN.test(username)) {
        throw new DomainError(
          'invalid_username',
          'username must be 3-32 characters of a-z, 0-9, _ . - and start with a letter',
        );
      }
      checkPasswordPolicy(password, username);
      // Counted only now: a refusal above costs nothing, so it does not use up the IP's quota.
      try {
        await registration.take(ip, now());
      } catch (error) {
        throw refused('rate_limited', error);
      }
      const passwordHash = await hashPassword(password);
      let user: UserRecord;
      if (needsInvite && invite !== undefined) {
        const result = await store.createInvitedUser(
          username,
          passwordHash,
          hashToken(invite),
          now(),
        );
        if (result.kind === 'invalid_invite') {
          report({ kind: 'registration_refused', ip, reason: 'invalid_invite' });
          throw new DomainError('invalid_invite', 'that invite code is unknown or already used');
        }
        if (result.kind === 'username_taken')
          throw new DomainError('username_taken', 'that username is taken');
        user = result.user;
      } else {
        const created = await store.createUser(username, passwordHash, now());
        if (!created) throw new DomainError('username_taken', 'that username is taken');
        user = created;
      }
      report({ kind: 'registered', username, ip });
      const opened = await openSession(user, device);
      // Nobody else knows the new password yet, so it cannot have changed.
      if (!opened) throw new Error('a new account had its password changed before it logged in');
      return opened;
    },

    async login(
      rawUsername: string,
      password: string,
      ip: string,
      device?: string,
    ): Promise<NewSessionResult> {
      const username = normalizeUsername(rawUsername);
      await admitAttempt(username, ip);
      const user = await store.findUserByUsername(username);
      const ok = await checkPassword(user, password);
      if (!user || !ok) {
        await failed(username, ip);
        throw wrongCredentials();
      }
      await throttle.succeeded(username, ip);
      // The password may have changed while it was being checked: then it is no longer right.
      const opened = await openSession(user, device);
      if (!opened) throw wrongCredentials();
      report({ kind: 'login_succeeded', username, ip });
      return opened;
    },

    /** Resumes a session from its token: a hash and one lookup, never an argon2 run. */
    async authenticate(token: string): Promise<AuthenticatedSession> {
      const at = now();
      const session = await store.findSession(hashToken(token), at);
      const user = session ? await store.findUserById(session.userId) : null;
      if (!session || !user)
        throw new DomainError('invalid_token', 'session is unknown, expired or revoked');
      if (at - session.lastSeenAt >= LAST_SEEN_GRANULARITY_MS) {
        await store.touchSession(session.id, at);
        session.lastSeenAt = at;
      }
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

    /** The user's logged-in devices, most recently seen first; `current` marks this one. */
    async listSessions(current: SessionRecord): Promise<DeviceSession[]> {
      const sessions = await store.listSessions(current.userId, now());
      return sessions.map((s) => ({
        id: s.id,
        device: s.device,
        createdAt: s.createdAt,
        lastSeenAt: s.id === current.id ? Math.max(s.lastSeenAt, current.lastSeenAt) : s.lastSeenAt,
        expiresAt: s.expiresAt,
        current: s.id === current.id,
      }));
    },

    /** Logs out another device of the user; its open connections are closed at once. */
    async revokeSession(current: SessionRecord, sessionId: number): Promise<void> {
      if (sessionId === current.id) {
        throw new DomainError('invalid', 'that is this device: log out instead');
      }
      if (!(await store.revokeUserSession(current.userId, sessionId, now()))) {
        throw new DomainError('not_found', 'you have no such logged-in device');
      }
      await announceRevoked(current.userId, [sessionId]);
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
      await admitAttempt(user.username, ip);
      if (!(await checkPassword(user, oldPassword))) {
        await failed(user.username, ip);
        throw new DomainError('invalid_credentials', 'the current password is wrong');
      }
      await throttle.succeeded(user.username, ip);
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
