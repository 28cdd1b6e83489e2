/**
 * Turns the accounts service's events into log lines and metrics. Failed logins are logged at
 * info, throttles at warn; refused attempts only at debug (an attack makes thousands) but all
 * are counted. Never a password, token or invite code.
 */
import type { Logger } from 'pino';
import type { AuthEvent } from './domain/auth-events.js';
import type { Metrics } from './metrics.js';

export function authTelemetry(log: Logger, metrics: Metrics): (event: AuthEvent) => void {
  return (event) => {
    switch (event.kind) {
      case 'password_checked':
        metrics.passwordChecks.inc();
        break;
      case 'login_succeeded':
        metrics.logins.labels('success').inc();
        log.info({ username: event.username, ip: event.ip }, 'login');
        break;
      case 'login_failed':
        metrics.logins.labels('failure').inc();
        log.info({ username: event.username, ip: event.ip }, 'login failed');
        break;
      case 'login_refused':
        metrics.logins.labels('refused').inc();
        log.debug(
          {
            username: event.username,
            ip: event.ip,
            scope: event.scope,
            retryAfterMs: event.retryAfterMs,
          },
          'login refused: throttled',
        );
        break;
      case 'login_throttled':
        metrics.loginThrottles.labels(event.scope).inc();
        log.warn(
          { username: event.username, ip: event.ip, scope: event.scope, delayMs: event.delayMs },
          'login throttled',
        );
        break;
      case 'registered':
        metrics.registrations.labels('created').inc();
        log.info({ username: event.username, ip: event.ip }, 'registered');
        break;
      case 'registration_refused':
        metrics.registrations.labels(event.reason).inc();
        log.info({ ip: event.ip, reason: event.reason }, 'registration refused');
        break;
      default: {
        const unreachable: never = event;
        throw new Error(`unknown auth event ${JSON.stringify(unreachable)}`);
      }
    }
  };
}
