/**
 * The metrics listener: Prometheus text at /metrics and nothing else, on its own address
 * (loopback by default), so the public port never shows a node's internals.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { HTTP_SERVER_OPTIONS } from './http.js';
import { answerErrorsAsJson } from './http-errors.js';

export async function createMetricsApp(
  registry: Registry,
  onInternalError: (error: unknown) => void,
): Promise<FastifyInstance> {
  const app = Fastify(HTTP_SERVER_OPTIONS);
  answerErrorsAsJson(app, onInternalError);
  app.get('/metrics', async (_request, reply) =>
    reply
      .header('cache-control', 'no-store')
      .type(registry.contentType)
      .send(await registry.metrics()),
  );
  await app.ready();
  return app;
}
