/**
 * Opens one ioredis connection as every Redis adapter here wants it: connected before the node
 * takes traffic, and without an offline queue, so a call made while Redis is away fails at once
 * (counted, and healed from the store) instead of waiting, unbounded, for Redis to return.
 * Reconnection is ioredis's own, retrying every 50 ms growing to 1 s.
 */
import { Redis } from 'ioredis';
import { StartupError } from '../boot/startup-error.js';

export async function openRedis(url: string, name: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResubscribe: false,
    maxRetriesPerRequest: 1,
    connectionName: name,
    retryStrategy: (attempt: number) => Math.min(1000, 50 * attempt),
  });
  // Connection errors are reported by the calls that fail; without a listener ioredis logs them.
  // The one kept says why the first connection failed (connect() rejects only "closed").
  let lastError: Error | null = null;
  redis.on('error', (error: Error) => (lastError = error));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const reason = (lastError ?? (error as Error)).message;
    throw new StartupError('REDIS_URL', `cannot reach Redis (${reason})`, { cause: error });
  }
  return redis;
}
