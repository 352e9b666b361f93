import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface CuttingRelay {
  readonly port: number;
  /** Whether the cut has happened. */
  readonly cut: boolean;
  close(): Promise<void>;
}

/**
 * A TCP relay on 127.0.0.1 to `targetPort` that, once the first connection has carried
 * `cutAfterBytes` client → broker, delivers that chunk to the broker (then FIN) and drops
 * the client's side at once: the broker has the publishes, the client never gets their
 * PUBACKs. Later connections are relayed untouched.
 */
export async function startCuttingRelay(targetPort: number, cutAfterBytes: number): Promise<CuttingRelay> {
  const sockets = new Set<Socket>();
  let cut = false;
  const server = createServer((client) => {
    const broker = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(broker);
    let forwarded = 0;
    let severed = false;
    const drop = (): void => {
      client.destroy();
      // After the cut the broker side closes by itself once its last chunk is delivered.
      if (!severed) broker.destroy();
      sockets.delete(client);
      sockets.delete(broker);
    };
    client.on('data', (chunk: Buffer) => {
      broker.write(chunk);
      forwarded += chunk.length;
      if (cut || forwarded < cutAfterBytes) return;
      cut = true;
      severed = true;
      broker.removeAllListeners('data');
      broker.end(); // flushes the chunk, then FIN: the broker still handles those publishes
      client.resetAndDestroy();
    });
    broker.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('error', drop).on('close', drop);
    broker.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    get cut() {
      return cut;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
