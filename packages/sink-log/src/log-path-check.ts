import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { NetifydError } from '@netifyd/plugin-sdk';
import type { ChannelPlan } from './channel-plan.js';

/**
 * The directory a channel writes to must already exist and be writable: creating it
 * silently would hide a typo, and writing would otherwise fail on every payload.
 */
export async function checkLogPath(plan: ChannelPlan, file: string): Promise<void> {
  const where = `${file}: ${plan.logPathKey} ${JSON.stringify(plan.logPath)}`;
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(plan.logPath)).isDirectory();
  } catch (error) {
    const reason = errorCode(error) === 'ENOENT' ? 'does not exist' : `cannot be read (${errorCode(error)})`;
    throw new NetifydError('ERR_SINK_LOG_PATH', `${where} ${reason} (expected a writable directory)`);
  }
  if (!isDirectory) {
    throw new NetifydError('ERR_SINK_LOG_PATH', `${where} is not a directory (expected a writable directory)`);
  }
  try {
    await access(plan.logPath, constants.W_OK | constants.X_OK);
  } catch {
    throw new NetifydError('ERR_SINK_LOG_PATH', `${where} is not writable by this process (expected a writable directory)`);
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
}
