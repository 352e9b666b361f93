/**
 * Wires proc-core to real recording sinks through a small but real plugin context, as
 * the agent does: sinks are created, initialised and started first, then proc-core.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { unpack } from 'msgpackr';
import type { AgentIdentity, Logger, Payload, PluginContext, Processor, SinkHandle } from '@netifyd/plugin-sdk';
import procCorePlugin from '../src/index.js';
import type { ProcCoreStats } from '../src/index.js';
import { RecordingSink, recordingSinkPlugin } from './recording-sink.js';

export interface LogLine {
  plugin: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

export const testAgent: AgentIdentity = {
  uuid: 'NT-TEST-0001',
  uuidSerial: 'SN-0001',
  uuidSite: 'SITE-0001',
  version: '0.1.0',
  buildVersion: 'netifyd-ts/0.1.0 (Linux; x64)',
};

export interface PipelineOptions {
  /** Parsed netify-proc-core.json (undefined: no config file). */
  procConfig: unknown;
  /** Sink instance name → recording sink config ({channels: {name: {...}}}). */
  sinks?: Record<string, unknown>;
  configFile?: string;
}

export interface Pipeline {
  proc: Processor & { stats(): ProcCoreStats };
  sink(name: string): RecordingSink;
  logs: LogLine[];
  warnings(): string[];
  close(): Promise<void>;
}

export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const stateDir = await mkdtemp(join(tmpdir(), 'proc-core-test-'));
  const logs: LogLine[] = [];
  const sinks = new Map<string, RecordingSink>();
  const processors: Processor[] = [];
  const handles = new Map<string, SinkHandle>();

  const context = (name: string, configFile: string | undefined): PluginContext => ({
    name,
    configFile,
    log: recordingLogger(name, logs),
    agent: testAgent,
    paths: { persistent: join(stateDir, 'persistent'), volatile: join(stateDir, 'volatile') },
    sinks: { get: (sink) => handles.get(sink), names: () => [...handles.keys()] },
    greetings: (channel) => processors.flatMap((processor) => processor.greetings?.(name, channel) ?? []),
    agentConfig: () => undefined,
  });

  try {
    for (const [name, config] of Object.entries(options.sinks ?? {})) {
      const sink = recordingSinkPlugin.create(context(name, `${name}.json`)) as RecordingSink;
      await sink.init(config);
      await sink.start();
      sinks.set(name, sink);
      handles.set(name, sinkHandle(name, sink));
    }
    const proc = procCorePlugin.create(context('proc-core', options.configFile ?? 'netify-proc-core.json'));
    processors.push(proc);
    await proc.init(options.procConfig);
    await proc.start();
    return {
      proc: proc as Pipeline['proc'],
      sink: (name) => {
        const sink = sinks.get(name);
        if (!sink) throw new Error(`no sink ${name} in this pipeline`);
        return sink;
      },
      logs,
      warnings: () => logs.filter((line) => line.level === 'warn').map((line) => line.message),
      close: async () => {
        await proc.stop();
        for (const sink of sinks.values()) await sink.stop();
        await rm(stateDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(stateDir, { recursive: true, force: true });
    throw error;
  }
}

function sinkHandle(name: string, sink: RecordingSink): SinkHandle {
  return {
    name,
    channels: () => sink.channels(),
    dispatch: (channel, payload) => {
      try {
        return sink.dispatch(channel, payload);
      } catch {
        return false;
      }
    },
  };
}

function recordingLogger(plugin: string, lines: LogLine[]): Logger {
  const at = (level: LogLine['level']) => (message: string) => {
    lines.push({ plugin, level, message });
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The message a payload holds, whatever its format and compressor. */
export function decodePayload(payload: Payload): Record<string, unknown> {
  const raw = payload.compressor === 'gz' ? gunzipSync(payload.data) : Buffer.from(payload.data);
  return (payload.format === 'json' ? JSON.parse(raw.toString('utf8')) : unpack(raw)) as Record<string, unknown>;
}

/** The JSON text of an uncompressed JSON payload. */
export function payloadText(payload: Payload): string {
  return Buffer.from(payload.data).toString('latin1');
}

export function messageTypes(payloads: readonly Payload[]): string[] {
  return payloads.map((payload) => payload.message);
}
