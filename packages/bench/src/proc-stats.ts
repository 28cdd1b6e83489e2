/**
 * What Linux says about a process: CPU time from /proc/<pid>/stat (utime + stime) and resident
 * memory from /proc/<pid>/status (VmRSS). Reading them costs the server nothing.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | null = null;

function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
    } catch {
      ticksPerSecond = 100; // The Linux default on every common architecture.
    }
  }
  return ticksPerSecond;
}

/** CPU seconds (user + system) the process has used so far; null if it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / clockTicks();
  } catch {
    return null;
  }
}

/** Resident set size in KiB; null if the process is gone. */
export function rssKb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** The process's soft limit on open files; null if unknown. */
export function openFileLimit(pid: number | 'self'): number | null {
  try {
    const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
    const match = /^Max open files\s+(\d+)/m.exec(limits);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Measures a process's CPU use over a window, as a percentage of one core. */
export class CpuWindow {
  private readonly startCpu: number | null;
  private readonly startAt = performance.now();

  constructor(private readonly pid: number) {
    this.startCpu = cpuSeconds(pid);
  }

  percent(): number | null {
    const now = cpuSeconds(this.pid);
    const seconds = (performance.now() - this.startAt) / 1000;
    if (now === null || this.startCpu === null || seconds <= 0) return null;
    return Math.round(((now - this.startCpu) / seconds) * 1000) / 10;
  }
}

/** CPU seconds every core of the machine has spent busy (not idle or iowait) since boot. */
export function machineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice
    const [user, nice, system, , , irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return (
      ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) /
      clockTicks()
    );
  } catch {
    return null;
  }
}

/** This process's CPU seconds (user + system) so far, for the generator's own share. */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}
