/** Counts open connections per IP address, to refuse one address hogging the node. */
export function createIpLimit(maxPerIp: number) {
  const open = new Map<string, number>();
  return {
    /** Reserves a slot for `ip`; false when it has too many connections (0 = no limit). */
    acquire(ip: string): boolean {
      const count = open.get(ip) ?? 0;
      if (maxPerIp > 0 && count >= maxPerIp) return false;
      open.set(ip, count + 1);
      return true;
    },
    release(ip: string): void {
      const count = (open.get(ip) ?? 1) - 1;
      if (count <= 0) open.delete(ip);
      else open.set(ip, count);
    },
  };
}

export type IpLimit = ReturnType<typeof createIpLimit>;
