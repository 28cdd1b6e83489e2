/**
 * The two codecs. Over WebSocket a frame is one text message of JSON. Over TCP it is a 4-byte
 * big-endian length followed by that many bytes of UTF-8 JSON. Decoding validates against the
 * schemas, so code past the codec sees only well-typed frames.
 */
import type { z } from 'zod';
import type { ErrorCode } from './errors.js';
import {
  clientFrameSchema,
  clientFrameSchemas,
  serverFrameSchema,
  type ClientFrame,
  type ServerFrame,
} from './frames.js';
import { ABSOLUTE_MAX_FRAME_BYTES } from './limits.js';
import { findIllFormedString, isWellFormed } from './text.js';

export interface DecodeFailure {
  ok: false;
  code: ErrorCode;
  message: string;
  /** The request id, when the frame had a readable one: the error frame echoes it. */
  id: string | null;
}
export type DecodeResult<F> = { ok: true; frame: F } | DecodeFailure;

function fail(code: ErrorCode, message: string, id: string | null): DecodeFailure {
  return { ok: false, code, message, id };
}

function readId(value: Record<string, unknown>): string | null {
  const id = value['id'];
  return typeof id === 'string' && id.length > 0 && id.length <= 64 && isWellFormed(id) ? id : null;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid frame';
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

function parseObject(text: string): DecodeResult<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('bad_frame', 'frame is not valid JSON', null);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('bad_frame', 'frame must be a JSON object', null);
  }
  return { ok: true, frame: value as Record<string, unknown> };
}

/** Decodes and validates one frame sent by a client. Never throws. */
export function decodeClientFrame(text: string): DecodeResult<ClientFrame> {
  const parsedObject = parseObject(text);
  if (!parsedObject.ok) return parsedObject;
  const obj = parsedObject.frame;
  const id = readId(obj);
  const type = obj['type'];
  if (typeof type !== 'string') return fail('invalid', 'type: required string', id);
  if (!Object.hasOwn(clientFrameSchemas, type)) {
    return fail('unknown_type', `unknown frame type "${type.slice(0, 32)}"`, id);
  }
  // Before the schema: no string of any field, known now or added later, reaches the server
  // with a lone surrogate (text.ts says why).
  const illFormed = findIllFormedString(obj);
  if (illFormed !== null) {
    const path = illFormed.join('.');
    return fail('invalid', `${path}: must be well-formed UTF-16 (it holds a lone surrogate)`, id);
  }
  const parsed = clientFrameSchema.safeParse(obj);
  if (!parsed.success) return fail('invalid', describe(parsed.error), id);
  return { ok: true, frame: parsed.data };
}

/** Decodes and validates one frame sent by a server. Never throws. */
export function decodeServerFrame(text: string): DecodeResult<ServerFrame> {
  const parsedObject = parseObject(text);
  if (!parsedObject.ok) return parsedObject;
  const parsed = serverFrameSchema.safeParse(parsedObject.frame);
  if (!parsed.success) return fail('invalid', describe(parsed.error), readId(parsedObject.frame));
  return { ok: true, frame: parsed.data };
}

export function encodeFrame(frame: ClientFrame | ServerFrame): string {
  return JSON.stringify(frame);
}

// ---------------------------------------------------------------------------------------------
// TCP framing

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export const LENGTH_PREFIX_BYTES = 4;

/** Wraps an already-serialized frame for TCP: 4-byte big-endian length, then the UTF-8 bytes. */
export function encodeLengthPrefixed(json: string): Uint8Array {
  const body = utf8.encode(json);
  const out = new Uint8Array(LENGTH_PREFIX_BYTES + body.length);
  new DataView(out.buffer).setUint32(0, body.length, false);
  out.set(body, LENGTH_PREFIX_BYTES);
  return out;
}

/** Thrown by {@link LengthPrefixedDecoder} when the stream cannot be trusted any more. */
export class FramingError extends Error {
  constructor(
    readonly code: 'too_large' | 'bad_frame',
    message: string,
    /**
     * The complete frames that came before the bad one in the same `push`: they were sent
     * whole and in order, so a receiver handles them before it answers the bad one.
     */
    readonly framesBefore: readonly string[] = [],
  ) {
    super(message);
    this.name = 'FramingError';
  }
}

/**
 * Reassembles length-prefixed frames from a byte stream that arrives in arbitrary chunks. A
 * length above `maxFrameBytes` throws before any of the body is buffered, so a prefix that lies
 * costs the server nothing.
 */
export class LengthPrefixedDecoder {
  private chunks: Uint8Array[] = [];
  private buffered = 0;

  constructor(private readonly maxFrameBytes: number = ABSOLUTE_MAX_FRAME_BYTES) {}

  /** Feeds bytes in; returns every complete frame's text, in order. */
  push(chunk: Uint8Array): string[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: string[] = [];
    for (;;) {
      if (this.buffered < LENGTH_PREFIX_BYTES) break;
      const head = this.peek(LENGTH_PREFIX_BYTES);
      const length = new DataView(head.buffer, head.byteOffset, 4).getUint32(0, false);
      if (length > this.maxFrameBytes) {
        throw new FramingError(
          'too_large',
          `frame of ${length} bytes exceeds ${this.maxFrameBytes}`,
          frames,
        );
      }
      if (this.buffered < LENGTH_PREFIX_BYTES + length) break;
      const bytes = this.take(LENGTH_PREFIX_BYTES + length).subarray(LENGTH_PREFIX_BYTES);
      try {
        frames.push(utf8Decoder.decode(bytes));
      } catch {
        throw new FramingError('bad_frame', 'frame is not valid UTF-8', frames);
      }
    }
    return frames;
  }

  /** Bytes received but not yet part of a complete frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  private peek(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length >= n) return first;
    this.chunks = [concat(this.chunks, this.buffered)];
    return this.chunks[0]!;
  }

  private take(n: number): Uint8Array {
    let first = this.chunks[0]!;
    if (first.length < n) {
      first = concat(this.chunks, this.buffered);
      this.chunks = [first];
    }
    const out = first.subarray(0, n);
    const rest = first.subarray(n);
    if (rest.length > 0) this.chunks[0] = rest;
    else this.chunks.shift();
    this.buffered -= n;
    return out;
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
