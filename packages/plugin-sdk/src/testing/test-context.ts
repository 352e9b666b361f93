import { mkdirSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentIdentity, Logger, PluginContext, SinkDirectory, SinkHandle, StatePaths } from '../plugin.js';
import type { Payload } from '../payload.js';

export type LogLevel = keyof Logger;

export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
}

/** The agent identity a test context reports unless told otherwise. */
export const TEST_AGENT: AgentIdentity = Object.freeze({
  uuid: 'NE-TS-TE-ST',
  uuidSerial: 'serial-1234',
  uuidSite: 'site-1234',
  version: '0.1.0',
  buildVersion: 'netifyd-ts/0.1.0 (test)',
});

export interface TestContextOptions {
  /** Instance name (the loader file's section), default `plugin-under-test`. */
  readonly name?: string;
  readonly configFile?: string;
  /** Overrides parts of TEST_AGENT. */
  readonly agent?: Partial<AgentIdentity>;
  /** State paths to use as they are (left in place by `cleanup()`); missing ones are temp dirs. */
  readonly paths?: Partial<StatePaths>;
  /** Sinks a processor under test may route to, by instance name. */
  readonly sinks?: Readonly<Record<string, Pick<SinkHandle, 'channels' | 'dispatch'>>>;
  /** What `greetings(channel)` answers; default none. */
  readonly greetings?: (channel: string) => Payload[];
  /** Sections of netifyd.conf, as raw INI strings. */
  readonly agentConfig?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface TestContext extends PluginContext {
  /** Every line the plugin logged, in order. */
  readonly lines: LogLine[];
  /** The messages logged at `level` (all levels when omitted). */
  messages(level?: LogLevel): string[];
  /** Every line as `level: message`, one per line, for assertions. */
  text(): string;
  /** Removes the temp dirs this context created; safe to call twice. */
  cleanup(): Promise<void>;
}

/**
 * A real PluginContext for tests, shaped as the agent builds one: a logger that records
 * lines by level, an agent identity, state paths that exist (temp dirs unless given), a
 * sinks directory, a greetings supplier and netifyd.conf sections.
 */
export function createTestContext(options: TestContextOptions = {}): TestContext {
  const name = options.name ?? 'plugin-under-test';
  const lines: LogLine[] = [];
  const record = (level: LogLevel) => (message: string) => void lines.push({ level, message });
  const made = makeStatePaths(name, options.paths ?? {});
  return {
    name,
    configFile: options.configFile,
    log: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    agent: { ...TEST_AGENT, ...options.agent },
    paths: made.paths,
    sinks: sinkDirectory(options.sinks ?? {}),
    greetings: options.greetings ?? (() => []),
    agentConfig: (section) => options.agentConfig?.[section],
    lines,
    messages: (level) => lines.filter((line) => level === undefined || line.level === level).map((line) => line.message),
    text: () => lines.map((line) => `${line.level}: ${line.message}`).join('\n'),
    cleanup: async () => {
      if (made.root !== undefined) await rm(made.root, { recursive: true, force: true });
    },
  };
}

function makeStatePaths(name: string, given: Partial<StatePaths>): { paths: StatePaths; root?: string } {
  if (given.persistent !== undefined && given.volatile !== undefined) {
    return { paths: { persistent: given.persistent, volatile: given.volatile } };
  }
  const root = mkdtempSync(join(tmpdir(), `netifyd-${name.replace(/[^A-Za-z0-9_-]/g, '_')}-`));
  const persistent = given.persistent ?? join(root, 'persistent');
  const volatile = given.volatile ?? join(root, 'volatile');
  for (const path of [persistent, volatile]) if (path.startsWith(root)) mkdirSync(path);
  return { paths: { persistent, volatile }, root };
}

/** Handles as the agent gives them to processors: a sink that throws counts as a refusal. */
function sinkDirectory(sinks: Readonly<Record<string, Pick<SinkHandle, 'channels' | 'dispatch'>>>): SinkDirectory {
  const handle = (name: string, sink: Pick<SinkHandle, 'channels' | 'dispatch'>): SinkHandle => ({
    name,
    channels: () => sink.channels(),
    dispatch: (channel, payload) => {
      try {
        return sink.dispatch(channel, payload);
      } catch {
        return false;
      }
    },
  });
  return {
    get: (name) => (Object.hasOwn(sinks, name) ? handle(name, sinks[name] as Pick<SinkHandle, 'channels' | 'dispatch'>) : undefined),
    names: () => Object.keys(sinks),
  };
}
