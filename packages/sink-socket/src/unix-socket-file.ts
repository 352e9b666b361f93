import { chmod, lstat, mkdir, unlink } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import { NetifydError } from '@netifyd/plugin-sdk';

/**
 * Makes `path` ready to bind: creates its directory, and removes a socket file left
 * behind by a process that is gone (nothing accepts on it). A socket another process
 * is listening on, or a path that is not a socket, is an error: never steal or delete
 * something that is in use or is not ours.
 */
export async function prepareUnixSocketPath(path: string, source: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  let isSocket: boolean;
  try {
    isSocket = (await lstat(path)).isSocket();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (!isSocket) {
    throw new NetifydError('ERR_SINK_SOCKET_PATH', `${source} ${path} exists and is not a socket; remove it or choose another path`);
  }
  if (await someoneListens(path)) {
    throw new NetifydError(
      'ERR_SINK_SOCKET_IN_USE',
      `${source} ${path}: another process is listening on this socket; stop it or choose another path`,
    );
  }
  await unlink(path);
}

/** Connecting tells a live socket (accepts) from a stale one (ECONNREFUSED). */
function someoneListens(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection({ path });
    const timer = setTimeout(() => finish(true), 1000);
    const finish = (listening: boolean) => {
      clearTimeout(timer);
      probe.destroy();
      resolve(listening);
    };
    probe.once('connect', () => finish(true));
    // ECONNREFUSED: stale. EAGAIN: alive but its backlog is full. Anything else: assume alive.
    probe.once('error', (error: NodeJS.ErrnoException) => finish(error.code !== 'ECONNREFUSED'));
  });
}

export async function setSocketMode(path: string, mode: number): Promise<void> {
  await chmod(path, mode);
}
