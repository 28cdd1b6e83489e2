/**
 * A WebSocket proxy in front of the real server that rewrites what the server sends, standing in
 * for what the terminal client must survive from a server it cannot trust (a compromised or older
 * one, or text stored before the server refused control characters): markers that the real server
 * accepts become raw control characters on the way to the client.
 */
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

export interface TamperProxy {
  url: string;
  close(): Promise<void>;
}

/** Markers in JSON text, and the JSON escapes they become (so the frame stays valid JSON). */
export const MARKERS: Record<string, string> = {
  '@ESC@': '\\u001b',
  '@BEL@': '\\u0007',
  '@CR@': '\\r',
  '@NL@': '\\n',
  '@CSI@': '\\u009b',
  '@DEL@': '\\u007f',
};

export function unmark(text: string): string {
  let out = text;
  for (const [marker, escape] of Object.entries(MARKERS)) out = out.split(marker).join(escape);
  return out;
}

export async function startTamperProxy(
  upstreamUrl: string,
  rewrite: (frame: string) => string = unmark,
): Promise<TamperProxy> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws' });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  wss.on('connection', (client) => {
    const upstream = new WebSocket(upstreamUrl);
    const early: string[] = [];
    const text = (data: RawData): string =>
      Array.isArray(data) ? Buffer.concat(data).toString() : Buffer.from(data as Buffer).toString();
    client.on('message', (data) => {
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text(data));
      else early.push(text(data));
    });
    upstream.on('open', () => {
      for (const frame of early.splice(0)) upstream.send(frame);
    });
    upstream.on('message', (data) => client.send(rewrite(text(data))));
    upstream.on('close', () => client.close());
    upstream.on('error', () => client.terminate());
    client.on('close', () => upstream.close());
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    close: () =>
      new Promise((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
