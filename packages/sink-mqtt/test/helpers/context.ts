import type { Logger, PluginContext } from '@netifyd/plugin-sdk';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
}

export interface TestContext {
  readonly context: PluginContext;
  readonly lines: LogLine[];
  /** Every recorded line as `level: message`, one per line, for assertions. */
  text(): string;
}

export const AGENT_UUID = 'TS-AGENT-0001';
export const AGENT_SERIAL = 'serial-1234';

/** A real, minimal PluginContext: a logger that records lines, identity, temp-dir state paths. */
export function createTestContext(options: { volatile: string; persistent?: string; configFile?: string }): TestContext {
  const lines: LogLine[] = [];
  const record = (level: LogLevel) => (message: string) => void lines.push({ level, message });
  const log: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  const context: PluginContext = {
    name: 'sink-mqtt',
    configFile: options.configFile ?? 'netify-sink-mqtt.json',
    log,
    agent: {
      uuid: AGENT_UUID,
      uuidSerial: AGENT_SERIAL,
      uuidSite: '',
      version: '0.1.0',
      buildVersion: 'netifyd-ts/0.1.0 (Linux; x64)',
    },
    paths: { persistent: options.persistent ?? options.volatile, volatile: options.volatile },
    sinks: { get: () => undefined, names: () => [] },
    greetings: () => [],
    agentConfig: () => undefined,
  };
  return { context, lines, text: () => lines.map((line) => `${line.level}: ${line.message}`).join('\n') };
}
