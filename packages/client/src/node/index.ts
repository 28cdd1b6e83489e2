/** `@parley/client/node`: Node-only transports (TCP, WebSocket over `ws`) and file storage. */
export { tcpTransport, parseTcpUrl, type TcpTransportOptions } from './tcp.js';
export { nodeWebSocketTransport, type NodeWebSocketOptions } from './websocket.js';
export { transportFor, type TransportForOptions } from './transport-for.js';
export { fileStorage } from './file-storage.js';
export { fileSource, downloadToFile, type DownloadToFileOptions } from './files.js';
