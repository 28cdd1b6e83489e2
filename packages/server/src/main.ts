#!/usr/bin/env node
/**
 * Starts a Parley node from the environment and command line, or runs an operator command
 * (`invite`, `backup`). Stops gracefully on SIGTERM, SIGINT and SIGHUP.
 */
import { startServer } from './app.js';
import { backupDatabase } from './backup-command.js';
import { StartupError } from './boot/startup-error.js';
import { ConfigError, describeSettings } from './config.js';
import { createInvites } from './invite-command.js';
import { BackupError } from './store/sqlite/backup.js';

/** After the grace period, how long closing the store may take before the process just exits. */
const STOP_DEADLINE_EXTRA_MS = 10_000;

// A reader of stdout or stderr that has gone must not turn a log line into a crash.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

const argv = process.argv.slice(2);

/** Errors that are the operator's to fix: their message is all there is to say. */
function isOperatorError(error: unknown): error is Error {
  return (
    error instanceof ConfigError || error instanceof StartupError || error instanceof BackupError
  );
}

async function runCommand(run: () => Promise<void> | void): Promise<never> {
  try {
    await run();
    process.exit(0);
  } catch (error) {
    console.error(isOperatorError(error) ? error.message : String(error));
    process.exit(error instanceof ConfigError ? 2 : 1);
  }
}

if (argv[0] === 'invite') {
  await runCommand(async () => {
    for (const code of await createInvites(process.env, argv.slice(1))) console.log(code);
  });
}
if (argv[0] === 'backup') {
  await runCommand(() => {
    const { source, destination, bytes } = backupDatabase(process.env, argv.slice(1));
    console.error(`backed up ${source} to ${destination} (${bytes} bytes)`);
  });
}
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(
    [
      'Usage: parley-server [--flag value ...]',
      '       parley-server invite [--count N] [--flag value ...]   print registration invite codes',
      '       parley-server backup PATH [--flag value ...]          copy the SQLite database to PATH',
      '',
      'Settings (flag, environment variable, meaning):',
      describeSettings(),
    ].join('\n'),
  );
  process.exit(0);
}

try {
  const server = await startServer({}, process.env, argv);
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`${signal} again: exiting without waiting for the drain`);
      process.exit(1);
    }
    stopping = true;
    console.error(`${signal}: draining connections, then stopping`);
    // Nothing the drain waits on may hold the process forever (a store that does not answer).
    setTimeout(() => {
      console.error('stop took too long: exiting');
      process.exit(1);
    }, server.config.shutdownGraceMs + STOP_DEADLINE_EXTRA_MS).unref();
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`stop failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, shutdown);
  console.error(
    `Parley is running: web client ${server.httpUrl}, WebSocket ${server.wsUrl}, TCP ${server.tcpUrl}\n` +
      `Data: ${server.dataLocation}` +
      (server.metricsUrl ? `\nMetrics (Prometheus): ${server.metricsUrl}` : ''),
  );
} catch (error) {
  if (!isOperatorError(error)) throw error;
  console.error(error.message);
  process.exit(error instanceof ConfigError ? 2 : 1);
}
