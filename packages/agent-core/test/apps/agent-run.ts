// Runs the real agent in this process on a capture file, recording every event it hands
// to plugins and every log line, with a throw-away state directory.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentEvent, Flow } from '@netifyd/plugin-sdk';
import { Agent } from '../../src/agent.js';
import { createLogger } from '../../src/logger.js';

export interface StateDir {
  readonly dir: string;
  readonly configFile: string;
  remove(): void;
}

/** A state directory with a netifyd.conf (one detection thread, so runs are repeatable). */
export function makeStateDir(extraConfig = ''): StateDir {
  const dir = mkdtempSync(join(tmpdir(), 'apps-agent-'));
  mkdirSync(join(dir, 'plugins.d'));
  mkdirSync(join(dir, 'volatile'));
  const configFile = join(dir, 'netifyd.conf');
  writeFileSync(configFile, `[netifyd]\npath_state_persistent = ${dir}\npath_state_volatile = ${dir}/volatile\ndetection_threads = 2\n${extraConfig}`);
  return { dir, configFile, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface AgentRun {
  readonly events: AgentEvent[];
  readonly log: string[];
}

/** Starts the agent on `capture` (optionally with a BPF filter), waits for the end of the file and stops it. */
export async function runAgent(configFile: string, capture: string, filter?: string): Promise<AgentRun> {
  const log: string[] = [];
  const events: AgentEvent[] = [];
  const agent = await Agent.start({
    configFile,
    log: createLogger('', 'debug', { write: (line) => log.push(line.trimEnd()) }),
    sources: [{ role: 'lan', name: 'offline0', file: capture, addresses: [], ...(filter ? { filter } : {}) }],
    observe: (event) => events.push(event),
  });
  try {
    await agent.whenCaptureDone();
  } finally {
    await agent.stop();
  }
  return { events, log };
}

type FlowEventType = 'flow_new' | 'detection_updated' | 'flow_dpi_complete';

/** The flow objects of one event type, in order. */
export function flowsOf(events: readonly AgentEvent[], type: FlowEventType): Flow[] {
  return events.filter((event): event is Extract<AgentEvent, { type: FlowEventType }> => event.type === type).map((event) => event.flow);
}
