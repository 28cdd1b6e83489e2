/**
 * The wire protocol version. A client names the versions it speaks in `hello`; the server answers
 * with the one it chose or an `unsupported_version` error. Bump on any incompatible frame change and
 * record the change in docs/protocol.md.
 */
export const PROTOCOL_VERSION = 3;

/** Versions this build can speak, newest first. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [3, 2, 1];
