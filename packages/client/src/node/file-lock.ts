/**
 * A lock file beside a file, so programs sharing it (a `parley chat` and a `parley listen` on one
 * config) take turns at read-modify-write. Taken with O_EXCL (`wx`): creating the file either
 * succeeds for exactly one process or fails with EEXIST. It holds the owner's pid, host and a
 * random nonce; a lock whose owner died (same host, no such pid) or that is older than `staleMs`
 * is stale and broken. Breaking renames the lock aside first and checks it was the very one
 * judged stale, so two processes breaking it at once do not also remove a fresh lock.
 *
 * Why not `proper-lockfile`: it brings three dependencies (graceful-fs, retry, signal-exit) and
 * an mtime heartbeat for long-held locks; ours is held for one read and one atomic rename, a few
 * milliseconds, so the pid check and an age limit are enough, in about a hundred lines.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

export interface FileLockOptions {
  /** A lock older than this is taken as left behind by a crash. Default 10 s. */
  staleMs?: number;
  /** Give up (reject) after waiting this long. Default 15 s. */
  timeoutMs?: number;
}

interface Holder {
  pid: number;
  host: string;
  nonce: string;
}

/** Runs `task` while holding the lock `${path}.lock`. */
export async function withFileLock<T>(
  path: string,
  task: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const lockPath = `${path}.lock`;
  const me: Holder = { pid: process.pid, host: hostname(), nonce: randomBytes(8).toString('hex') };
  await acquire(lockPath, me, options.staleMs ?? 10_000, options.timeoutMs ?? 15_000);
  try {
    return await task();
  } finally {
    await release(lockPath, me);
  }
}

async function acquire(lockPath: string, me: Holder, staleMs: number, timeoutMs: number) {
  const text = JSON.stringify(me);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      try {
        await handle.writeFile(text);
      } finally {
        await handle.close();
      }
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        await mkdir(dirname(lockPath), { recursive: true, mode: 0o700 });
        continue;
      }
      if (code !== 'EEXIST') throw error;
    }
    const held = await readHolder(lockPath);
    if (held && (await isStale(lockPath, held, staleMs))) {
      await breakLock(lockPath, held.text);
      continue;
    }
    if (Date.now() > deadline) {
      const who = held?.holder ? ` by process ${held.holder.pid} on ${held.holder.host}` : '';
      throw new Error(`${lockPath} is locked${who}; remove it if no parley program is running`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
  }
}

async function release(lockPath: string, me: Holder): Promise<void> {
  const held = await readHolder(lockPath);
  // Not ours any more (judged stale and broken while we held it): leave the new owner's alone.
  if (held?.holder?.nonce === me.nonce) await rm(lockPath, { force: true });
}

/** The lock's text and parsed holder; null when there is no lock (any more). */
async function readHolder(
  lockPath: string,
): Promise<{ text: string; holder: Holder | null } | null> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const v = JSON.parse(text) as Partial<Holder>;
    const ok =
      typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.nonce === 'string';
    return { text, holder: ok ? (v as Holder) : null };
  } catch {
    // Empty or partial: its owner died between creating and writing it, or is writing it now.
    return { text, holder: null };
  }
}

async function isStale(
  lockPath: string,
  held: { holder: Holder | null },
  staleMs: number,
): Promise<boolean> {
  const holder = held.holder;
  if (holder && holder.host === hostname() && !processAlive(holder.pid)) return true;
  try {
    return Date.now() - (await stat(lockPath)).mtimeMs > staleMs;
  } catch {
    return false;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function breakLock(lockPath: string, staleText: string): Promise<void> {
  const aside = `${lockPath}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else broke it
    throw error;
  }
  const taken = await readFile(aside, 'utf8').catch(() => null);
  if (taken !== staleText) {
    // Between our look and the rename it was broken and taken afresh: put that one back.
    await link(aside, lockPath).catch(() => undefined);
  }
  await rm(aside, { force: true });
}
