/**
 * Group-commit figures from the server's Prometheus /metrics: how many batches it committed, how
 * many messages they held and how long the commits (transaction + fsync) took. They say whether a
 * saturated run is bound by the store.
 */

export interface CommitCounters {
  commits: number;
  messages: number;
  commitSeconds: number;
}

export interface CommitStats {
  commits: number;
  /** Messages per batch, on average over the window. */
  meanBatch: number | null;
  /** Milliseconds per commit, on average over the window. */
  meanCommitMs: number | null;
  /** Share of the window the server spent committing (its event loop waits for SQLite). */
  commitShareOfWindow: number | null;
}

function value(text: string, name: string): number | null {
  const match = new RegExp(`^${name} ([0-9.eE+-]+)$`, 'm').exec(text);
  return match ? Number(match[1]) : null;
}

/** Reads the counters; null when the endpoint is unreachable or lacks them. */
export async function readCommitCounters(metricsUrl: string): Promise<CommitCounters | null> {
  try {
    const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) return null;
    const text = await response.text();
    const commits = value(text, 'parley_commit_batch_size_count');
    const messages = value(text, 'parley_commit_batch_size_sum');
    const commitSeconds = value(text, 'parley_commit_seconds_sum');
    if (commits === null || messages === null || commitSeconds === null) return null;
    return { commits, messages, commitSeconds };
  } catch {
    return null;
  }
}

export function commitStats(
  start: CommitCounters,
  end: CommitCounters,
  windowSeconds: number,
): CommitStats {
  const commits = end.commits - start.commits;
  const seconds = end.commitSeconds - start.commitSeconds;
  const round = (v: number): number => Math.round(v * 100) / 100;
  return {
    commits,
    meanBatch: commits > 0 ? round((end.messages - start.messages) / commits) : null,
    meanCommitMs: commits > 0 ? round((seconds / commits) * 1000) : null,
    commitShareOfWindow: windowSeconds > 0 ? round(seconds / windowSeconds) : null,
  };
}
