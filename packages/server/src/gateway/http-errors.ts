/**
 * How every HTTP listener of the server answers what it does not serve: a JSON body
 * `{"error":"<code>"}` with a stable code, never an HTML page or a framework's own shape.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The codes HTTP errors carry; routes that answer errors themselves use these too. */
export type HttpErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'method_not_allowed'
  | 'too_large'
  | 'unsupported_media_type'
  | 'internal';

export function errorCodeOf(status: number): HttpErrorCode {
  switch (status) {
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 413:
      return 'too_large';
    case 415:
      return 'unsupported_media_type';
    default:
      return status >= 500 ? 'internal' : 'bad_request';
  }
}

export function sendError(reply: FastifyReply, status: number): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('application/json')
    .send(JSON.stringify({ error: errorCodeOf(status) }));
}

/**
 * Sets the not-found and error answers of `app`. Only GET and HEAD are served outside the routes
 * that say otherwise, so another method on a path no route takes is 405 with Allow (answered
 * before any body is read), and GET of such a path is 404. A route plugin whose paths take other
 * methods answers a method it lacks there itself if the Allow header must name them.
 */
export function answerErrorsAsJson(
  app: FastifyInstance,
  onInternalError: (error: unknown) => void,
): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.is404 && request.method !== 'GET' && request.method !== 'HEAD') {
      reply.header('allow', 'GET, HEAD');
      return sendError(reply, 405);
    }
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, 404));
  app.setErrorHandler((error: { statusCode?: number }, _request, reply) => {
    const status =
      typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) onInternalError(error);
    if (reply.sent || reply.raw.headersSent) return reply.raw.destroy();
    return sendError(reply, status);
  });
}
