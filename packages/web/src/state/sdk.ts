/**
 * The one place the web client meets the SDK. Every other module imports SDK types and the client
 * from here, so the UI depends on `@parley/client` in exactly one file.
 */
import { ParleyClient, localStorageStorage, webSocketTransport } from '@parley/client';

export type {
  Attachment,
  AttachmentKind,
  ClientEvents,
  ConnectionState,
  ContactsState,
  ConversationInfo,
  DirectMessageSetting,
  FileDescriptor,
  FileUpload,
  Friend,
  FriendRequest,
  ConversationSummary,
  HistoryPage,
  Message,
  OutboxEntry,
  SearchResult,
  SendAttachment,
  UploadStatus,
  User,
} from '@parley/client';

export type ChatClient = ParleyClient;

/** Where the SDK keeps the session token, sync cursor and outbox in localStorage. */
const STORAGE_KEY = 'parley.session';

/** The server's WebSocket endpoint: same origin, `/ws`. */
export function webSocketUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/** Creates the client for this page (a fresh one after each logout). */
export function createClient(): ChatClient {
  return new ParleyClient({
    url: webSocketUrl(window.location),
    transport: webSocketTransport(),
    storage: localStorageStorage(STORAGE_KEY),
    device: deviceName(navigator.userAgent),
    clientName: 'parley-web/0.1.0',
  });
}

/** The stable code of an SDK error (`ParleyError.code`), or null for anything else. */
export function errorCode(error: unknown): string | null {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return null;
}

/** A device name people recognise in a session list: "Chrome on Windows". */
export function deviceName(userAgent: string): string {
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'Browser';
  const os = /Windows/.test(userAgent)
    ? 'Windows'
    : /Android/.test(userAgent)
      ? 'Android'
      : /iPhone|iPad/.test(userAgent)
        ? 'iOS'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : 'web';
  return `${browser} on ${os}`;
}
