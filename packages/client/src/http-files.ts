/**
 * Files over HTTP with the session token: URLs, fetch helpers, and HTTP answers as ParleyErrors.
 * The server answers `{"error": code}` bodies (docs/protocol.md, "Files over HTTP").
 */
import { ParleyError } from './errors.js';
import type { DownloadOptions, ParleyErrorCode } from './types.js';

/** `http://host:port` from `ws://host:port/ws` (`wss` gives `https`); null for TCP urls. */
export function httpUrlFrom(url: string): string | null {
  const parsed = /^(wss?):\/\/([^/?#]+)/i.exec(url);
  if (parsed === null) return null;
  return `${parsed[1]!.toLowerCase() === 'wss' ? 'https' : 'http'}://${parsed[2]}`;
}

export function fileUrl(httpUrl: string, fileId: string, thumbnail = false): string {
  return `${httpUrl}/api/files/${encodeURIComponent(fileId)}${thumbnail ? '/thumbnail' : ''}`;
}

function codeForStatus(status: number): ParleyErrorCode {
  switch (status) {
    case 401:
      return 'invalid_token';
    case 403:
      return 'forbidden';
    case 404:
    case 410:
      return 'not_found';
    case 413:
      return 'too_large';
    case 429:
      return 'rate_limited';
    case 503:
      return 'unavailable';
    default:
      return status >= 400 && status < 500 ? 'invalid' : 'internal';
  }
}

/** The ParleyError for a refused HTTP request. */
export function errorForStatus(status: number, text: string): ParleyError {
  return new ParleyError(codeForStatus(status), `HTTP ${status}: ${text.trim().slice(0, 200)}`);
}

export async function httpError(response: Response): Promise<ParleyError> {
  return errorForStatus(response.status, await response.text().catch(() => ''));
}

/** GETs a file (or its thumbnail) with the token; rejects with a ParleyError unless 2xx. */
export async function fetchFile(
  httpUrl: string,
  token: string | null,
  fileId: string,
  options: DownloadOptions = {},
): Promise<Response> {
  if (token === null) throw new ParleyError('unauthenticated', 'log in first');
  let response: Response;
  try {
    response = await fetch(fileUrl(httpUrl, fileId, options.thumbnail ?? false), {
      headers: { ...options.headers, authorization: `Bearer ${token}` },
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    throw new ParleyError('disconnected', `download failed: ${String(error)}`);
  }
  if (!response.ok) throw await httpError(response);
  return response;
}
