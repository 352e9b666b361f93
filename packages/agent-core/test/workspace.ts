import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CLI = join(REPO, 'packages/agent-core/dist/cli.js');

/**
 * A throw-away agent installation: netifyd.conf, plugins.d and third-party plugin
 * packages that depend on @netifyd/plugin-sdk only, as an outside author would write them.
 */
export class Workspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'netifyd-agent-test-'));
  readonly etc = join(this.dir, 'etc');
  readonly plugins = join(this.etc, 'plugins.d');
  readonly records = join(this.dir, 'records');

  constructor(netifydConf = '[netifyd]\nupdate_interval = 1\npath_state_volatile = ${dir}/run\n') {
    mkdirSync(this.plugins, { recursive: true });
    mkdirSync(this.records);
    mkdirSync(join(this.dir, 'node_modules/@netifyd'), { recursive: true });
    symlinkSync(join(REPO, 'packages/plugin-sdk'), join(this.dir, 'node_modules/@netifyd/plugin-sdk'));
    writeFileSync(this.conf, netifydConf.replaceAll('${dir}', this.dir));
  }

  get conf(): string {
    return join(this.etc, 'netifyd.conf');
  }

  /** A plugin package `node_modules/<name>` whose index.mjs is `source`. */
  addPackage(name: string, source: string): void {
    const root = join(this.dir, 'node_modules', name);
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name, version: '1.2.3', type: 'module', main: 'index.mjs' }));
    writeFileSync(join(root, 'index.mjs'), source);
  }

  /** Loader file `plugins.d/<file>` declaring `section` with a JSON config written beside it. */
  addLoader(file: string, section: string, library: string, config?: unknown, enable = 'yes'): void {
    const lines = [`# ${section} loader`, `[${section}]`, `enable = ${enable}`, `plugin_library = ${library}`];
    if (config !== undefined) {
      writeFileSync(join(this.etc, `${section}.json`), JSON.stringify(config));
      lines.push(`conf_filename = \${path_state_persistent}/${section}.json`);
    }
    writeFileSync(join(this.plugins, file), `${lines.join('\n')}\n`);
  }

  writeConfig(section: string, config: unknown): void {
    writeFileSync(join(this.etc, `${section}.json`), JSON.stringify(config));
  }

  record(name: string): string {
    return join(this.records, `${name}.jsonl`);
  }

  /** Lines a recording plugin wrote, parsed. */
  recorded(name: string): Array<Record<string, unknown>> {
    const file = this.record(name);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A sink that appends every dispatched payload (decoded as JSON) to its record file. */
export const RECORDING_SINK = `
import { appendFileSync } from 'node:fs';
import { definePlugin, PLUGIN_ABI, createConfigValidator } from '@netifyd/plugin-sdk';
const validate = createConfigValidator({
  type: 'object', additionalProperties: false, required: ['record'],
  properties: { record: { type: 'string' }, channels: { type: 'array', items: { type: 'string' } } },
});
export default definePlugin({
  abi: PLUGIN_ABI, kind: 'sink', name: 'recording-sink', version: '1.2.3',
  create(context) {
    let config; let sent = 0;
    const note = (what) => appendFileSync(config.record, JSON.stringify(what) + '\\n');
    return {
      async init(raw) { config = validate(raw, context.configFile); },
      async start() { note({ lifecycle: 'start', agent: context.agent.uuid }); },
      async reload(raw) { config = validate(raw, context.configFile); note({ lifecycle: 'reload', config }); },
      async stop() { note({ lifecycle: 'stop' }); },
      channels() { return config.channels ?? ['default']; },
      dispatch(channel, payload) {
        sent++;
        note({ channel, message: payload.message, body: JSON.parse(new TextDecoder().decode(payload.data)) });
        return true;
      },
      stats() { return { queued: 0, sent, dropped: 0, errors: 0 }; },
    };
  },
});
`;

/** A processor that forwards every event's type to a sink's channel and records it. */
export const FORWARDING_PROCESSOR = `
import { appendFileSync } from 'node:fs';
import { definePlugin, PLUGIN_ABI } from '@netifyd/plugin-sdk';
export default definePlugin({
  abi: PLUGIN_ABI, kind: 'processor', name: 'forwarding-processor', version: '1.2.3',
  create(context) {
    let config;
    return {
      async init(raw) { config = raw; },
      async start() {},
      async stop() { appendFileSync(config.record, JSON.stringify({ lifecycle: 'stop' }) + '\\n'); },
      onEvent(event) {
        appendFileSync(config.record, JSON.stringify({ event: event.type }) + '\\n');
        const sink = context.sinks.get(config.sink);
        const data = new TextEncoder().encode(JSON.stringify({ type: event.type }));
        sink?.dispatch('default', { message: 'agent_status', types: ['stream-stats'], format: 'json', compressor: 'none', data });
      },
    };
  },
});
`;
