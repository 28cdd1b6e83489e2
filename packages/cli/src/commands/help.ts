/** `parley help [command]`: usage. */
import type { Command } from '../command.js';
import { EXIT } from '../cli-error.js';

export const GLOBAL_HELP = [
  '--server <url>     server: ws://host:8080/ws, wss://..., tcp://host:8081 or tls://...',
  '                   (env PARLEY_SERVER; default ws://localhost:8080/ws)',
  '--config <file>    where sessions are kept, one account per server, mode 0600; one file',
  '                   per person when several share a machine',
  '                   (env PARLEY_CONFIG; default $XDG_CONFIG_HOME/parley/config.json, else',
  '                   ~/.config/parley/config.json)',
  '--ca <file>        PEM certificate(s) to trust for wss:// and tls:// (a private CA or a',
  '                   self-signed server), besides the system ones (env PARLEY_CA; default none)',
  '--http-url <url>   where files go over tcp:// and tls://, e.g. http://host:8080',
  "                   (env PARLEY_HTTP_URL; default: the ws:// or wss:// server's own address)",
  '-h, --help         show help',
];

const EXIT_HELP = [
  `${EXIT.ok}  done`,
  `${EXIT.refused}  the server refused (no such user, name taken, message refused, ...)`,
  `${EXIT.usage}  bad command line`,
  `${EXIT.unreachable}  the server could not be reached or did not answer`,
  `${EXIT.auth}  not logged in, wrong password, or the session ended`,
];

export function usage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => `${c.name} ${c.args}`.length));
  const lines = [
    'parley: the Parley terminal client',
    '',
    'Usage: parley [--server <url>] [--config <file>] [--ca <file>] [--http-url <url>] <command> [...]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${`${c.name} ${c.args}`.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    ...GLOBAL_HELP.map((l) => `  ${l}`),
    '',
    'Passwords are read from the terminal with echo off; scripts use --password-stdin or',
    'PARLEY_PASSWORD (and PARLEY_NEW_PASSWORD for passwd).',
    '',
    'Exit codes:',
    ...EXIT_HELP.map((l) => `  ${l}`),
    '',
    'Run "parley help <command>" for a command\'s options.',
  ];
  return `${lines.join('\n')}\n`;
}

export function commandUsage(command: Command): string {
  const lines = [`Usage: parley ${command.name} ${command.args}`.trimEnd(), '', command.summary];
  if (command.optionHelp.length > 0) {
    lines.push('', 'Options:', ...command.optionHelp.map((l) => `  ${l}`));
  }
  lines.push('', 'Global options:', ...GLOBAL_HELP.map((l) => `  ${l}`));
  return `${lines.join('\n')}\n`;
}

export const help: Command = {
  name: 'help',
  args: '[command]',
  summary: "show this help, or a command's",
  options: {},
  optionHelp: [],
  async run(ctx, input) {
    // Imported lazily: the command list imports this file.
    const { COMMANDS, findCommand } = await import('./index.js');
    const name = input.positionals[0];
    const command = name ? findCommand(name) : null;
    ctx.stdout.write(command ? commandUsage(command) : usage(COMMANDS));
  },
};
