/**
 * Reads a request body into a Buffer, refusing anything over the limit with 413 (as soon as
 * Content-Length says so, or once the stream passes it). gzip and deflate bodies are inflated.
 */
import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate } from 'node:zlib';
import * as status from '../../api/status';

const empty = Buffer.alloc(0);

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  if (declared === 0 || (req.method === 'GET' && Number.isNaN(declared) && !req.headers['transfer-encoding'])) return Promise.resolve(empty);
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  let stream: NodeJS.ReadableStream = req;
  if (encoding === 'gzip') stream = req.pipe(createGunzip());
  else if (encoding === 'deflate') stream = req.pipe(createInflate());
  else if (encoding !== 'identity') return Promise.reject(status.unsupportedMediaType(`Content-Encoding ${encoding}`, ['identity', 'gzip', 'deflate']));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stream.removeAllListeners('data');
        req.resume(); // drain, so the 413 can be sent on this connection
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    stream.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    stream.once('error', () => reject(status.badRequest('the request body could not be read')));
  });
}

function tooLarge(limit: number): status.StatusError {
  return status.tooLarge(`Request entity too large: limit is ${limit}`);
}
