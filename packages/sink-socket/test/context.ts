import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, Payload, PluginContext } from '@netifyd/plugin-sdk';

export interface RecordedLine {
  readonly level: keyof Logger;
  readonly message: string;
}

export interface TestContext extends PluginContext {
  readonly lines: RecordedLine[];
}

export interface TestContextOptions {
  readonly name?: string;
  readonly configFile?: string;
  readonly stateDirectory: string;
  readonly greetings?: (channel: string) => Payload[];
  readonly agentConfig?: Record<string, Record<string, string>>;
}

/** A small but real plugin context: a logger that records, temp-dir state paths, no other sinks. */
export function createTestContext(options: TestContextOptions): TestContext {
  const lines: RecordedLine[] = [];
  const record = (level: keyof Logger) => (message: string) => void lines.push({ level, message });
  return {
    name: options.name ?? 'sink-socket',
    configFile: options.configFile,
    log: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    agent: {
      uuid: 'NE-TS-TE-ST',
      uuidSerial: '-',
      uuidSite: '-',
      version: '0.1.0',
      buildVersion: 'netifyd-ts/0.1.0 (test)',
    },
    paths: { persistent: options.stateDirectory, volatile: options.stateDirectory },
    sinks: { get: () => undefined, names: () => [] },
    greetings: options.greetings ?? (() => []),
    agentConfig: (section) => options.agentConfig?.[section],
    lines,
  };
}

/** A fresh temp directory and the function that removes it (call it in afterEach). */
export async function makeTempDirectory(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
