/**
 * The run's report: one JSON document (kept in bench-results/ for docs/performance.md) and the
 * table printed at the end of a run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { BenchOptions } from './args.js';
import type { CommitStats } from './server-metrics.js';
import type { LatencySummary } from './stats.js';
import type { W1Results } from './workloads/w1.js';
import type { W2Results } from './workloads/w2.js';

export interface BenchReport {
  startedAt: string;
  options: BenchOptions;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; kernel: string };
  server: {
    launched: boolean;
    pid: number | null;
    /** Percent of one core over the measured window; null when not measurable. */
    cpuPercent: number | null;
    rssKb: number | null;
    rssPeakKb: number | null;
    /** Why the server ended during the run; null if it kept running. */
    exited: string | null;
  };
  generator: {
    processes: number;
    /** Percent of one core over the measured window, summed over processes. */
    cpuPercent: number;
  };
  /**
   * CPU the rest of the machine used during the window (percent of one core): other programs
   * competing for the two cores disturb the figures. Null when the server's PID is unknown.
   */
  otherProcessesCpuPercent: number | null;
  /** The server's group commit over the window (from /metrics); null when not reachable. */
  commits: CommitStats | null;
  windowSeconds: number;
  results: W1Results | W2Results;
}

export function machineInfo(): BenchReport['machine'] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: release(),
  };
}

/** True when nothing was lost and every connection stayed up. */
export function runWasClean(report: BenchReport): boolean {
  if (report.server.exited !== null) return false;
  const r = report.results;
  if (r.workload === 'w1') return r.lost === 0 && r.acked === r.sent;
  return r.alive === r.connections && r.failedToConnect === 0;
}

export function writeReport(report: BenchReport, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(report, null, 2) + '\n');
}

function latency(l: LatencySummary): string {
  const ms = (v: number | null): string => (v === null ? '-' : v.toFixed(2));
  return `${ms(l.p50)} / ${ms(l.p99)} / ${ms(l.max)} ms  (n=${l.count})`;
}

function tally(t: Record<string, number>): string {
  const entries = Object.entries(t);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return '0';
  return `${total}  (${entries.map(([k, n]) => `${k}: ${n}`).join(', ')})`;
}

function mb(kb: number | null): string {
  return kb === null ? '-' : `${(kb / 1024).toFixed(1)} MB`;
}

function percent(p: number | null): string {
  return p === null ? '- (server PID unknown)' : `${p.toFixed(1)} %`;
}

// A generator on one core saturates before a fast server does; say so rather than let the
// figures pass for the server's.
const GENERATOR_BOUND_PERCENT = 85;
const RATE_SHORTFALL = 0.95;
const OTHER_LOAD_PERCENT = 20;

/** Reasons the figures may describe the generator rather than the server. */
export function warnings(report: BenchReport): string[] {
  const out: string[] = [];
  const r = report.results;
  // Pinned, all generator processes share one core, so their sum is what nears the ceiling.
  if (report.generator.cpuPercent >= GENERATOR_BOUND_PERCENT) {
    out.push(`generator at ${report.generator.cpuPercent}% CPU: the run may be generator-bound`);
  }
  if ((report.otherProcessesCpuPercent ?? 0) >= OTHER_LOAD_PERCENT) {
    out.push(
      `other processes used ${report.otherProcessesCpuPercent}% CPU during the run: figures are disturbed`,
    );
  }
  if (r.workload === 'w1' && r.achievedRate < report.options.rate * RATE_SHORTFALL) {
    out.push(`generator sent ${r.achievedRate}/s of the ${report.options.rate}/s asked`);
  }
  return out;
}

/** The table printed after a run: two columns, label and value. */
export function formatTable(report: BenchReport): string {
  const o = report.options;
  const r = report.results;
  const rows: Array<[string, string]> = [];
  if (r.workload === 'w1') {
    rows.push(
      ['workload', `w1 one-to-one over ${o.transport}`],
      [
        'parameters',
        `users=${r.users} rate=${o.rate}/s duration=${o.durationS}s peers=${o.peers} ack=${o.ackMs}ms`,
      ],
      ['sent / acked / delivered', `${r.sent} / ${r.acked} / ${r.delivered}`],
      ['lost', `${r.lost}${r.lost > 0 ? `  (not delivered within ${o.drainS}s drain)` : ''}`],
      ['errors', tally(r.errors)],
      ['disconnects', tally(r.disconnects)],
      ['duplicates / resyncs', `${r.duplicates} / ${r.resyncs}`],
      ['ack latency p50/p99/max', latency(r.ackLatency)],
      ['delivery latency p50/p99/max', latency(r.deliveryLatency)],
      [
        'generator loop delay p99/max',
        `${r.generatorLoopDelay.p99} / ${r.generatorLoopDelay.max} ms`,
      ],
      ['achieved send rate', `${r.achievedRate} msg/s over ${r.sendSeconds}s`],
      ['delivered rate', `${r.deliveredRate} msg/s`],
      ['setup', `${r.setupSeconds}s (${r.users} registrations, ${r.conversations} conversations)`],
    );
  } else {
    rows.push(
      ['workload', `w2 idle connections over ${o.transport}`],
      ['parameters', `connections=${r.connections} users=${r.users} hold=${o.durationS}s`],
      ['connected / alive at end', `${r.connected} / ${r.alive}`],
      ['failed to connect', String(r.failedToConnect)],
      ['dropped', tally(r.dropped)],
      ['errors', tally(r.errors)],
      ['connect time', `${r.connectSeconds}s (${r.workers} worker processes)`],
      ['heartbeat ping p50/p99/max', latency(r.pingLatency)],
      ['server RSS before', mb(r.serverRssBeforeKb)],
      ['server RSS with connections', mb(r.serverRssWithConnectionsKb)],
      [
        'server RSS per connection',
        r.serverRssPerConnectionKb === null ? '-' : `${r.serverRssPerConnectionKb.toFixed(2)} KB`,
      ],
    );
  }
  rows.push(
    ['measured window', `${report.windowSeconds}s`],
    ['server CPU', percent(report.server.cpuPercent)],
    ['server RSS end / peak', `${mb(report.server.rssKb)} / ${mb(report.server.rssPeakKb)}`],
    [
      'generator CPU',
      `${report.generator.cpuPercent.toFixed(1)} % (${report.generator.processes} process(es))`,
    ],
    [
      'other processes CPU',
      report.otherProcessesCpuPercent === null
        ? '-'
        : `${report.otherProcessesCpuPercent.toFixed(1)} %`,
    ],
  );
  const c = report.commits;
  if (c && c.commits > 0) {
    rows.push([
      'group commit',
      `${c.commits} commits, ${c.meanBatch} msgs/batch, ${c.meanCommitMs} ms each, ` +
        `${Math.round((c.commitShareOfWindow ?? 0) * 100)}% of the window`,
    ]);
  }
  for (const warning of warnings(report)) rows.push(['WARNING', warning]);
  if (report.server.exited) rows.push(['SERVER EXITED', report.server.exited.split('\n')[0]!]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n');
}
