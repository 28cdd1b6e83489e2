/** The shape of a command, and helpers to read its arguments. */
import type { ParseArgsConfig } from 'node:util';
import { usageError } from './cli-error.js';
import type { Context } from './context.js';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | undefined>;

export interface CommandInput {
  positionals: string[];
  values: Values;
}

export interface Command {
  name: string;
  /** Arguments as shown in help, e.g. "<username> <text...>". */
  args: string;
  summary: string;
  options: OptionSpecs;
  /** One line per option, for help. */
  optionHelp: string[];
  run(ctx: Context, input: CommandInput): Promise<void>;
}

/** Exactly `names.length` positionals, by name (for the error message). */
export function expectArgs(input: CommandInput, ...names: string[]): string[] {
  const given = input.positionals;
  if (given.length < names.length) throw usageError(`missing ${names[given.length]}`);
  if (given.length > names.length) throw usageError(`unexpected argument "${given[names.length]}"`);
  return given;
}

export function flag(values: Values, name: string): boolean {
  return values[name] === true;
}

/** A whole-number option within bounds, or `fallback` when absent. */
export function intOption(
  values: Values,
  name: string,
  fallback: number | null,
  min: number,
  max: number,
): number | null {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw usageError(`--${name} must be a whole number from ${min} to ${max}`);
  }
  return n;
}
