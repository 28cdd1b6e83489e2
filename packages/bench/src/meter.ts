/**
 * The measured window of a run: the workload marks its start and end, and the meter reads the
 * server's CPU time and RSS (from /proc, when its PID is known) and the generator's own CPU time
 * over that window. Setup (registrations, handshakes) stays outside it.
 */
import { CpuWindow, machineBusySeconds, ownCpuSeconds, rssKb } from './proc-stats.js';
import {
  commitStats,
  readCommitCounters,
  type CommitCounters,
  type CommitStats,
} from './server-metrics.js';

export interface MeterReading {
  windowSeconds: number;
  /** Percent of one core; null when the server's PID is unknown. */
  serverCpuPercent: number | null;
  serverRssKb: number | null;
  serverRssPeakKb: number | null;
  /** This process's CPU over the window, in seconds (workers add their own). */
  generatorCpuSeconds: number;
  /** CPU seconds every process on the machine used over the window (server, generator, others). */
  machineCpuSeconds: number | null;
  /** Group commit over the window, from the server's /metrics; null when not reachable. */
  commits: CommitStats | null;
}

const RSS_SAMPLE_MS = 500;

export class Meter {
  private serverCpu: CpuWindow | null = null;
  private startedAt = 0;
  private ownCpuAtStart = 0;
  private machineAtStart: number | null = null;
  private sampler: NodeJS.Timeout | null = null;
  private peakRss: number | null = null;
  private reading: Omit<MeterReading, 'commits'> | null = null;
  private countersAtStart: Promise<CommitCounters | null> = Promise.resolve(null);
  private countersAtEnd: Promise<CommitCounters | null> = Promise.resolve(null);

  constructor(
    private readonly serverPid: number | null,
    private readonly metricsUrl: string | null,
  ) {}

  serverRssKb(): number | null {
    return this.serverPid === null ? null : rssKb(this.serverPid);
  }

  start(): void {
    this.startedAt = performance.now();
    this.ownCpuAtStart = ownCpuSeconds();
    this.machineAtStart = machineBusySeconds();
    if (this.metricsUrl) this.countersAtStart = readCommitCounters(this.metricsUrl);
    if (this.serverPid !== null) this.serverCpu = new CpuWindow(this.serverPid);
    this.samplePeak();
    this.sampler = setInterval(() => this.samplePeak(), RSS_SAMPLE_MS);
  }

  stop(): void {
    if (this.sampler) clearInterval(this.sampler);
    this.samplePeak();
    const machineEnd = machineBusySeconds();
    if (this.metricsUrl) this.countersAtEnd = readCommitCounters(this.metricsUrl);
    this.reading = {
      windowSeconds: Math.round(performance.now() - this.startedAt) / 1000,
      serverCpuPercent: this.serverCpu?.percent() ?? null,
      serverRssKb: this.serverRssKb(),
      serverRssPeakKb: this.peakRss,
      generatorCpuSeconds: ownCpuSeconds() - this.ownCpuAtStart,
      machineCpuSeconds:
        machineEnd === null || this.machineAtStart === null
          ? null
          : machineEnd - this.machineAtStart,
    };
  }

  /** The window's figures; throws if the workload never called start and stop. */
  async result(): Promise<MeterReading> {
    if (!this.reading) throw new Error('the workload did not complete its measured window');
    const [start, end] = await Promise.all([this.countersAtStart, this.countersAtEnd]);
    return {
      ...this.reading,
      commits: start && end ? commitStats(start, end, this.reading.windowSeconds) : null,
    };
  }

  private samplePeak(): void {
    const rss = this.serverRssKb();
    if (rss !== null && (this.peakRss === null || rss > this.peakRss)) this.peakRss = rss;
  }
}
