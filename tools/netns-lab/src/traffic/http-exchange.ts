import type { ClientRequest, IncomingMessage } from 'node:http';
import { fillerBytes } from './script-io.js';

export interface ExchangeOutcome {
  response: IncomingMessage;
  bytesReceived: number;
}

/** Sends `requestBytes` of filler as the body (none for 0) and reads the whole response. */
export function exchange(request: ClientRequest, requestBytes: number): Promise<ExchangeOutcome> {
  return new Promise((resolve, reject) => {
    request.on('error', reject);
    request.on('timeout', () => request.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
    request.on('response', (response) => {
      let bytesReceived = 0;
      response.on('data', (chunk: Buffer) => {
        bytesReceived += chunk.length;
      });
      response.on('error', reject);
      response.on('end', () => resolve({ response, bytesReceived }));
    });
    request.end(requestBytes > 0 ? fillerBytes(requestBytes) : undefined);
  });
}
