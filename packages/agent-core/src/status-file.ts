import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentStatusMessage, Logger } from '@netifyd/plugin-sdk';

/**
 * `${path_state_volatile}/status.json`: the latest `agent_status`, replaced atomically each
 * tick (FORMATS §7.2). A volatile path that cannot be written is reported once; the agent goes on.
 */
export class StatusFile {
  private failed = false;
  private readonly file: string;

  constructor(private readonly dir: string, private readonly log: Logger) {
    this.file = join(dir, 'status.json');
  }

  write(status: AgentStatusMessage): void {
    if (this.failed) return;
    const temp = `${this.file}.tmp-${process.pid}`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(temp, `${JSON.stringify(status)}\n`);
      renameSync(temp, this.file);
    } catch (error) {
      this.failed = true;
      this.log.warn(`cannot write ${this.file} (${(error as NodeJS.ErrnoException).code ?? String(error)}); status file disabled`);
    }
  }
}
