/**
 * Talking tus and file downloads to a real server over real HTTP (node:http, so a test can cut a
 * request mid-body), and making test images with sharp.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import sharp from 'sharp';
import { RawClient } from './raw-client.js';
import { PASSWORD, uniqueName } from './server.js';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SendOptions {
  headers?: Record<string, string | number>;
  body?: Buffer | Readable;
  /** Destroy the request after this many body bytes were written (a broken connection). */
  cutAfter?: number;
  /** The server may break the connection (refusing a body): resolve null instead of failing. */
  mayBreak?: boolean;
}

/** One HTTP request; with `cutAfter`, resolves null once the request was cut. */
export function http(
  method: string,
  url: string,
  { headers = {}, body, cutAfter, mayBreak = false }: SendOptions = {},
): Promise<HttpAnswer | null> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', () => resolve(null));
    });
    req.on('error', (error) =>
      cutAfter !== undefined || mayBreak ? resolve(null) : reject(error),
    );
    if (body === undefined) return void req.end();
    if (Buffer.isBuffer(body)) return void req.end(body);
    let written = 0;
    body.on('data', (chunk: Buffer) => {
      if (cutAfter !== undefined && written + chunk.length >= cutAfter) {
        req.write(chunk.subarray(0, cutAfter - written), () => {
          body.destroy();
          req.destroy();
          resolve(null);
        });
        written = cutAfter;
        body.pause();
        return;
      }
      written += chunk.length;
      if (!req.write(chunk)) {
        body.pause();
        req.once('drain', () => body.resume());
      }
    });
    body.on('end', () => req.end());
  });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const TUS = { 'tus-resumable': '1.0.0' };

const metadata = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');

/** A tus client of one user, step by step. */
export class Tus {
  constructor(
    readonly httpUrl: string,
    readonly token: string,
  ) {}

  async create(size: number, name = 'file.bin', extra: Record<string, string> = {}) {
    return (await http('POST', `${this.httpUrl}/api/uploads`, {
      headers: {
        ...TUS,
        ...bearer(this.token),
        'upload-length': size,
        'upload-metadata': metadata({ filename: name, ...extra }),
      },
    }))!;
  }

  /** Creates an upload and returns its URL (throws unless 201). */
  async start(size: number, name = 'file.bin', extra: Record<string, string> = {}) {
    const created = await this.create(size, name, extra);
    if (created.status !== 201) throw new Error(`create: ${created.status} ${created.body}`);
    return new URL(String(created.headers.location), this.httpUrl).href;
  }

  patch(url: string, offset: number, body: Buffer | Readable, options: Partial<SendOptions> = {}) {
    return http('PATCH', url, {
      ...options,
      headers: {
        ...TUS,
        ...bearer(this.token),
        'upload-offset': offset,
        'content-type': 'application/offset+octet-stream',
        ...(Buffer.isBuffer(body) ? { 'content-length': body.length } : {}),
        ...options.headers,
      },
      body,
    });
  }

  async offset(url: string): Promise<number> {
    const answer = (await http('HEAD', url, { headers: { ...TUS, ...bearer(this.token) } }))!;
    if (answer.status !== 200) throw new Error(`HEAD ${answer.status}`);
    return Number(answer.headers['upload-offset']);
  }

  /** The finished upload's file descriptor. */
  async file(url: string) {
    const answer = (await http('GET', `${url}/file`, { headers: bearer(this.token) }))!;
    if (answer.status !== 200) throw new Error(`file: ${answer.status} ${answer.body}`);
    return JSON.parse(answer.body.toString()) as {
      fileId: string;
      name: string;
      size: number;
      mime: string;
      media: 'image' | 'file';
      width?: number;
      height?: number;
      thumbnail?: { width: number; height: number };
    };
  }

  /** Uploads `bytes` in one PATCH and returns the file descriptor. */
  async upload(bytes: Buffer, name = 'file.bin', extra: Record<string, string> = {}) {
    const url = await this.start(bytes.length, name, extra);
    const answer = await this.patch(url, 0, bytes);
    if (answer?.status !== 204) throw new Error(`patch: ${answer?.status} ${answer?.body}`);
    return this.file(url);
  }

  download(fileId: string, headers: Record<string, string> = {}, path = '') {
    return http('GET', `${this.httpUrl}/api/files/${fileId}${path}`, {
      headers: { ...bearer(this.token), ...headers },
    }) as Promise<HttpAnswer>;
  }
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export async function sha256OfPath(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A user on protocol version `version` (3 knows attachments). */
export async function connectUserV(url: string, version: number, name = uniqueName()) {
  const client = await RawClient.ws(url);
  await client.expect('welcome', { type: 'hello', versions: [version] });
  const authed = await client.expect('authed', {
    type: 'register',
    username: name,
    password: PASSWORD,
  });
  return { client, token: authed.token!, userId: authed.user.id, username: authed.user.username };
}

/** EXIF with a GPS position and the given orientation (1 = upright, 6 = turn 90 degrees right). */
const exif = () => ({
  IFD0: { Make: 'TestCam' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '48/1 51/1 2999/100',
    GPSLongitudeRef: 'E',
    GPSLongitude: '2/1 17/1 4000/100',
  },
});

/** A 200x100 picture, left half red, right half blue, in `format`, with EXIF GPS where it can. */
export async function testImage(
  format: 'jpeg' | 'png' | 'webp' | 'gif',
  orientation = 1,
): Promise<Buffer> {
  const left = await sharp({
    create: { width: 100, height: 100, channels: 3, background: '#ff0000' },
  })
    .png()
    .toBuffer();
  const base = sharp({
    create: { width: 200, height: 100, channels: 3, background: '#0000ff' },
  }).composite([{ input: left, left: 0, top: 0 }]);
  // sharp writes the orientation tag from withMetadata, not from the EXIF block.
  const withExif = format === 'gif' ? base : base.withExif(exif()).withMetadata({ orientation });
  return withExif.toFormat(format).toBuffer();
}
