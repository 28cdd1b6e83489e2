/**
 * Login throttling and registrations per IP counted in Redis, so every node sees one count: a
 * guesser cannot multiply the limits by spreading attempts over the nodes. Each step is one Lua
 * script, which Redis runs atomically, so parallel attempts on different nodes are each counted
 * before any password is checked. Keys expire on their own (PEXPIRE), so Redis memory follows
 * the attempts of the last window only.
 *
 * The scripts are sent with EVAL each time: they are small and logins are rare, so caching them
 * (EVALSHA) would buy little and add a NOSCRIPT retry after every Redis restart.
 *
 * Redis unreachable: the attempt is refused with `unavailable` (retry later) rather than let
 * through uncounted, which would lift the limit whenever an attacker could make Redis busy.
 */
import { openRedis } from '../bus/redis-connection.js';
import { DomainError } from '../domain/errors.js';
import type { AttemptResult, LoginThrottle, ThrottlePolicy } from '../domain/login-throttle.js';
import type { WindowLimit } from '../domain/window-counter.js';

/**
 * KEYS: pair, ip, username failures. ARGV: now, pair attempts, ip attempts, username failures,
 * base delay, max delay, window. Returns {0, scope (1 pair, 2 ip), wait} or {1, pair delay, ip delay}.
 * Each key is a hash: a = attempts, n = next allowed at (ms).
 */
const ATTEMPT = `
local now = tonumber(ARGV[1])
local function wait(key)
  local n = tonumber(redis.call('HGET', key, 'n') or '0')
  if n > now then return n - now end
  return 0
end
local pairWait = wait(KEYS[1])
if pairWait > 0 then return {0, 1, pairWait} end
local ipWait = wait(KEYS[2])
if ipWait > 0 then return {0, 2, ipWait} end
local pairFree = tonumber(ARGV[2])
if tonumber(redis.call('GET', KEYS[3]) or '0') >= tonumber(ARGV[4]) then pairFree = 1 end
local function take(key, free)
  local attempts = redis.call('HINCRBY', key, 'a', 1)
  local delay = 0
  if attempts >= free then
    delay = math.min(tonumber(ARGV[6]), tonumber(ARGV[5]) * 2 ^ math.min(30, attempts - free))
    redis.call('HSET', key, 'n', string.format('%d', now + delay))
  end
  redis.call('PEXPIRE', key, math.max(tonumber(ARGV[7]), delay))
  return delay
end
return {1, take(KEYS[1], pairFree), take(KEYS[2], tonumber(ARGV[3]))}
`;

/** KEYS: counter. ARGV: window. A fixed window counter: INCR, and PEXPIRE on its first count. */
const COUNT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count
`;

/** KEYS: pair, ip. ARGV: ip attempts. The pair starts afresh; the IP gets its attempt back. */
const SUCCEEDED = `
redis.call('DEL', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 1 then
  local attempts = redis.call('HINCRBY', KEYS[2], 'a', -1)
  if attempts < 0 then redis.call('HSET', KEYS[2], 'a', 0); attempts = 0 end
  if attempts < tonumber(ARGV[1]) then redis.call('HSET', KEYS[2], 'n', 0) end
end
return 1
`;

/** KEYS: counter. ARGV: limit, window. Counts unless the limit is reached; {1} or {0, ms left}. */
const TAKE_UNDER = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[1]) then return {0, redis.call('PTTL', KEYS[1])} end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {1}
`;

export interface RedisLimits {
  loginThrottle(policy: ThrottlePolicy): LoginThrottle;
  /** Registrations (or any event) per key per window, shared by the nodes. */
  windowLimit(name: string, windowMs: number): WindowLimit;
  close(): void;
}

export async function createRedisLimits({
  url,
  prefix,
}: {
  url: string;
  prefix: string;
}): Promise<RedisLimits> {
  const redis = await openRedis(url, 'parley-limits');
  async function run(script: string, keys: string[], args: Array<string | number>) {
    try {
      return await redis.eval(script, keys.length, ...keys, ...args);
    } catch (error) {
      throw new DomainError(
        'unavailable',
        'the server cannot count attempts now; try again',
        1000,
        {
          cause: error,
        },
      );
    }
  }
  const key = (...parts: string[]) => `${prefix}${parts.join('|')}`;

  return {
    loginThrottle(policy) {
      const pair = (username: string, ip: string) => key('login-pair', username, ip);
      const ipKey = (ip: string) => key('login-ip', ip);
      const failures = (username: string) => key('login-failures', username);
      return {
        async attempt(username, ip, now): Promise<AttemptResult> {
          const [ok, a, b] = (await run(
            ATTEMPT,
            [pair(username, ip), ipKey(ip), failures(username)],
            [
              now,
              policy.pairAttempts,
              policy.ipAttempts,
              policy.usernameFailures,
              policy.baseDelayMs,
              policy.maxDelayMs,
              policy.windowMs,
            ],
          )) as [number, number, number];
          if (ok === 0) return { ok: false, scope: a === 1 ? 'pair' : 'ip', retryAfterMs: b };
          const backoffs: Array<{ scope: 'pair' | 'ip'; delayMs: number }> = [];
          if (a > 0) backoffs.push({ scope: 'pair', delayMs: a });
          if (b > 0) backoffs.push({ scope: 'ip', delayMs: b });
          return { ok: true, backoffs };
        },
        async failed(username) {
          await run(COUNT, [failures(username)], [policy.windowMs]);
        },
        async succeeded(username, ip) {
          await run(SUCCEEDED, [pair(username, ip), ipKey(ip)], [policy.ipAttempts]);
        },
      };
    },
    windowLimit(name, windowMs) {
      return {
        async take(subject, limit) {
          const [ok, left] = (await run(TAKE_UNDER, [key(name, subject)], [limit, windowMs])) as [
            number,
            number?,
          ];
          return ok === 1 ? { ok: true } : { ok: false, retryAfterMs: Math.max(0, left ?? 0) };
        },
      };
    },
    close() {
      redis.disconnect();
    },
  };
}
