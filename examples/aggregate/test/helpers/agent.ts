import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AGENT_CLI, EXAMPLE_ETC, REPO_ROOT } from './paths.js';

const EXAMPLE_UUID = 'AG-EX-00-01';

export interface AgentSetup {
  readonly uuid: string;
  readonly password: string;
  readonly brokerPort: number;
  /** Extra sink-mqtt keys over the example's. */
  readonly mqttOverrides?: Readonly<Record<string, unknown>>;
}

/**
 * One agent's config dir in `dir`, made from the example's `etc/agent/`: its own uuid (also
 * its MQTT user), the test broker's port, and, as the local reference, sink-log writing the
 * same `flows` channel to `dir/log` (proc-core routes stream-flows to both sinks).
 */
export async function writeAgentConfig(dir: string, setup: AgentSetup): Promise<string> {
  const example = join(EXAMPLE_ETC, 'agent');
  await mkdir(join(dir, 'plugins.d'));
  await mkdir(join(dir, 'log'));
  for (const loader of await readdir(join(example, 'plugins.d'))) {
    await copyFile(join(example, 'plugins.d', loader), join(dir, 'plugins.d', loader));
  }
  await writeFile(
    join(dir, 'plugins.d', '10-netify-sink-log.conf'),
    '[sink-log]\nenable = yes\nplugin_library = @netifyd/sink-log\nconf_filename = ${path_state_persistent}/netify-sink-log.json\n',
  );

  const conf = await readFile(join(example, 'netifyd.conf'), 'utf8');
  await writeFile(
    join(dir, 'netifyd.conf'),
    replaceLine(replaceLine(conf, `uuid = ${EXAMPLE_UUID}`, `uuid = ${setup.uuid}`), 'path_state_volatile = /var/run/netifyd', `path_state_volatile = ${join(dir, 'run')}`),
  );

  const procCore = JSON.parse(await readFile(join(example, 'netify-proc-core.json'), 'utf8')) as { sinks: Record<string, unknown> };
  procCore.sinks['sink-log'] = { flows: { enable: true, types: ['stream-flows'] } };
  await writeFile(join(dir, 'netify-proc-core.json'), JSON.stringify(procCore, null, 2));

  const mqtt = JSON.parse(await readFile(join(example, 'netify-sink-mqtt.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(dir, 'netify-sink-mqtt.json'), JSON.stringify({ ...mqtt, port: setup.brokerPort, user: setup.uuid, pass: setup.password, ...setup.mqttOverrides }, null, 2));

  await writeFile(
    join(dir, 'netify-sink-log.json'),
    JSON.stringify({ overwrite: false, log_path: join(dir, 'log'), max_file_age_s: 0, max_file_kb: 0, channels: { flows: { log_name: 'netify-flows-' } } }, null, 2),
  );
  return join(dir, 'netifyd.conf');
}

function replaceLine(text: string, line: string, replacement: string): string {
  if (!text.includes(line)) throw new Error(`example netifyd.conf lost its "${line}" line`);
  return text.replace(line, replacement);
}

export interface AgentRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly ms: number;
}

/** A running agent process; `kill()` ends it if it is still running (cleanup). */
export class AgentProcess {
  readonly done: Promise<AgentRun>;
  private readonly child: ChildProcess;

  constructor(configFile: string, capture: string, timeoutMs: number) {
    const started = Date.now();
    this.child = spawn(process.execPath, [AGENT_CLI, '-c', configFile, '-I', capture], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    this.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    this.done = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stderr, ms: Date.now() - started });
      });
    });
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** The JSON lines sink-log wrote for the `flows` channel (one file: no size or age limit), in order. */
export async function readReference(dir: string): Promise<string[]> {
  const logDir = join(dir, 'log');
  const files = (await readdir(logDir)).filter((name) => name.startsWith('netify-flows-') && name.endsWith('.json')).sort();
  const lines: string[] = [];
  for (const file of files) lines.push(...(await readFile(join(logDir, file), 'utf8')).split('\n').filter(Boolean));
  return lines;
}
