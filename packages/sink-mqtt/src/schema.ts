import type { JsonSchema } from '@netifyd/plugin-sdk';

/** Netify's topic pattern: no MQTT wildcards, variables allowed. */
const TOPIC_PATTERN = '^[a-zA-Z0-9/\\._\\-${}]+$';

export const DEFAULT_TOPIC = 'netify/${uuid_agent}/${channel}';
export const DEFAULT_STATUS_TOPIC = 'netify/${uuid_agent}/status';
/**
 * Netify's schema has no channel list (the topic template takes `${channel}`), but
 * proc-core routes only to channels a sink declares. Without `channels`, these names
 * (those used in Netify's published examples) are declared.
 */

const qosSchema: JsonSchema = { type: 'integer', enum: [0, 1, 2] };

/**
 * Config schema of sink-mqtt: Netify's v5 `netify-sink-mqtt.json` keys with the same types,
 * plus the project's extensions (descriptions start with "Extension").
 *
 * Everything Netify's schema accepts is accepted here (unknown keys stay allowed). Looser
 * on purpose: `user`/`pass` are optional (anonymous brokers), `topic` defaults to
 * `netify/${uuid_agent}/${channel}`, and `host` may be replaced by `url`; config.ts
 * insists on one of `host` or `url`.
 */
export const mqttSinkSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://netifyd-ts.invalid/schemas/netify-sink-mqtt.json',
  title: 'netifyd-ts sink-mqtt configuration',
  type: 'object',
  properties: {
    host: { type: 'string', pattern: '^[A-Za-z0-9._:\\-\\[\\]]+$', description: 'Broker host name or address.' },
    port: { type: 'integer', minimum: 1, maximum: 65535, default: 1883 },
    user: { type: 'string' },
    pass: { type: 'string' },
    topic: { type: 'string', pattern: TOPIC_PATTERN, default: DEFAULT_TOPIC },
    message_qos: { ...qosSchema, default: 1 },
    message_retain: { type: 'boolean', default: false },
    url: {
      type: 'string',
      pattern: '^(mqtt|mqtts|ws|wss)://',
      description: 'Extension: broker URL (mqtt://, mqtts://, ws://, wss://); replaces host and port.',
    },
    tls: { type: 'boolean', description: 'Extension: with host/port, connect with TLS (default: true when port is 8883).' },
    client_id: { type: 'string', minLength: 1, maxLength: 128, description: 'Extension: MQTT client id (default: agent uuid).' },
    ca_file: { type: 'string', minLength: 1, description: 'Extension: PEM CA bundle trusted instead of the system roots.' },
    cert_file: { type: 'string', minLength: 1, description: 'Extension: PEM client certificate (mutual TLS).' },
    key_file: { type: 'string', minLength: 1, description: 'Extension: PEM key of cert_file.' },
    tls_verify: { type: 'boolean', default: true, description: "Extension: verify the broker's certificate." },
    keepalive: { type: 'integer', minimum: 0, maximum: 65535, default: 60, description: 'Extension: seconds.' },
    reconnect_min_ms: { type: 'integer', minimum: 1, default: 1000, description: 'Extension: first reconnect delay.' },
    reconnect_max_ms: { type: 'integer', minimum: 1, default: 30000, description: 'Extension: reconnect delay cap.' },
    max_queue_kb: {
      type: 'integer',
      minimum: 1,
      default: 2048,
      description: 'Extension: bound of queued plus in-flight payload bytes; beyond it the oldest queued are dropped.',
    },
    stop_timeout_ms: {
      type: 'integer',
      minimum: 0,
      default: 5000,
      description: 'Extension: how long stop() keeps publishing the queue (QoS >= 1 acknowledged) before giving up.',
    },
    last_will: {
      type: 'object',
      description: 'Extension: online/offline status messages; offline is also registered as the last will.',
      properties: {
        enable: { type: 'boolean', default: true },
        topic: { type: 'string', pattern: TOPIC_PATTERN, default: DEFAULT_STATUS_TOPIC },
        qos: { ...qosSchema, default: 1 },
        retain: { type: 'boolean', default: true },
      },
      additionalProperties: false,
      default: {},
    },
    channels: {
      type: 'object',
      description: 'Extension: the channels this sink declares, each with optional topic/QoS/retain; without it every channel name proc-core routes here is accepted.',
      additionalProperties: {
        type: 'object',
        properties: {
          enable: { type: 'boolean', default: true },
          topic: { type: 'string', pattern: TOPIC_PATTERN },
          message_qos: qosSchema,
          message_retain: { type: 'boolean' },
        },
        additionalProperties: false,
      },
    },
  },
};

export interface MqttChannelConfig {
  readonly enable: boolean;
  readonly topic?: string;
  readonly message_qos?: 0 | 1 | 2;
  readonly message_retain?: boolean;
}

export interface MqttLastWillConfig {
  readonly enable: boolean;
  readonly topic: string;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
}

/** The config after validation, defaults filled. */
export interface MqttSinkConfig {
  readonly host?: string;
  readonly port: number;
  readonly user?: string;
  readonly pass?: string;
  readonly topic: string;
  readonly message_qos: 0 | 1 | 2;
  readonly message_retain: boolean;
  readonly url?: string;
  readonly tls?: boolean;
  readonly client_id?: string;
  readonly ca_file?: string;
  readonly cert_file?: string;
  readonly key_file?: string;
  readonly tls_verify: boolean;
  readonly keepalive: number;
  readonly reconnect_min_ms: number;
  readonly reconnect_max_ms: number;
  readonly max_queue_kb: number;
  readonly stop_timeout_ms: number;
  readonly last_will: MqttLastWillConfig;
  readonly channels?: Readonly<Record<string, MqttChannelConfig>>;
}
