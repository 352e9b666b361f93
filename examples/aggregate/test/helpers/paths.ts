import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../../../..');
export const EXAMPLE_ETC = resolve(import.meta.dirname, '../../etc');
export const AGENT_CLI = join(REPO_ROOT, 'packages/agent-core/dist/cli.js');
export const COLLECTOR_CLI = resolve(import.meta.dirname, '../../dist/cli.js');

/** The public capture corpus's captures directory, if present. */
export function corpusCaptures(): string | undefined {
  const dir = join(resolve(REPO_ROOT, process.env.NETIFYD_CORPUS ?? '../shared/pcap'), 'captures');
  return existsSync(dir) ? dir : undefined;
}
