// Ensures proc-core accepts every config Netify's netify-proc-core.json accepts, resolves
// defaults and the gzip alias, and rejects bad input with one clear ERR_PLUGIN_CONFIG error.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { isNetifydError } from '@netifyd/plugin-sdk';
import { procCoreSchema } from '../src/index.js';
import { parseConfig } from '../src/config.js';
import { readV5Schema } from './v5-schemas.js';

const netifySchema = readV5Schema('netify-proc-core.json');
const ajv = new Ajv2020({ strict: false });
const validNetify = ajv.compile(netifySchema);
const validOurs = new Ajv2020({ strict: false }).compile(procCoreSchema);

/** Configs built from every value Netify's schema allows, each checked valid there first. */
function netifyConfigs(): unknown[] {
  const configs: unknown[] = [...(netifySchema.examples as unknown[]), {}, { sinks: {} }, { sinks: { 'sink-log': {} } }];
  const formats = [undefined, 'json', 'msgpack'];
  const compressors = [undefined, 'none', 'gz'];
  const typeLists = [[], ['stream-flows'], ['stream-stats'], ['stream-flows', 'stream-stats'], ['stream-stats', 'stream-stats']];
  for (const format of formats) {
    for (const compressor of compressors) {
      for (const types of typeLists) {
        for (const enable of [undefined, true, false]) {
          configs.push({
            ...(format && { format }),
            ...(compressor && { compressor }),
            sinks: {
              'sink-mqtt': { aggregate: { types, ...(enable !== undefined && { enable }), ...(format && { format }) } },
              'sink-log': { stats: { types, ...(compressor && { compressor }), netify_future_key: 1 } },
            },
            netify_future_top_level_key: 'kept',
          });
        }
      }
    }
  }
  return configs;
}

describe('proc-core config schema', () => {
  it('accepts every config Netify v5 schema accepts', () => {
    const configs = netifyConfigs();
    expect(configs.length).toBeGreaterThan(100);
    for (const config of configs) {
      expect(validNetify(config), JSON.stringify(config)).toBe(true);
      expect(validOurs(structuredClone(config)), JSON.stringify(config)).toBe(true);
    }
  });

  it('accepts the extensions Netify rejects: gzip, the project payload types, dump_established_flows', () => {
    const config = {
      compressor: 'gzip',
      sinks: {
        'sink-socket': {
          legacy: { types: ['legacy-socket'], dump_established_flows: true },
          endpoints: { types: ['stream-endpoints'], compressor: 'gzip' },
        },
        'sink-http': { legacy: { types: ['legacy-http'] } },
      },
    };
    expect(validNetify(structuredClone(config))).toBe(false);
    expect(validOurs(structuredClone(config))).toBe(true);
  });

  it('validates the sample config shipped in etc/', () => {
    const sample = JSON.parse(readFileSync(new URL('../etc/netify-proc-core.json', import.meta.url), 'utf8')) as unknown;
    expect(validOurs(sample)).toBe(true);
    expect(parseConfig(sample, 'netify-proc-core.json').channels.length).toBeGreaterThan(0);
  });

  it('is the example the README shows', () => {
    const sample = JSON.parse(readFileSync(new URL('../etc/netify-proc-core.json', import.meta.url), 'utf8')) as unknown;
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(JSON.parse(example ?? 'null')).toEqual(sample);
  });
});

describe('parseConfig', () => {
  it('fills defaults, maps gzip to gz, lets a channel override format and compressor, and drops duplicate types', () => {
    const { channels } = parseConfig(
      {
        format: 'msgpack',
        compressor: 'gzip',
        sinks: {
          'sink-log': {
            flows: { types: ['stream-flows', 'stream-flows'] },
            stats: { enable: false, types: ['stream-stats'], format: 'json', compressor: 'none' },
          },
          'sink-socket': { legacy: { types: ['legacy-socket'], compressor: 'gz', dump_established_flows: true } },
        },
      },
      'netify-proc-core.json',
    );
    expect(channels).toEqual([
      { sink: 'sink-log', channel: 'flows', enable: true, types: ['stream-flows'], format: 'msgpack', compressor: 'gz', dumpEstablishedFlows: false },
      { sink: 'sink-log', channel: 'stats', enable: false, types: ['stream-stats'], format: 'json', compressor: 'none', dumpEstablishedFlows: false },
      { sink: 'sink-socket', channel: 'legacy', enable: true, types: ['legacy-socket'], format: 'msgpack', compressor: 'gz', dumpEstablishedFlows: true },
    ]);
  });

  it('defaults to json and no compression', () => {
    const { channels } = parseConfig({ sinks: { 'sink-log': { all: { types: ['stream-stats'] } } } }, 'f.json');
    expect(channels[0]).toMatchObject({ format: 'json', compressor: 'none', enable: true });
  });

  it('treats a missing config file as no channels', () => {
    expect(parseConfig(undefined, 'proc-core').channels).toEqual([]);
  });

  it.each([
    [{ format: 'xml' }, '/format', 'netify-proc-core.json: /format must be one of "json", "msgpack" (got "xml")'],
    [{ compressor: 'zstd' }, '/compressor', 'netify-proc-core.json: /compressor must be one of "none", "gz", "gzip" (got "zstd")'],
    [{ sinks: { 'sink-log': { all: {} } } }, '/sinks/sink-log/all/types', 'netify-proc-core.json: /sinks/sink-log/all/types is required'],
    [
      { sinks: { 'sink-log': { all: { types: ['stream-everything'] } } } },
      '/sinks/sink-log/all/types/0',
      'netify-proc-core.json: /sinks/sink-log/all/types/0 must be one of "stream-flows", "stream-stats", "stream-endpoints", "legacy-socket", "legacy-http" (got "stream-everything")',
    ],
    [{ sinks: { 'sink-log': { all: { types: [], enable: 'yes' } } } }, '/sinks/sink-log/all/enable', 'netify-proc-core.json: /sinks/sink-log/all/enable must be boolean (got "yes")'],
    [{ sinks: ['sink-log'] }, '/sinks', 'netify-proc-core.json: /sinks must be object (got ["sink-log"])'],
    ['json', '/', 'netify-proc-core.json: / must be object (got "json")'],
  ])('rejects %j with one error naming file, key and value', (config, path, message) => {
    let thrown: unknown;
    try {
      parseConfig(config, 'netify-proc-core.json');
    } catch (error) {
      thrown = error;
    }
    expect(isNetifydError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ code: 'ERR_PLUGIN_CONFIG', path, message });
  });
});
