/** `@parley/client/node`: Node-only transports (TCP, WebSocket over `ws`) and file storage. */
export { tcpTransport, parseTcpUrl, type TcpTransportOptions } from './tcp.js';
export { nodeWebSocketTransport } from './websocket.js';
export { transportFor } from './transport-for.js';
export { fileStorage } from './file-storage.js';
