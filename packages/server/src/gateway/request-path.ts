/**
 * The path of an HTTP request target. Node's parser accepts targets such as "//" or "//[::1"
 * that are no valid URL, so `new URL` throws on them; thrown from a request or upgrade handler,
 * that would crash the server on one request.
 */
export function requestPath(target: string | undefined): string | null {
  try {
    return new URL(target ?? '/', 'http://localhost').pathname;
  } catch {
    return null;
  }
}
