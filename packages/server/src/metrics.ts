/** Prometheus metrics, served at /metrics. Each node has its own registry. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'parley_' });
  const metrics = {
    registry,
    connections: new Gauge({
      name: 'parley_connections',
      help: 'Open client connections',
      labelNames: ['transport'] as const,
      registers: [registry],
    }),
    framesIn: new Counter({
      name: 'parley_frames_in_total',
      help: 'Frames received, by type ("invalid" for ones that failed to decode)',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    framesOut: new Counter({
      name: 'parley_frames_out_total',
      help: 'Frames sent',
      registers: [registry],
    }),
    errors: new Counter({
      name: 'parley_errors_total',
      help: 'Error frames sent, by code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    closes: new Counter({
      name: 'parley_server_closes_total',
      help: 'Connections the server closed, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    busGaps: new Counter({
      name: 'parley_bus_gaps_total',
      help: 'Times the bus connection came back after dropping; live devices then catch up from the store',
      registers: [registry],
    }),
    busErrors: new Counter({
      name: 'parley_bus_errors_total',
      help: 'Bus calls that failed, by operation (publish, subscribe, unsubscribe, handler); devices recover by sync',
      labelNames: ['op'] as const,
      registers: [registry],
    }),
    messagesStored: new Counter({
      name: 'parley_messages_stored_total',
      help: 'Messages committed',
      registers: [registry],
    }),
    commitSeconds: new Histogram({
      name: 'parley_commit_seconds',
      help: 'Time to commit one group-commit batch (transaction + fsync)',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    commitBatchSize: new Histogram({
      name: 'parley_commit_batch_size',
      help: 'Messages per group-commit batch',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
      registers: [registry],
    }),
    passwordChecks: new Counter({
      name: 'parley_password_checks_total',
      help: 'argon2 password verifications run (logins, password changes)',
      registers: [registry],
    }),
    logins: new Counter({
      name: 'parley_logins_total',
      help: 'Login attempts by result: success, failure (wrong password) or refused (throttled)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    loginThrottles: new Counter({
      name: 'parley_login_throttles_total',
      help: 'Login backoffs started, by scope: pair (username and IP) or ip',
      labelNames: ['scope'] as const,
      registers: [registry],
    }),
    registrations: new Counter({
      name: 'parley_registrations_total',
      help: 'Registrations by result: created, closed, invalid_invite or rate_limited',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
