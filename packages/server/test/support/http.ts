/**
 * One HTTP(S) request with node's own client: unlike fetch it leaves the body as sent (still
 * compressed) and shows every header, and it can trust a test's own CA.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export function httpGet(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    /** For https: the CA to trust and the name its certificate must carry. */
    ca?: Buffer;
    servername?: string;
  } = {},
): Promise<RawResponse> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: options.method ?? 'GET',
        // Node sends DELETE and OPTIONS bodies without a length unless told one.
        headers: {
          ...(options.body === undefined
            ? {}
            : { 'content-length': Buffer.byteLength(options.body) }),
          ...options.headers,
        },
        ca: options.ca,
        servername: options.servername,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
