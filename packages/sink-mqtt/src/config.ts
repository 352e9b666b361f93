import { readFile } from 'node:fs/promises';
import { PluginConfigError, createConfigValidator, expandTemplate, ANY_CHANNEL } from '@netifyd/plugin-sdk';
import type { PluginContext } from '@netifyd/plugin-sdk';
import { mqttSinkSchema } from './schema.js';
import type { MqttLastWillConfig, MqttSinkConfig } from './schema.js';

export type Qos = 0 | 1 | 2;

/** Where and how one channel's payloads are published. */
export interface Route {
  readonly topic: string;
  readonly qos: Qos;
  readonly retain: boolean;
}

/** What a broker connection needs, resolved once at init. TLS material is PEM text. */
export interface BrokerSettings {
  /** scheme://host:port[/path], never with credentials: safe to log. */
  readonly url: string;
  readonly clientId: string;
  readonly username?: string;
  readonly password?: string;
  readonly keepalive: number;
  readonly tlsVerify: boolean;
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly reconnectMinMs: number;
  readonly reconnectMaxMs: number;
}

export interface ResolvedMqttConfig {
  readonly broker: BrokerSettings;
  /** The route of a channel, or undefined when the channel is unknown or disabled. */
  route(channel: string): Route | undefined;
  /** Declared channel names: the enabled configured ones, or ANY_CHANNEL without a channel list. */
  readonly channelNames: readonly string[];
  readonly status?: Route;
  readonly maxQueueBytes: number;
  readonly stopTimeoutMs: number;
}

const validate = createConfigValidator<MqttSinkConfig>(mqttSinkSchema);
const SCHEMES = new Set(['mqtt:', 'mqtts:', 'ws:', 'wss:']);

/** Validates and resolves a parsed config; throws one PluginConfigError naming the key. */
export async function resolveMqttConfig(raw: unknown, context: PluginContext): Promise<ResolvedMqttConfig> {
  const file = context.configFile ?? 'netify-sink-mqtt.json';
  // The validator fills defaults in place; work on a copy so the caller's object stays as read.
  const config = validate(raw === undefined ? raw : structuredClone(raw), file);
  const variables = { uuid_agent: context.agent.uuid, uuid_serial: context.agent.uuidSerial, uuid_site: context.agent.uuidSite };
  const routes = new Map<string, Route | undefined>();
  const routeOf = (channel: string): Route | undefined => {
    const settings = config.channels ? config.channels[channel] : { enable: true };
    if (!settings?.enable) return undefined;
    const topic = expandTemplate(settings.topic ?? config.topic, { ...variables, channel });
    // A channel name can bring wildcards into the topic; such a topic cannot be published to.
    if (/[+#\u0000]/.test(topic)) return undefined;
    return {
      topic,
      qos: settings.message_qos ?? config.message_qos,
      retain: settings.message_retain ?? config.message_retain,
    };
  };
  if ((config.cert_file === undefined) !== (config.key_file === undefined)) {
    const missing = config.cert_file === undefined ? '/cert_file' : '/key_file';
    const present = missing === '/cert_file' ? '/key_file' : '/cert_file';
    throw new PluginConfigError(file, missing, `${file}: ${missing} is required when ${present} is set`);
  }
  return {
    broker: {
      url: brokerUrl(file, config),
      clientId: config.client_id ?? context.agent.uuid,
      username: config.user,
      password: config.pass,
      keepalive: config.keepalive,
      tlsVerify: config.tls_verify,
      ca: await readPem(file, '/ca_file', config.ca_file, 'CERTIFICATE'),
      cert: await readPem(file, '/cert_file', config.cert_file, 'CERTIFICATE'),
      key: await readPem(file, '/key_file', config.key_file, 'PRIVATE KEY'),
      reconnectMinMs: config.reconnect_min_ms,
      reconnectMaxMs: Math.max(config.reconnect_min_ms, config.reconnect_max_ms),
    },
    route(channel: string): Route | undefined {
      if (!routes.has(channel)) routes.set(channel, routeOf(channel));
      return routes.get(channel);
    },
    channelNames: config.channels
      ? Object.entries(config.channels)
          .filter(([, settings]) => settings.enable)
          .map(([name]) => name)
      : [ANY_CHANNEL],
    status: statusRoute(config.last_will, variables),
    maxQueueBytes: config.max_queue_kb * 1024,
    stopTimeoutMs: config.stop_timeout_ms,
  };
}

function brokerUrl(file: string, config: MqttSinkConfig): string {
  if (config.url !== undefined) {
    let url: URL;
    try {
      url = new URL(config.url);
    } catch {
      throw new PluginConfigError(file, '/url', `${file}: /url is not a valid URL (got ${JSON.stringify(config.url.replace(/\/\/[^/]*@/, '//***@'))})`);
    }
    if (!SCHEMES.has(url.protocol) || !url.hostname) {
      throw new PluginConfigError(file, '/url', `${file}: /url must be mqtt://, mqtts://, ws:// or wss:// with a host (got ${JSON.stringify(url.protocol)})`);
    }
    if (url.username || url.password) {
      throw new PluginConfigError(file, '/url', `${file}: /url must not carry credentials; use /user and /pass instead`);
    }
    return url.href.replace(/\/$/, '');
  }
  if (config.host === undefined) {
    throw new PluginConfigError(file, '/host', `${file}: /host is required (or give the broker as /url)`);
  }
  const tls = config.tls ?? config.port === 8883;
  const host = config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
  return `${tls ? 'mqtts' : 'mqtt'}://${host}:${config.port}`;
}

function statusRoute(will: MqttLastWillConfig, variables: Record<string, string>): Route | undefined {
  if (!will.enable) return undefined;
  return { topic: expandTemplate(will.topic, variables), qos: will.qos, retain: will.retain };
}

async function readPem(file: string, key: string, path: string | undefined, kind: string): Promise<string | undefined> {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new PluginConfigError(file, key, `${file}: ${key} cannot be read: ${reason} (got ${JSON.stringify(path)})`);
  }
  if (!new RegExp(`-----BEGIN [A-Z ]*${kind}-----`).test(text)) {
    throw new PluginConfigError(file, key, `${file}: ${key} must be a PEM file holding a ${kind.toLowerCase()} (got ${JSON.stringify(path)})`);
  }
  return text;
}
