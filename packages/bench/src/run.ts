/**
 * One benchmark run: find or start the server, run the workload inside a measured window, stop
 * the server, write the JSON report.
 */
import { join } from 'node:path';
import { BenchArgsError, type BenchOptions } from './args.js';
import { Meter, type MeterReading } from './meter.js';
import { openFileLimit } from './proc-stats.js';
import { machineInfo, writeReport, type BenchReport } from './report.js';
import { attachServer, launchServer, type ServerTarget } from './server-launcher.js';
import { runW1 } from './workloads/w1.js';
import { runW2 } from './workloads/w2.js';

export interface RunOutcome {
  report: BenchReport;
  jsonPath: string;
}

// Files the server needs besides connections: its database, logs, listening sockets, pipes.
const SERVER_FD_HEADROOM = 1000;

/**
 * One server process cannot hold more connections than its open-file limit allows; asking for
 * more would only measure accept() failing, so refuse with the reason.
 */
function checkConnectionCeiling(options: BenchOptions, pid: number | null): void {
  if (options.workload !== 'w2') return;
  const limit = openFileLimit(pid ?? 'self');
  if (limit === null) return;
  const ceiling = limit - SERVER_FD_HEADROOM;
  if (options.connections > ceiling) {
    throw new BenchArgsError(
      'bad_value',
      `--connections ${options.connections} is above what one server process can hold here: ` +
        `its open-file limit is ${limit}, so about ${ceiling} connections at most ` +
        '(see docs/performance.md: more needs several server processes)',
    );
  }
}

export async function runBench(options: BenchOptions): Promise<RunOutcome> {
  const startedAt = new Date();
  if (options.url === null) checkConnectionCeiling(options, null);
  const target: ServerTarget =
    options.url === null
      ? await launchServer(options.transport, { pin: options.pin })
      : attachServer(options.url, options.serverPid);
  const runId = startedAt.getTime().toString(36) + Math.floor(Math.random() * 1296).toString(36);
  const meter = new Meter(target.pid, target.metricsUrl);
  let results: BenchReport['results'];
  let reading: MeterReading;
  try {
    if (options.url !== null) checkConnectionCeiling(options, target.pid);
    results =
      options.workload === 'w1'
        ? await runW1({ ...options, url: target.url, runId }, meter)
        : await runW2({ ...options, url: target.url, runId }, meter);
    // Before the server stops: the last /metrics read may still be in flight.
    reading = await meter.result();
  } finally {
    await target.stop();
  }
  const workerCpu = results.workload === 'w2' ? results.workerCpuSeconds : 0;
  const generatorCpuSeconds = reading.generatorCpuSeconds + workerCpu;
  const percentOfWindow = (seconds: number): number =>
    reading.windowSeconds > 0 ? Math.round((seconds / reading.windowSeconds) * 1000) / 10 : 0;
  const serverCpuSeconds =
    reading.serverCpuPercent === null
      ? null
      : (reading.serverCpuPercent / 100) * reading.windowSeconds;
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    options,
    machine: machineInfo(),
    server: {
      launched: target.launched,
      pid: target.pid,
      cpuPercent: reading.serverCpuPercent,
      rssKb: reading.serverRssKb,
      rssPeakKb: reading.serverRssPeakKb,
      exited: target.exited(),
    },
    generator: {
      processes: results.workload === 'w2' ? results.workers + 1 : 1,
      cpuPercent: percentOfWindow(generatorCpuSeconds),
    },
    otherProcessesCpuPercent:
      reading.machineCpuSeconds === null || serverCpuSeconds === null
        ? null
        : Math.max(
            0,
            percentOfWindow(reading.machineCpuSeconds - serverCpuSeconds - generatorCpuSeconds),
          ),
    commits: reading.commits,
    windowSeconds: reading.windowSeconds,
    results,
  };
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const jsonPath =
    options.jsonPath ??
    join('bench-results', `${options.workload}-${options.transport}-${stamp}.json`);
  writeReport(report, jsonPath);
  return { report, jsonPath };
}
