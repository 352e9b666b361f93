import { createConfigValidator } from '@netifyd/plugin-sdk';
import type { ConfigValidator, PayloadCompressor, PayloadFormat, PayloadType } from '@netifyd/plugin-sdk';
import { procCoreSchema } from './schema.js';

type CompressorName = PayloadCompressor | 'gzip';

interface RawChannel {
  enable?: boolean;
  format?: PayloadFormat;
  compressor?: CompressorName;
  types: PayloadType[];
  dump_established_flows?: boolean;
}

interface RawConfig {
  format?: PayloadFormat;
  compressor?: CompressorName;
  sinks?: Record<string, Record<string, RawChannel>>;
}

/** One `sinks.<sink>.<channel>` entry with defaults and aliases resolved. */
export interface ChannelConfig {
  readonly sink: string;
  readonly channel: string;
  readonly enable: boolean;
  /** Distinct payload types, in config order. */
  readonly types: readonly PayloadType[];
  readonly format: PayloadFormat;
  readonly compressor: PayloadCompressor;
  readonly dumpEstablishedFlows: boolean;
}

export interface ProcCoreConfig {
  readonly channels: readonly ChannelConfig[];
}

let validator: ConfigValidator<RawConfig> | undefined;

/**
 * Validates a parsed `netify-proc-core.json` (throws PluginConfigError naming file, key
 * and value) and resolves it. No config at all means no channels.
 */
export function parseConfig(config: unknown, file: string): ProcCoreConfig {
  if (config === undefined) return { channels: [] };
  validator ??= createConfigValidator<RawConfig>(procCoreSchema);
  const raw = validator(config, file);
  const format = raw.format ?? 'json';
  const compressor = normalizeCompressor(raw.compressor ?? 'none');
  const channels: ChannelConfig[] = [];
  for (const [sink, sinkChannels] of Object.entries(raw.sinks ?? {})) {
    for (const [channel, entry] of Object.entries(sinkChannels)) {
      channels.push({
        sink,
        channel,
        enable: entry.enable ?? true,
        types: [...new Set(entry.types)],
        format: entry.format ?? format,
        compressor: entry.compressor === undefined ? compressor : normalizeCompressor(entry.compressor),
        dumpEstablishedFlows: entry.dump_established_flows ?? false,
      });
    }
  }
  return { channels };
}

function normalizeCompressor(name: CompressorName): PayloadCompressor {
  return name === 'gzip' ? 'gz' : name;
}
