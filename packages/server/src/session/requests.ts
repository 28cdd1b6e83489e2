/**
 * One handler per client frame type: checks the session's phase, calls the domain, and returns
 * the reply frame (or null when the handler already replied or no reply is due).
 */
import {
  SEARCH_SINCE,
  SUPPORTED_PROTOCOL_VERSIONS,
  type ClientFrame,
  type ClientFrameOf,
  type ServerFrame,
} from '@parley/protocol';
import { sessionInfo, type AuthenticatedSession } from '../domain/accounts.js';
import { DomainError } from '../domain/errors.js';
import type { ContactChange } from '../store/store.js';
import type { Session } from './session.js';

type Authed = Extract<Session['phase'], { name: 'authenticated' }>;

function requireAuth(session: Session): Authed {
  const phase = session.phase;
  if (phase.name !== 'authenticated') {
    throw new DomainError('unauthenticated', 'log in first (register, login or auth)');
  }
  return phase;
}

/**
 * Runs one register, login or auth. Only one may be in flight: two racing on one connection would
 * both succeed and leave it registered as two users' device.
 */
async function logIn<T extends AuthenticatedSession>(
  session: Session,
  attempt: () => Promise<T>,
): Promise<T> {
  if (session.phase.name !== 'anonymous') {
    throw new DomainError(
      'already_authenticated',
      session.phase.name === 'authenticating'
        ? 'a login on this connection is already in progress'
        : 'this connection is already logged in',
    );
  }
  session.phase = { name: 'authenticating' };
  try {
    const result = await attempt();
    session.authenticated(result.user, result.session);
    return result;
  } catch (error) {
    if (session.phase.name === 'authenticating') session.phase = { name: 'anonymous' };
    throw error;
  }
}

type ContactFrame = ClientFrameOf<
  | 'friend_request'
  | 'friend_accept'
  | 'friend_decline'
  | 'friend_cancel'
  | 'friend_remove'
  | 'friend_edit'
  | 'block'
  | 'unblock'
  | 'set_privacy'
>;

/** The contact change a frame asks for. */
function contactChange(frame: ContactFrame): ContactChange {
  switch (frame.type) {
    case 'friend_request':
      return { kind: 'request', peerId: frame.userId, note: frame.note ?? '' };
    case 'friend_accept':
      return { kind: 'accept', peerId: frame.userId };
    case 'friend_decline':
      return { kind: 'decline', peerId: frame.userId };
    case 'friend_cancel':
      return { kind: 'cancel', peerId: frame.userId };
    case 'friend_remove':
      return { kind: 'remove', peerId: frame.userId };
    case 'friend_edit':
      return { kind: 'edit', peerId: frame.userId, remark: frame.remark, grouping: frame.grouping };
    case 'block':
      return { kind: 'block', peerId: frame.userId };
    case 'unblock':
      return { kind: 'unblock', peerId: frame.userId };
    case 'set_privacy':
      return { kind: 'privacy', directMessages: frame.directMessages };
    default: {
      const unknownFrame: never = frame;
      throw new Error(`not a contact frame ${JSON.stringify(unknownFrame)}`);
    }
  }
}

function hello(session: Session, frame: ClientFrameOf<'hello'>): ServerFrame {
  if (session.phase.name !== 'greeting')
    throw new DomainError('out_of_order', 'hello was already said');
  const version = SUPPORTED_PROTOCOL_VERSIONS.find((v) => frame.versions.includes(v));
  if (version === undefined) {
    throw new DomainError(
      'unsupported_version',
      `server speaks protocol versions ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`,
    );
  }
  session.phase = { name: 'anonymous' };
  session.protocolVersion = version;
  const { limits } = session.ctx;
  return {
    type: 'welcome',
    id: frame.id,
    version,
    serverTime: session.ctx.now(),
    limits: {
      maxFrameBytes: limits.maxFrameBytes,
      maxMessageChars: limits.maxMessageChars,
      maxPageSize: limits.maxPageSize,
      heartbeatMs: limits.heartbeatMs,
      maxUploadBytes: limits.maxUploadBytes,
    },
    registration: session.ctx.domain.accounts.registrationMode,
  };
}

