import type { JsonSchema } from '@netifyd/plugin-sdk';

/**
 * Config schema of sink-http: Netify's v5 `netify-sink-http.json` keys with the same
 * types, plus the project's extensions (descriptions start with "Extension").
 *
 * Everything Netify's schema accepts is accepted here: unknown keys stay allowed, and the
 * two places where we are looser are deliberate — `url` may carry a port, query or
 * fragment (Netify's pattern forbids `:`), and `headers` is optional. Each URL is checked
 * again after variable expansion (config.ts), where a malformed one is refused.
 */
const authSchema: JsonSchema = {
  description: 'Extension: an Authorization header, either a bearer token or basic credentials.',
  oneOf: [
    {
      type: 'object',
      properties: { token: { type: 'string', minLength: 1 } },
      required: ['token'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: { user: { type: 'string', minLength: 1 }, pass: { type: 'string' } },
      required: ['user', 'pass'],
      additionalProperties: false,
    },
  ],
};

const channelSchema: JsonSchema = {
  type: 'object',
  properties: {
    enable: { type: 'boolean', default: true },
    timeout_connect: { type: 'integer', description: 'Seconds; 0 or less means 300 (curl default).' },
    timeout_transfer: { type: 'integer', description: 'Seconds; 0 or less means no limit.' },
    url: {
      type: 'string',
      pattern: '^https?://',
      description: 'POST target; ${uuid_agent}, ${uuid_serial}, ${uuid_site}, ${channel} expanded.',
    },
    headers: {
      type: 'object',
      // Names and values a request could not carry would fail every POST: refuse them here.
      propertyNames: { pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
      additionalProperties: { type: 'string', pattern: '^[^\\r\\n]*$' },
      default: {},
    },
    auth: authSchema,
    tls_verify: { type: 'boolean', description: 'Extension: overrides the top-level tls_verify.' },
    ca_file: { type: 'string', minLength: 1, description: 'Extension: overrides the top-level ca_file.' },
  },
  required: ['url'],
};

export const httpSinkSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://netifyd-ts.invalid/schemas/netify-sink-http.json',
  title: 'netifyd-ts sink-http configuration',
  type: 'object',
  properties: {
    timeout_connect: { type: 'integer', default: 30 },
    timeout_transfer: { type: 'integer', default: 300 },
    channels: { type: 'object', additionalProperties: channelSchema, default: {} },
    max_backlog_kb: {
      type: 'integer',
      minimum: 1,
      default: 2048,
      description: 'Extension: per-channel backlog bound in KiB; beyond it the oldest payloads are dropped.',
    },
    backlog_path: {
      type: 'string',
      minLength: 1,
      description: 'Extension: directory where an undelivered backlog is spooled at stop and reloaded at start.',
    },
    tls_verify: { type: 'boolean', default: true, description: 'Extension: verify the collector certificate.' },
    ca_file: { type: 'string', minLength: 1, description: 'Extension: PEM CA bundle trusted instead of the system roots.' },
    retry_min_ms: { type: 'integer', minimum: 1, default: 1000, description: 'Extension: first retry delay.' },
    retry_max_ms: { type: 'integer', minimum: 1, default: 60000, description: 'Extension: retry delay cap.' },
    stop_timeout_ms: {
      type: 'integer',
      minimum: 0,
      default: 5000,
      description: 'Extension: how long stop() keeps delivering the backlog before spooling or dropping it.',
    },
  },
};

export interface HttpAuthConfig {
  readonly token?: string;
  readonly user?: string;
  readonly pass?: string;
}

export interface HttpChannelConfig {
  readonly enable: boolean;
  readonly timeout_connect?: number;
  readonly timeout_transfer?: number;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly auth?: HttpAuthConfig;
  readonly tls_verify?: boolean;
  readonly ca_file?: string;
}

/** The config after validation, defaults filled. */
export interface HttpSinkConfig {
  readonly timeout_connect: number;
  readonly timeout_transfer: number;
  readonly channels: Readonly<Record<string, HttpChannelConfig>>;
  readonly max_backlog_kb: number;
  readonly backlog_path?: string;
  readonly tls_verify: boolean;
  readonly ca_file?: string;
  readonly retry_min_ms: number;
  readonly retry_max_ms: number;
  readonly stop_timeout_ms: number;
}
