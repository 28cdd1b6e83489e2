#!/usr/bin/env node
/** Starts a Parley node from the environment and command line; stops gracefully on SIGTERM. */
import { startServer } from './app.js';
import { ConfigError, describeSettings } from './config.js';
import { createInvites } from './invite-command.js';
import { runMigrations } from './migrate-command.js';
import { StoreError } from './store/index.js';

const argv = process.argv.slice(2);
if (argv[0] === 'invite') {
  // An operator command, not a server start: print the codes and exit.
  try {
    for (const code of await createInvites(process.env, argv.slice(1))) console.log(code);
    process.exit(0);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    process.exit(2);
  }
}
if (argv[0] === 'migrate') {
  try {
    console.log(await runMigrations(process.env, argv.slice(1)));
    process.exit(0);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    process.exit(error instanceof ConfigError ? 2 : 1);
  }
}
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(
    `Usage: parley-server [--flag value ...]\n       parley-server invite [--count N] [--flag value ...]   (print registration invite codes)\n       parley-server migrate [--flag value ...]   (apply database migrations and exit)\n\nSettings (flag, environment variable, meaning):\n${describeSettings()}`,
  );
  process.exit(0);
}

try {
  const server = await startServer({}, process.env, argv);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: stopping`);
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  console.error(
    `Parley is running: web client ${server.httpUrl}, WebSocket ${server.wsUrl}, TCP ${server.tcpUrl}`,
  );
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  if (error instanceof StoreError && error.code === 'database_in_use') {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
