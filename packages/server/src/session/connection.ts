/**
 * What a gateway (WebSocket or TCP) gives a session: a way to send a frame's text and to end the
 * connection. The session never sees a socket.
 */
export type TransportKind = 'ws' | 'tcp';

export interface Connection {
  readonly transport: TransportKind;
  readonly remoteAddress: string;
  /** Queues one frame's JSON text. */
  send(text: string): void;
  /** Bytes queued to the socket and not yet written: the session's outbound queue. */
  bufferedBytes(): number;
  /** Closes once what is queued has been written, telling the peer `reason`. */
  end(reason: string): void;
  /** Drops the connection now, discarding what is queued. */
  destroy(): void;
}

/** The session side of a connection, which the gateway feeds. */
export interface ConnectionHandler {
  onFrame(text: string): void;
  /**
   * A frame the gateway could not pass on. `fatal` when the stream cannot be trusted any more (a
   * TCP length prefix that lies): the handler answers and closes; otherwise it only answers.
   */
  onFramingError(code: 'too_large' | 'bad_frame', message: string, fatal: boolean): void;
  onClose(): void;
}
