/**
 * `@parley/client`: the Parley SDK for browsers and Node. This entry imports no Node module (web
 * bundles include it); Node-only transports and file storage are in `@parley/client/node`.
 */
export * from './types.js';
export { ParleyClient } from './client.js';
export { ParleyFiles } from './files.js';
export { newClientMsgId } from './ids.js';
export { ParleyError } from './errors.js';
export { memoryStorage } from './storage.js';
export { localStorageStorage } from './local-storage.js';
export { backoffCap, backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export {
  webSocketTransport,
  type WebSocketConstructor,
  type WebSocketLike,
} from './transports/websocket.js';
