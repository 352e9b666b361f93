import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { fillerBytes } from './script-io.js';

export interface ExchangeOutcome {
  response: IncomingMessage;
  bytesReceived: number;
}

/**
 * Sends `requestBytes` of filler as the body (none for 0), reads the whole response, then
 * closes the connection from the client side and waits for the server's FIN. Clients use
 * a keep-alive agent so the server does not close first: a server that closes first gets
 * the client's TLS close_notify on a closed socket and answers with a RST, which is not
 * how a tidy capture should end.
 */
export function exchange(request: ClientRequest, requestBytes: number): Promise<ExchangeOutcome> {
  return new Promise((resolve, reject) => {
    let socket: Socket | undefined;
    request.on('socket', (assigned) => {
      socket = assigned;
    });
    request.on('error', reject);
    request.on('timeout', () => request.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
    request.on('response', (response) => {
      let bytesReceived = 0;
      response.on('data', (chunk: Buffer) => {
        bytesReceived += chunk.length;
      });
      response.on('error', reject);
      response.on('end', () => {
        if (!socket || socket.destroyed) {
          resolve({ response, bytesReceived });
          return;
        }
        const open = socket;
        open.once('close', () => resolve({ response, bytesReceived }));
        // After the agent has parked the socket as free: ending it earlier makes the agent
        // destroy it at once, before the server's close_notify/FIN arrive (→ RST).
        setImmediate(() => {
          open.ref(); // the agent unrefs idle sockets; keep the process up until the close completes
          open.end();
        });
      });
    });
    request.end(requestBytes > 0 ? fillerBytes(requestBytes) : undefined);
  });
}
