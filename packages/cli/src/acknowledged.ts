/** Waiting for the server to store a sent message, with errors a person can act on. */
import type { OutboxEntry, ParleyClient } from '@parley/client';
import { CliError, EXIT } from './cli-error.js';

/** How long to wait for the ack, across a reconnect if one happens. */
const ACK_TIMEOUT_MS = 20_000;

/** Resolves when the entry is acknowledged; fails on refusal, session end or timeout. */
export function acknowledged(client: ParleyClient, entry: OutboxEntry): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error: CliError | null): void => {
      offOutbox();
      offState();
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    const check = (e: OutboxEntry): void => {
      if (e.clientMsgId !== entry.clientMsgId) return;
      if (e.status === 'sent') done(null);
      if (e.status === 'failed') done(new CliError(`message not sent: ${e.error.message}`));
    };
    const offOutbox = client.on('outbox', ({ entry: e }) => check(e));
    const offState = client.on('state', (state) => {
      if (state.status === 'closed') {
        done(new CliError(`message not sent: the session ended (${state.reason})`, EXIT.auth));
      }
    });
    const timer = setTimeout(() => {
      done(
        new CliError(
          'message not confirmed by the server in time (it may or may not have arrived)',
          EXIT.unreachable,
        ),
      );
    }, ACK_TIMEOUT_MS);
    check(entry);
  });
}
