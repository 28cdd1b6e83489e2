/** `@parley/cli` as a library: run the terminal client in-process (tests, embedding). */
export { run, DEFAULT_SERVER, defaultConfigPath } from './run.js';
export type { Io } from './context.js';
export { EXIT, CliError } from './cli-error.js';
