/**
 * The Store over any Kysely database: the adapters (sqlite.ts, postgres.ts) only open the
 * connection, say which dialect it is and how to recognise a transient failure. All SQL lives in
 * queries/, one module per concern.
 */
import { sql } from 'kysely';
import type { Store } from './store.js';
import type { QueryContext } from './queries/context.js';
import * as accounts from './queries/accounts.js';
import * as contacts from './queries/contacts.js';
import { changeContacts } from './queries/contact-changes.js';
import * as conversations from './queries/conversations.js';
import * as files from './queries/files.js';
import * as messages from './queries/messages.js';
import * as presence from './queries/presence.js';
import { searchMessages } from './queries/search.js';
import * as updates from './queries/updates.js';

export function createKyselyStore(ctx: QueryContext): Store {
  return {
    createUser: (username, passwordHash, now) =>
      accounts.createUser(ctx, username, passwordHash, now),
    createInvitedUser: (username, passwordHash, inviteCodeHash, now) =>
      accounts.createInvitedUser(ctx, username, passwordHash, inviteCodeHash, now),
    createInvite: (codeHash, now) => accounts.createInvite(ctx, codeHash, now),
    findUserByUsername: (username) => accounts.findUserByUsername(ctx, username),
    findUserById: (id) => accounts.findUserById(ctx, id),
    changePassword: (userId, passwordHash, keepSessionId, now) =>
      accounts.changePassword(ctx, userId, passwordHash, keepSessionId, now),

    createSession: (session, now) => accounts.createSession(ctx, session, now),
    findSession: (tokenHash, now) => accounts.findSession(ctx, tokenHash, now),
    listSessions: (userId, now) => accounts.listSessions(ctx, userId, now),
    touchSession: (sessionId, now) => accounts.touchSession(ctx, sessionId, now),
    revokeSession: (sessionId, now) => accounts.revokeSession(ctx, sessionId, now),
    revokeUserSession: (userId, sessionId, now) =>
      accounts.revokeUserSession(ctx, userId, sessionId, now),
    revokeUserSessions: (userId, exceptSessionId, now) =>
      accounts.revokeUserSessions(ctx, userId, exceptSessionId, now),
    ackSessions: (acks) => accounts.ackSessions(ctx, acks),

    openDirect: (userId, peerId, now) => conversations.openDirect(ctx, userId, peerId, now),
    conversationFor: (userId, conversationId) =>
      conversations.conversationFor(ctx, userId, conversationId),
    listConversations: (userId, page) => conversations.listConversations(ctx, userId, page),
    members: (conversationId) => conversations.members(ctx, conversationId),

    appendMessages: (batch, now) => messages.appendMessages(ctx, batch, now),
    history: (query) => messages.history(ctx, query),
    search: (query) => searchMessages(ctx, query),
    markRead: (userId, conversationId, seq, now) =>
      conversations.markRead(ctx, userId, conversationId, seq, now),

    changeContacts: (userId, change, now) => changeContacts(ctx, userId, change, now),
    contacts: (userId) => contacts.contacts(ctx, userId),
    messagingState: (senderId, peerId) => contacts.messagingState(ctx, senderId, peerId),
    createFile: (file, now) => files.createFile(ctx, file, now),
    findFile: (fileId) => files.findFile(ctx, fileId),
    findFileByUpload: (uploadId) => files.findFileByUpload(ctx, uploadId),
    readableFile: (userId, fileId) => files.readableFile(ctx, userId, fileId),
    deleteFile: (fileId) => files.deleteFile(ctx, fileId),
    presenceOf: (userIds) => presence.presenceOf(ctx, userIds),
    setPresenceChoice: (userId, choice) => presence.setPresenceChoice(ctx, userId, choice),
    setLastSeen: (userId, at) => presence.setLastSeen(ctx, userId, at),
    contactsOf: (userId) => presence.contactsOf(ctx, userId),

    currentPts: (userId) => updates.currentPts(ctx, userId),
    updatesSince: (userId, afterPts, limit) => updates.updatesSince(ctx, userId, afterPts, limit),

    ping: async () => {
      await sql`select 1`.execute(ctx.db);
    },
    close: () => ctx.db.destroy(),
  };
}
