import type { JsonSchema } from '@netifyd/plugin-sdk';

/**
 * JSON schema (draft 2020-12) of proc-core's config. It accepts everything Netify's
 * published `netify-proc-core.json` accepts (unknown keys included) and widens it:
 * - `compressor` also takes `gzip`, an alias of `gz` used in Netify's documentation text;
 * - channel `types` also take `stream-endpoints`, `legacy-socket` and `legacy-http`;
 * - channel `dump_established_flows` is new.
 */
const formatType = {
  type: 'string',
  enum: ['json', 'msgpack'],
  description: 'Serialization of each message: JSON text or one msgpack value.',
};

const compressorType = {
  type: 'string',
  enum: ['none', 'gz', 'gzip'],
  description: 'Compression of each message. `gzip` is an extension: an alias of `gz`.',
};

const channelSchema = {
  type: 'object',
  description: 'One channel of the sink, as the sink names it in its own config.',
  properties: {
    enable: { type: 'boolean', default: true, description: 'Route messages to this channel.' },
    format: { ...formatType, description: 'Overrides the top-level format for this channel.' },
    compressor: { ...compressorType, description: 'Overrides the top-level compressor for this channel.' },
    types: {
      type: 'array',
      description:
        'Payload types routed to this channel. Netify defines stream-flows and stream-stats; ' +
        'stream-endpoints, legacy-socket and legacy-http are extensions.',
      items: {
        type: 'string',
        enum: ['stream-flows', 'stream-stats', 'stream-endpoints', 'legacy-socket', 'legacy-http'],
      },
    },
    dump_established_flows: {
      type: 'boolean',
      default: false,
      description:
        'Extension: a client newly connected to this channel first gets every active flow as a ' +
        '`flow` message with `established: true` (channels carrying stream-flows or legacy-socket).',
    },
  },
  required: ['types'],
};

export const procCoreSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'netifyd-ts proc-core configuration',
  description: "Netify's netify-proc-core.json, widened with the project's extensions.",
  type: 'object',
  properties: {
    format: { ...formatType, description: 'Default format of every channel (json when absent).' },
    compressor: { ...compressorType, description: 'Default compressor of every channel (none when absent).' },
    sinks: {
      type: 'object',
      description: 'Sink instance name (its loader section, e.g. sink-log) → channel name → channel.',
      additionalProperties: {
        type: 'object',
        additionalProperties: channelSchema,
      },
    },
  },
};
