/**
 * The public HTTP side on Fastify: health and readiness probes, the web client, and the route
 * plugins other parts of the server register (uploads and downloads). WebSockets are not Fastify's:
 * the `ws` gateway takes the node server's 'upgrade' events. Metrics have their own listener
 * (metrics-http.ts), never this public one.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { answerErrorsAsJson, sendError } from './http-errors.js';
import { requestPath } from './request-path.js';
import { staticFileRoutes } from './static-files.js';

/** A route plugin: registers its routes (and their hooks) on its own encapsulated scope. */
export type HttpRoutes = (app: FastifyInstance) => void | Promise<void>;

export interface HttpOptions {
  /** PEM certificate and key: serve https (and wss through the same server). */
  tls: { cert: Buffer; key: Buffer } | null;
  /** The built web client, or null when there is none to serve. */
  webDir: string | null;
  /** True when this node should receive traffic (store reachable, not shutting down). */
  isReady: () => Promise<boolean>;
  /** Route plugins of other parts of the server, registered after the probes. */
  routes: readonly HttpRoutes[];
  /** Called with errors that became a 500, so they are logged. */
  onInternalError: (error: unknown) => void;
}

/**
 * Fastify's own answers to malformed requests, in the server's error shape. Shared by every
 * listener.
 */
export const HTTP_SERVER_OPTIONS = {
  logger: false,
  // Fastify answers a malformed URL (bad percent-encoding) before any hook runs.
  frameworkErrors: (_error, _request, reply) => void sendError(reply, 400),
  // The answer to a request that is no HTTP at all; the socket closes after it.
  clientErrorHandler: (_error, socket) => {
    if (socket.writable) {
      const body = '{"error":"bad_request"}';
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
  },
} satisfies FastifyServerOptions;

function securityHeaders(secure: boolean): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    // The web client is all same-origin and renders text; the policy forbids inline scripts, and
    // 'self' also admits the same origin's ws:/wss: (CSP level 3), so the page can reach no
    // other server.
    'content-security-policy':
      "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    // Only over TLS: a browser that saw it over plain http would ignore it anyway (RFC 6797), and a
    // server without TLS must not tell browsers to insist on it.
    ...(secure ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}

/** Builds the public HTTP app; its `server` is the node server to listen on and upgrade from. */
export async function createHttpApp(options: HttpOptions): Promise<FastifyInstance> {
  const { tls } = options;
  const headers = securityHeaders(tls !== null);
  const app = Fastify({
    ...HTTP_SERVER_OPTIONS,
    frameworkErrors: (_error, _request, reply) => void sendError(reply.headers(headers), 400),
    serverFactory: (handler): HttpServer =>
      tls ? createHttpsServer(tls, handler) : createHttpServer(handler),
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(headers);
    // Node's parser accepts targets such as "//[::1" that are no valid URL.
    if (requestPath(request.raw.url) === null) return sendError(reply, 400);
  });
  answerErrorsAsJson(app, options.onInternalError);

  app.get('/healthz', async (_request, reply) =>
    reply.header('cache-control', 'no-store').type('text/plain').send('ok\n'),
  );
  app.get('/readyz', async (_request, reply) => {
    const ready = await options.isReady();
    return reply
      .code(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .type('text/plain')
      .send(ready ? 'ready\n' : 'not ready\n');
  });

  const plugins = options.webDir
    ? [...options.routes, staticFileRoutes(options.webDir)]
    : options.routes;
  for (const routes of plugins) await app.register(async (scope) => routes(scope));
  await app.ready();
  return app;
}
