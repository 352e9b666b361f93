import { link, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** Log files hold flow data: readable by the owner's group, not by everyone. */
export const LOG_FILE_MODE = 0o640;

/**
 * Writes every chunk, resuming after a short write. One `writev` takes them all (libuv
 * splits it into IOV_MAX-sized system calls off the JS thread), so a large backlog costs
 * one event-loop round trip instead of one per block: while the engine keeps the JS thread
 * busy, each round trip waits for a whole turn of the loop.
 */
export async function writeAll(handle: FileHandle, chunks: readonly Uint8Array[]): Promise<number> {
  let pending = chunks.filter((chunk) => chunk.byteLength > 0);
  let total = 0;
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending);
    total += bytesWritten;
    pending = withoutWritten(pending, bytesWritten);
  }
  return total;
}

function withoutWritten(chunks: Uint8Array[], written: number): Uint8Array[] {
  let index = 0;
  let left = written;
  while (index < chunks.length && left >= (chunks[index] as Uint8Array).byteLength) {
    left -= (chunks[index] as Uint8Array).byteLength;
    index++;
  }
  const rest = chunks.slice(index);
  if (left > 0 && rest.length > 0) rest[0] = (rest[0] as Uint8Array).subarray(left);
  return rest;
}

export async function createTemporaryFile(path: string): Promise<FileHandle> {
  return open(path, 'w', LOG_FILE_MODE);
}

/** fsync the directory so a rename survives a crash (best effort: not every filesystem allows it). */
export async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // A directory that cannot be fsynced still has the rename; durability is best effort.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Replaces `<directory>/<name>` with `chunks` so that a reader sees either the old
 * content or the new, never a mix or a truncated file: temp file in the same
 * directory, fsync, rename over the old name.
 */
export async function replaceFileAtomically(
  directory: string,
  name: string,
  temporary: string,
  chunks: readonly Uint8Array[],
): Promise<number> {
  const handle = await createTemporaryFile(temporary);
  let bytes: number;
  try {
    bytes = await writeAll(handle, chunks);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await rename(temporary, join(directory, name));
  await syncDirectory(directory);
  return bytes;
}

/**
 * Gives a finished temporary file its final name without ever replacing an existing
 * file: `link` fails with EEXIST instead of clobbering, so the next candidate name is
 * tried. Returns the name used.
 */
export async function publishWithoutClobbering(
  temporary: string,
  directory: string,
  candidateName: (attempt: number) => string,
  maxAttempts = 1000,
): Promise<string> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const name = candidateName(attempt);
    try {
      await link(temporary, join(directory, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    await unlink(temporary);
    await syncDirectory(directory);
    return name;
  }
  throw new Error(`no free file name after ${maxAttempts} attempts (last tried ${candidateName(maxAttempts - 1)})`);
}
