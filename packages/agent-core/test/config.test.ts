// Ensures netifyd.conf and loader files are read as netifyd reads them, and that every
// mistake is reported with the file, line, section and key.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAgentConfig } from '../src/config/agent-config.js';
import { setIniValue } from '../src/config/ini-file.js';
import { moduleForLibrary, readPluginEntries } from '../src/plugins/loader-files.js';
import { Workspace } from './workspace.js';

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected an error');
}

describe('netifyd.conf', () => {
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.cleanup());

  it('reads netifyd keys, defaults and v3 section spellings', () => {
    writeFileSync(ws.conf, '[netifyd]\nupdate_interval = 5\npath_state_volatile = /tmp/x\nmax_flows = 100\nssl_verify = yes\n\n[dns_hint_cache]\nenable = no\n\n[protocols]\nall = include\n');
    const config = loadAgentConfig(ws.conf);
    expect(config.updateIntervalS).toBe(5);
    expect(config.maxFlows).toBe(100);
    expect(config.ttlIdleTcpFlowS).toBe(300);
    expect(config.paths.persistent).toBe(ws.etc);
    expect(config.paths.plugins).toBe(join(ws.etc, 'plugins.d'));
    expect(config.sections.get('dns-hint-cache')).toEqual({ enable: 'no' });
    expect(config.notices.some((n) => n.includes('ssl_verify'))).toBe(true);
    expect(config.uuid).toBe('00-00-00-00');
  });

  it('refuses an unknown key naming file, line, section and a likely fix', () => {
    writeFileSync(ws.conf, '[netifyd]\n# comment\nupdate_intervall = 5\n');
    const error = errorOf(() => loadAgentConfig(ws.conf));
    expect(error.code).toBe('ERR_CONFIG_KEY');
    expect(error.message).toBe(`${ws.conf}:3: [netifyd] update_intervall: unknown key (did you mean "update_interval"?)`);
  });

  it('refuses a bad value naming file, key and value', () => {
    writeFileSync(ws.conf, '[netifyd]\nttl_idle_flow = soon\n');
    expect(errorOf(() => loadAgentConfig(ws.conf))).toMatchObject({
      code: 'ERR_CONFIG_VALUE',
      message: `${ws.conf}:2: [netifyd] ttl_idle_flow must be a non-negative integer (got "soon")`,
    });
    writeFileSync(ws.conf, '[dns-hint-cache]\nenable = maybe\n');
    expect(errorOf(() => loadAgentConfig(ws.conf)).message).toContain('[dns-hint-cache] enable must be yes/no');
    writeFileSync(ws.conf, '[netifyd]\nupdate_interval = 0\n');
    expect(errorOf(() => loadAgentConfig(ws.conf)).message).toContain('update_interval must be at least 1 (got 0)');
  });

  it('reports syntax errors and unreadable files with the file name', () => {
    writeFileSync(ws.conf, '[netifyd]\nthis is not ini\n');
    expect(errorOf(() => loadAgentConfig(ws.conf))).toMatchObject({ code: 'ERR_CONFIG_SYNTAX', message: expect.stringContaining(`${ws.conf}:2:`) });
    expect(errorOf(() => loadAgentConfig(join(ws.dir, 'missing.conf')))).toMatchObject({ code: 'ERR_CONFIG_READ' });
  });
});

describe('plugins.d loader files', () => {
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.cleanup());

  it('reads sections in file-name order, expands variables, defaults enable to yes', () => {
    writeFileSync(join(ws.plugins, '20-b.conf'), '[sink-b]\nplugin_library = b\n');
    writeFileSync(join(ws.plugins, '10-a.conf'), '[proc-a]\nenable = no\nplugin_library = ./a.mjs\nconf_filename = ${path_state_volatile}/a.json\n[other]\nx = 1\n');
    writeFileSync(join(ws.plugins, 'README.conf'), '[sink-ignored]\nplugin_library = x\n');
    const entries = readPluginEntries(loadAgentConfig(ws.conf).paths);
    expect(entries.map((e) => [e.name, e.kind, e.enabled])).toEqual([
      ['proc-a', 'processor', false],
      ['sink-b', 'sink', true],
    ]);
    expect(entries[0]!.configFile).toBe(join(ws.dir, 'run/a.json'));
  });

  it('refuses unknown keys, bad enable values, missing plugin_library and duplicates', () => {
    const paths = loadAgentConfig(ws.conf).paths;
    const file = join(ws.plugins, '10-x.conf');
    writeFileSync(file, '[sink-x]\nplugin_libary = x\n');
    expect(errorOf(() => readPluginEntries(paths)).message).toBe(`${file}:2: [sink-x] plugin_libary: unknown key (expected enable, plugin_library, conf_filename)`);
    writeFileSync(file, '[sink-x]\nenable = perhaps\nplugin_library = x\n');
    expect(errorOf(() => readPluginEntries(paths)).message).toContain('enable must be yes or no (got "perhaps")');
    writeFileSync(file, '[sink-x]\nenable = yes\n');
    expect(errorOf(() => readPluginEntries(paths)).code).toBe('ERR_CONFIG_KEY');
    writeFileSync(file, '[sink-x]\nplugin_library = x\n');
    writeFileSync(join(ws.plugins, '20-y.conf'), '[sink-x]\nplugin_library = y\n');
    expect(errorOf(() => readPluginEntries(paths)).code).toBe('ERR_PLUGIN_DUPLICATE');
  });

  it("maps netifyd's shared-object names onto this project's packages", () => {
    expect(moduleForLibrary('/usr/lib/x86_64-linux-gnu/libnetify-sink-log.so.0.0.0')).toBe('@netifyd/sink-log');
    expect(moduleForLibrary('libnetify-proc-core.so')).toBe('@netifyd/proc-core');
    expect(moduleForLibrary('@acme/sink-kafka')).toBe('@acme/sink-kafka');
  });
});

describe('setIniValue', () => {
  const text = '# header\n[sink-a]\n  enable   =  yes  \nplugin_library = a\n\n[sink-b]\n; keep me\nenable = no\r\nplugin_library = b\n';

  it('changes only the enable line of the named section', () => {
    const updated = setIniValue(text, 'sink-b', 'enable', 'yes')!;
    expect(updated).toBe(text.replace('enable = no\r\n', 'enable = yes\r\n'));
    expect(setIniValue(updated, 'sink-a', 'enable', 'no')).toBe(updated.replace('  enable   =  yes  \n', '  enable   =  no\n'));
  });

  it('inserts the key after the header when absent, and returns undefined for a missing section', () => {
    expect(setIniValue('[sink-c]\nplugin_library = c\n', 'sink-c', 'enable', 'no')).toBe('[sink-c]\nenable = no\nplugin_library = c\n');
    expect(setIniValue(text, 'sink-z', 'enable', 'no')).toBeUndefined();
  });
});
