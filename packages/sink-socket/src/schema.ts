import type { JsonSchema } from '@netifyd/plugin-sdk';

/**
 * Keys a channel may set, or the top level may set as every channel's default. All
 * are extensions to Netify's v5 `netify-sink-socket.json`.
 */
const extensionProperties = {
  framing: {
    enum: ['netifyd', 'lines'],
    description: 'Extension. Stream sockets: "netifyd" length header before each message (default) or plain "lines".',
  },
  mode: {
    type: 'string',
    pattern: '^0?[0-7]{3}$',
    description: 'Extension. Unix socket file mode, octal (default "0660").',
  },
  max_client_queue_kb: {
    type: 'integer',
    minimum: 1,
    description: 'Extension. Bytes a client may have waiting; a client that falls further behind is disconnected.',
  },
  max_clients: {
    type: 'integer',
    minimum: 1,
    description: 'Extension. Connected clients (UDP: subscribers) per listener; more are refused.',
  },
  udp_client_ttl_s: {
    type: 'number',
    exclusiveMinimum: 0,
    description: 'Extension. UDP: a subscriber that sends nothing for this long stops receiving.',
  },
  tls_cert_file: { type: 'string', minLength: 1, description: 'Extension. wss: PEM certificate chain.' },
  tls_key_file: { type: 'string', minLength: 1, description: 'Extension. wss: PEM private key.' },
  allowed_origins: {
    type: 'array',
    items: { type: 'string', minLength: 1 },
    description: 'Extension. ws/wss: browser Origins allowed to connect ("*" = any); default: same host only.',
  },
} as const;

/**
 * sink-socket's config schema: Netify's v5 `netify-sink-socket.json` (same keys, types
 * and requirements; unknown keys stay allowed there, so here too) plus the extension
 * keys above.
 */
export const sinkSocketSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'netifyd-ts sink-socket configuration',
  type: 'object',
  properties: {
    default_port: { type: 'integer', minimum: 1, maximum: 65535 },
    ...extensionProperties,
    channels: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: {
          enable: { type: 'boolean', default: true },
          bind_address: { type: 'string', pattern: '^(unix|tcp|udp|ws|wss)://.+$' },
          ...extensionProperties,
        },
        required: ['bind_address'],
      },
    },
  },
};

export const knownTopLevelKeys: ReadonlySet<string> = new Set(Object.keys(sinkSocketSchema.properties as object));
export const knownChannelKeys: ReadonlySet<string> = new Set(['enable', 'bind_address', ...Object.keys(extensionProperties)]);

export type Framing = 'netifyd' | 'lines';

export interface SinkSocketExtensionKeys {
  framing?: Framing;
  mode?: string;
  max_client_queue_kb?: number;
  max_clients?: number;
  udp_client_ttl_s?: number;
  tls_cert_file?: string;
  tls_key_file?: string;
  allowed_origins?: string[];
}

export interface SinkSocketChannelConfig extends SinkSocketExtensionKeys {
  enable: boolean;
  bind_address: string;
}

export interface SinkSocketConfig extends SinkSocketExtensionKeys {
  default_port?: number;
  channels?: Record<string, SinkSocketChannelConfig>;
}
