/**
 * The HTTP side: health and readiness probes, Prometheus metrics, and the web client. Anything
 * else is a 404; only GET and HEAD are served.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { requestPath } from './request-path.js';
import type { createStaticHandler } from './static-files.js';

export interface HttpOptions {
  serveStatic: ReturnType<typeof createStaticHandler> | null;
  metrics: Registry | null;
  /** True when this node should receive traffic (store reachable, not shutting down). */
  isReady: () => Promise<boolean>;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  // The web client is all same-origin; it renders text, and the policy forbids inline scripts.
  'content-security-policy':
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
};

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export function createHttpHandler({ serveStatic, metrics, isReady }: HttpOptions) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'application/json', '{"error":"method_not_allowed"}');
    }
    const pathname = requestPath(req.url);
    if (pathname === null) return send(res, 400, 'application/json', '{"error":"bad_request"}');
    try {
      switch (pathname) {
        case '/healthz':
          return send(res, 200, 'text/plain', 'ok\n');
        case '/readyz':
          return (await isReady())
            ? send(res, 200, 'text/plain', 'ready\n')
            : send(res, 503, 'text/plain', 'not ready\n');
        case '/metrics':
          if (metrics) return send(res, 200, metrics.contentType, await metrics.metrics());
          break;
      }
      if (serveStatic && (await serveStatic(req, res, pathname))) return;
      send(res, 404, 'application/json', '{"error":"not_found"}');
    } catch {
      if (!res.headersSent) send(res, 500, 'application/json', '{"error":"internal"}');
      else res.destroy();
    }
  };
}
