#!/usr/bin/env node
/**
 * `npm run bench -- <options>`: runs one workload and prints its table. Exit codes: 0 clean run,
 * 1 the run could not be done, 2 bad options, 3 the run finished but lost messages or
 * connections.
 */
import { spawn } from 'node:child_process';
import { BenchArgsError, parseArgs, USAGE, type BenchOptions } from './args.js';
import { formatTable, runWasClean } from './report.js';
import { runBench } from './run.js';
import { canPin } from './util.js';

const PINNED_ENV = 'PARLEY_BENCH_PINNED';

/**
 * The server gets core 0 and the generator core 1, so neither steals the other's CPU and a
 * generator-bound run shows as such. The generator pins itself by re-running under taskset; its
 * worker processes inherit the pinning.
 */
function rerunPinned(): void {
  const child = spawn(
    'taskset',
    ['-c', '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit', env: { ...process.env, [PINNED_ENV]: '1' } },
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions | null;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (error instanceof BenchArgsError) {
      console.error(`parley-bench: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (options === null) {
    console.log(USAGE);
    return 0;
  }
  if (options.pin && process.env[PINNED_ENV] !== '1' && canPin()) {
    rerunPinned();
    return -1;
  }
  console.error(
    `parley-bench: ${options.workload} over ${options.transport}` +
      (options.url ? ` against ${options.url}` : ' against a server started for this run') +
      (options.pin && canPin() ? ' (server on core 0, generator on core 1)' : ' (not pinned)'),
  );
  try {
    const { report, jsonPath } = await runBench(options);
    console.log(formatTable(report));
    console.log(`  report written to ${jsonPath}`);
    return runWasClean(report) ? 0 : 3;
  } catch (error) {
    if (error instanceof BenchArgsError) {
      console.error(`parley-bench: ${error.message}`);
      return 2;
    }
    console.error(`parley-bench: ${(error as Error).stack ?? String(error)}`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
// Sockets closed a moment ago can keep the loop alive briefly; the run is over.
if (code >= 0) process.exit(code);
