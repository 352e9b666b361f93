import { PluginConfigError, createConfigValidator, type Logger } from '@netifyd/plugin-sdk';
import {
  knownChannelKeys,
  knownTopLevelKeys,
  sinkLogSchema,
  type SinkLogChannelConfig,
  type SinkLogConfig,
  type SinkLogExtensionKeys,
} from './schema.js';

/** One channel's settings after defaults and top-level inheritance are applied. */
export interface ChannelPlan {
  readonly name: string;
  readonly enabled: boolean;
  readonly overwrite: boolean;
  readonly logPath: string;
  /** JSON pointer of the key that set `logPath`, for error messages. */
  readonly logPathKey: string;
  readonly logName: string;
  /** 0 = no limit. */
  readonly maxFileBytes: number;
  /** 0 = no limit. */
  readonly maxFileAgeMs: number;
  /** 0 = keep all. */
  readonly maxFiles: number;
  readonly flushIntervalMs: number;
  readonly maxQueueBytes: number;
}

export const DEFAULT_MAX_FILE_KB = 8192;
export const DEFAULT_MAX_FILE_AGE_S = 60;
export const DEFAULT_MAX_QUEUE_KB = 16384;
/** netifyd's default `update_interval`, used when netifyd.conf does not set one. */
export const DEFAULT_UPDATE_INTERVAL_S = 15;

const validate = createConfigValidator<SinkLogConfig>(sinkLogSchema);

/**
 * Validates the plugin's JSON config and resolves every channel. `updateIntervalS` is
 * netifyd.conf's `[netifyd] update_interval`, the default overwrite flush period.
 */
export function planChannels(config: unknown, file: string, updateIntervalS: number, log: Logger): ChannelPlan[] {
  // The validator fills defaults in place; never change the caller's object.
  const checked = validate(structuredClone(config ?? {}), file);
  warnUnknownKeys(checked, file, log);
  const plans: ChannelPlan[] = [];
  for (const [name, channel] of Object.entries(checked.channels ?? {})) {
    plans.push(planChannel(name, channel, checked, file, updateIntervalS));
  }
  return plans;
}

function planChannel(
  name: string,
  channel: SinkLogChannelConfig,
  top: SinkLogConfig,
  file: string,
  updateIntervalS: number,
): ChannelPlan {
  const pointer = `/channels/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  if (channel.log_name.includes('/')) {
    throw new PluginConfigError(
      file,
      `${pointer}/log_name`,
      `${file}: ${pointer}/log_name must be a file name prefix without "/" (got ${JSON.stringify(channel.log_name)}); put directories in log_path`,
    );
  }
  const pick = <K extends keyof SinkLogExtensionKeys>(key: K): number | undefined => channel[key] ?? top[key];
  return {
    name,
    enabled: channel.enable,
    overwrite: channel.overwrite ?? top.overwrite,
    logPath: channel.log_path ?? top.log_path,
    logPathKey: channel.log_path === undefined ? '/log_path' : `${pointer}/log_path`,
    logName: channel.log_name,
    maxFileBytes: (pick('max_file_kb') ?? DEFAULT_MAX_FILE_KB) * 1024,
    maxFileAgeMs: (pick('max_file_age_s') ?? DEFAULT_MAX_FILE_AGE_S) * 1000,
    maxFiles: pick('max_files') ?? 0,
    flushIntervalMs: pick('flush_interval_ms') ?? updateIntervalS * 1000,
    maxQueueBytes: (pick('max_queue_kb') ?? DEFAULT_MAX_QUEUE_KB) * 1024,
  };
}

function warnUnknownKeys(config: SinkLogConfig, file: string, log: Logger): void {
  const unknown = Object.keys(config).filter((key) => !knownTopLevelKeys.has(key));
  for (const [name, channel] of Object.entries(config.channels ?? {})) {
    unknown.push(...Object.keys(channel).filter((key) => !knownChannelKeys.has(key)).map((key) => `channels.${name}.${key}`));
  }
  if (unknown.length > 0) log.warn(`${file}: ignoring unknown key(s) ${unknown.join(', ')}`);
}

/** netifyd.conf's `update_interval` in seconds, or netifyd's default when absent or not a positive number. */
export function updateIntervalFrom(netifydSection: Readonly<Record<string, string>> | undefined): number {
  const value = Number(netifydSection?.update_interval);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_UPDATE_INTERVAL_S;
}
