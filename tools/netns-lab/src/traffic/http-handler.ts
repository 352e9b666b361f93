import type { IncomingMessage, ServerResponse } from 'node:http';
import { fillerBytes, printEvent } from './script-io.js';

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * Shared by the HTTP and TLS (HTTPS) servers. `/bytes/N` answers N bytes of filler;
 * any other path answers a small JSON document. Each request is reported as an EVENT
 * with the Host and User-Agent the server received.
 */
export function handleRequest(req: IncomingMessage, res: ServerResponse): void {
  let bodyBytes = 0;
  req.on('data', (chunk: Buffer) => {
    bodyBytes += chunk.length;
    if (bodyBytes > MAX_BODY_BYTES) req.destroy();
  });
  req.on('end', () => {
    const path = req.url ?? '/';
    printEvent({
      type: 'http',
      method: req.method,
      path,
      host: req.headers.host ?? null,
      userAgent: req.headers['user-agent'] ?? null,
      bodyBytes,
      from: req.socket.remoteAddress,
    });
    const sized = /^\/bytes\/(\d+)$/.exec(path);
    const size = sized ? Number(sized[1]) : undefined;
    if (size !== undefined && size > MAX_RESPONSE_BYTES) {
      reply(res, 400, 'application/json', Buffer.from(`{"error":"at most ${MAX_RESPONSE_BYTES} bytes"}\n`));
    } else if (size !== undefined) {
      reply(res, 200, 'application/octet-stream', fillerBytes(size));
    } else {
      reply(res, 200, 'application/json', Buffer.from(`${JSON.stringify({ service: 'netns-lab', path, bodyBytes })}\n`));
    }
  });
}

function reply(res: ServerResponse, status: number, contentType: string, body: Buffer): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': body.length });
  res.end(body);
}
