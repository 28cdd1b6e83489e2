/**
 * Parses the command line, runs the command, and turns any failure into a message on stderr and
 * an exit code. Never calls process.exit: the process ends when the last write is done.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CliError, EXIT, toCliError, usageError } from './cli-error.js';
import type { OptionSpecs, Values } from './command.js';
import { COMMANDS, findCommand } from './commands/index.js';
import { commandUsage, usage } from './commands/help.js';
import { Context, type Io } from './context.js';
import { colorsWanted, makeStyle, visible } from './format.js';

export const DEFAULT_SERVER = 'ws://localhost:8080/ws';

const GLOBAL_OPTIONS: OptionSpecs = {
  server: { type: 'string' },
  config: { type: 'string' },
  ca: { type: 'string' },
  'http-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export function defaultConfigPath(env: NodeJS.ProcessEnv): string {
  const base = env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(base, 'parley', 'config.json');
}

/** Runs `parley <argv>`; resolves with the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  let ctx: Context | null = null;
  try {
    // First pass: find the command (every command's options are declared so that their values
    // are not mistaken for it). Second pass: strict, with only that command's options.
    const allOptions = Object.assign({}, GLOBAL_OPTIONS, ...COMMANDS.map((c) => c.options));
    const loose = parseArgs({
      args: argv,
      options: allOptions,
      allowPositionals: true,
      strict: false,
    });
    const name = loose.positionals[0] ?? 'help';
    const command = findCommand(name);
    if (!command) throw usageError(`unknown command "${name}"`);
    const parsed = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    // parseArgs types its values from the literal option specs; ours are assembled at run time.
    const values = parsed.values as Values;
    if (values['help'] === true) {
      io.stdout.write(
        name === 'help' && !loose.positionals[0] ? usage(COMMANDS) : commandUsage(command),
      );
      return EXIT.ok;
    }
    const server = str(values['server']) ?? (io.env['PARLEY_SERVER'] || DEFAULT_SERVER);
    const config = str(values['config']) ?? (io.env['PARLEY_CONFIG'] || defaultConfigPath(io.env));
    const caPath = str(values['ca']) ?? (io.env['PARLEY_CA'] || null);
    const httpUrl = str(values['http-url']) ?? (io.env['PARLEY_HTTP_URL'] || null);
    ctx = new Context(io, server, config, caPath === null ? null : await readCa(caPath), httpUrl);
    const positionals = parsed.positionals.slice(loose.positionals[0] ? 1 : 0);
    await command.run(ctx, { positionals, values });
    return EXIT.ok;
  } catch (error) {
    const e = isParseArgsError(error) ? usageError(error.message) : toCliError(error);
    const style = makeStyle(colorsWanted(io.stderr, io.env));
    // The message may quote the server (or a peer's name): never let it drive the terminal.
    io.stderr.write(`${style.error('parley:')} ${visible(e.message, style.control)}\n`);
    return e instanceof CliError ? e.exitCode : EXIT.refused;
  } finally {
    ctx?.dispose();
  }
}

/** The --ca file, read once: a missing or unreadable one is a usage error, named. */
async function readCa(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? toCliError(error).message;
    throw usageError(`cannot read the --ca file ${path} (${why})`);
  }
}

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isParseArgsError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
