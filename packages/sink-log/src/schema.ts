import type { JsonSchema } from '@netifyd/plugin-sdk';

/**
 * Keys a channel may also set at the top level as the default for every channel.
 * All of them are extensions to Netify's v5 `netify-sink-log.json`.
 */
const extensionProperties = {
  max_file_kb: {
    type: 'integer',
    minimum: 0,
    description: 'Extension. overwrite=false: start a new file once this size is reached (0 = no size limit).',
  },
  max_file_age_s: {
    type: 'number',
    minimum: 0,
    description: 'Extension. overwrite=false: publish the open file after this many seconds (0 = no age limit).',
  },
  max_files: {
    type: 'integer',
    minimum: 0,
    description: 'Extension. overwrite=false: keep at most this many published files per channel (0 = keep all).',
  },
  flush_interval_ms: {
    type: 'integer',
    minimum: 10,
    description: "Extension. overwrite=true: replace the file this often (default: netifyd.conf's update_interval).",
  },
  max_queue_kb: {
    type: 'integer',
    minimum: 1,
    description: 'Extension. Payload bytes a channel may hold before they reach disk; beyond it payloads are dropped.',
  },
} as const;

/**
 * sink-log's config schema: Netify's v5 `netify-sink-log.json` (same keys, types,
 * defaults and requirements; unknown keys stay allowed there, so here too) plus the
 * extension keys above.
 */
export const sinkLogSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'netifyd-ts sink-log configuration',
  type: 'object',
  properties: {
    overwrite: { type: 'boolean', default: false },
    log_path: { type: 'string', default: '/tmp' },
    ...extensionProperties,
    channels: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: {
          enable: { type: 'boolean', default: true },
          overwrite: { type: 'boolean' },
          log_path: { type: 'string' },
          log_name: { type: 'string', minLength: 1 },
          ...extensionProperties,
        },
        required: ['log_name'],
      },
    },
  },
};

/** Keys the schema knows, to warn (not fail) about the ones it does not. */
export const knownTopLevelKeys: ReadonlySet<string> = new Set(Object.keys(sinkLogSchema.properties as object));
export const knownChannelKeys: ReadonlySet<string> = new Set([
  'enable',
  'overwrite',
  'log_path',
  'log_name',
  ...Object.keys(extensionProperties),
]);

export interface SinkLogExtensionKeys {
  max_file_kb?: number;
  max_file_age_s?: number;
  max_files?: number;
  flush_interval_ms?: number;
  max_queue_kb?: number;
}

export interface SinkLogChannelConfig extends SinkLogExtensionKeys {
  enable: boolean;
  overwrite?: boolean;
  log_path?: string;
  log_name: string;
}

export interface SinkLogConfig extends SinkLogExtensionKeys {
  overwrite: boolean;
  log_path: string;
  channels?: Record<string, SinkLogChannelConfig>;
}