export async function handleRequest(
  session: Session,
  frame: ClientFrame,
): Promise<ServerFrame | null> {
  const { domain, now } = session.ctx;
  if (frame.type === 'hello') return hello(session, frame);
  // Even a ping waits for hello: the first frame tells the server which protocol it speaks.
  if (session.phase.name === 'greeting') throw new DomainError('out_of_order', 'send hello first');
  if (frame.type === 'ping') return { type: 'pong', id: frame.id, serverTime: now() };

  switch (frame.type) {
    case 'register':
    case 'login': {
      const result = await logIn(session, () =>
        frame.type === 'register'
          ? domain.accounts.register(
              frame.username,
              frame.password,
              session.connection.remoteAddress,
              frame.device,
              frame.invite,
            )
          : domain.accounts.login(
              frame.username,
              frame.password,
              session.connection.remoteAddress,
              frame.device,
            ),
      );
      return {
        type: 'authed',
        id: frame.id,
        user: result.user,
        session: sessionInfo(result.session),
        token: result.token,
      };
    }
    case 'auth': {
      const result = await logIn(session, () => domain.accounts.authenticate(frame.token));
      return {
        type: 'authed',
        id: frame.id,
        user: result.user,
        session: sessionInfo(result.session),
      };
    }
    case 'logout': {
      const authed = requireAuth(session);
      // This connection answers `ok` and says `logged_out` itself; the announced revocation is
      // for the other connections on the same token.
      authed.loggingOut = true;
      try {
        await domain.accounts.logout(authed.record, frame.everywhere ?? false);
      } catch (error) {
        authed.loggingOut = false;
        throw error;
      }
      session.send({ type: 'ok', id: frame.id });
      session.close('logged_out');
      return null;
    }
    case 'change_password': {
      const { record } = requireAuth(session);
      await domain.accounts.changePassword(
        record,
        session.connection.remoteAddress,
        frame.oldPassword,
        frame.newPassword,
      );
      return { type: 'ok', id: frame.id };
    }
    case 'whoami': {
      const { user, record } = requireAuth(session);
      return { type: 'me', id: frame.id, user, session: sessionInfo(record) };
    }
    case 'sessions': {
      const { record } = requireAuth(session);
      return {
        type: 'sessions',
        id: frame.id,
        sessions: await domain.accounts.listSessions(record),
      };
    }
    case 'revoke_session': {
      const { record } = requireAuth(session);
      await domain.accounts.revokeSession(record, frame.sessionId);
      return { type: 'ok', id: frame.id };
    }
    case 'open_direct': {
      const { user } = requireAuth(session);
      const conversation = await domain.conversations.openDirect(user.id, frame.username);
      return { type: 'conversation', id: frame.id, conversation };
    }
    case 'conversations': {
      const { user } = requireAuth(session);
      // A version-1 client does not page: it gets the first page, the most recently active.
      const page = await domain.conversations.list(user.id, frame);
      return { type: 'conversations', id: frame.id, ...page };
    }
    case 'send': {
      const { user } = requireAuth(session);
      const wait = session.ctx.registry.takeSendToken(user.id);
      if (wait > 0) throw new DomainError('rate_limited', 'sending too fast', wait);
      const sent = await domain.messages.send(
        user.id,
        frame.conversationId,
        frame.clientMsgId,
        frame.body,
        frame.attachment,
      );
      domain.typing.sent(user.id, frame.conversationId);
      return { type: 'sent', id: frame.id, ...sent };
    }
    case 'history': {
      const { user } = requireAuth(session);
      const page = await domain.messages.history(user.id, frame.conversationId, frame);
      return { type: 'history', id: frame.id, conversationId: frame.conversationId, ...page };
    }
    case 'sync': {
      const { user } = requireAuth(session);
      session.beginSync();
      // Subscribed before the page is read: an update committed after the read is then either
      // held for this device or pushed to it, never lost in between.
      if (!(await session.ctx.registry.subscribed(user.id)))
        throw new DomainError('unavailable', 'live updates are unavailable; sync again later');
      const page = await domain.sync.page({
        userId: user.id,
        fromPts: frame.pts,
        limit: frame.limit,
        version: session.protocolVersion,
      });
      const reply: ServerFrame = { type: 'updates', id: frame.id, ...page };
      if (page.more) return reply;
      session.goLive(page.pts, reply);
      return null;
    }
    case 'read': {
      const { user } = requireAuth(session);
      await domain.messages.markRead(user.id, frame.conversationId, frame.seq);
      return { type: 'ok', id: frame.id };
    }
    case 'ack': {
      const { user, record } = requireAuth(session);
      await domain.sync.ack(user.id, record.id, frame.pts);
      return null;
    }
    case 'find_user': {
      requireAuth(session);
      return { type: 'user', id: frame.id, user: await domain.contacts.findUser(frame.username) };
    }
    case 'contacts': {
      const { user } = requireAuth(session);
      return { type: 'contacts', id: frame.id, ...(await domain.contacts.list(user.id)) };
    }
    case 'friend_request':
    case 'friend_accept':
    case 'friend_decline':
    case 'friend_cancel':
    case 'friend_remove':
    case 'friend_edit':
    case 'block':
    case 'unblock':
    case 'set_privacy': {
      const { user } = requireAuth(session);
      await domain.contacts.change(user.id, contactChange(frame));
      return { type: 'ok', id: frame.id };
    }
    case 'set_presence': {
      const { user } = requireAuth(session);
      if (frame.choice !== undefined) await domain.presence.choose(user.id, frame.choice);
      if (frame.idle !== undefined && frame.idle !== session.idle) {
        session.idle = frame.idle;
        session.ctx.registry.activityChanged(session);
      }
      return { type: 'ok', id: frame.id };
    }
    case 'presence': {
      const { user } = requireAuth(session);
      const users = await domain.presence.query(user.id, frame.userIds);
      return { type: 'presence', id: frame.id, users };
    }
    case 'search': {
      const { user } = requireAuth(session);
      // A request only version-3 clients know: to an older one it is as if it did not exist.
      if (session.protocolVersion < SEARCH_SINCE) {
        throw new DomainError('unknown_type', `search needs protocol version ${SEARCH_SINCE}`);
      }
      return {
        type: 'search_results',
        id: frame.id,
        ...(await domain.search.search(user.id, frame)),
      };
    }
    case 'typing': {
      const { user } = requireAuth(session);
      await domain.typing.typing(user.id, frame.conversationId, frame.active);
      return null;
    }
    default: {
      const unreachable: never = frame;
      throw new Error(`unhandled frame ${JSON.stringify(unreachable)}`);
    }
  }
}
