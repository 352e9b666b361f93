import { PluginConfigError, createConfigValidator, type Logger } from '@netifyd/plugin-sdk';
import { NETIFYD_SOCKET_PORT, parseBindAddress, type BindAddress } from './bind-address.js';
import { LEGACY_SOCKET_CHANNEL, channelsFromSocketSection } from './legacy-socket-section.js';
import {
  knownChannelKeys,
  knownTopLevelKeys,
  sinkSocketSchema,
  type Framing,
  type SinkSocketConfig,
  type SinkSocketExtensionKeys,
} from './schema.js';

export const DEFAULT_MODE = 0o660;
export const DEFAULT_MAX_CLIENT_QUEUE_KB = 1024;
export const DEFAULT_MAX_CLIENTS = 64;
export const DEFAULT_UDP_CLIENT_TTL_S = 300;

/** Everything one listener needs, defaults applied. */
export interface ListenerPlan {
  readonly channel: string;
  readonly address: BindAddress;
  /** The configured text, for messages. */
  readonly configured: string;
  /** `<file>: <JSON pointer or INI key>` the address came from, for messages. */
  readonly key: string;
  readonly configFile: string;
  readonly framing: Framing;
  readonly mode: number;
  readonly maxClientQueueBytes: number;
  readonly maxClients: number;
  readonly udpClientTtlMs: number;
  readonly tlsCertFile: string | undefined;
  readonly tlsKeyFile: string | undefined;
  /** undefined = same host only; ['*'] = any. */
  readonly allowedOrigins: readonly string[] | undefined;
}

export interface ChannelPlan {
  readonly name: string;
  readonly enabled: boolean;
  readonly listeners: readonly ListenerPlan[];
}

const validate = createConfigValidator<SinkSocketConfig>(sinkSocketSchema);

/**
 * Validates the JSON config and resolves its channels. When it defines none, the
 * listeners of netifyd.conf's `[socket]` section become channel `legacy-socket`,
 * with one deprecation line in the log.
 */
export function planChannels(
  config: unknown,
  file: string,
  socketSection: Readonly<Record<string, string>> | undefined,
  log: Logger,
): ChannelPlan[] {
  const checked = validate(structuredClone(config ?? {}), file);
  warnUnknownKeys(checked, file, log);
  const defaultPort = checked.default_port ?? NETIFYD_SOCKET_PORT;
  const channels = Object.entries(checked.channels ?? {});
  if (channels.length === 0) return planLegacyChannel(socketSection, checked, defaultPort, log);
  return channels.map(([name, channel]) => {
    const pointer = `/channels/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const settings = { ...stripUndefined(checked), ...stripUndefined(channel) };
    const listener = planListener(name, channel.bind_address, `${pointer}/bind_address`, file, defaultPort, settings);
    return { name, enabled: channel.enable, listeners: [listener] };
  });
}

function planLegacyChannel(
  section: Readonly<Record<string, string>> | undefined,
  top: SinkSocketConfig,
  defaultPort: number,
  log: Logger,
): ChannelPlan[] {
  const addresses = channelsFromSocketSection(section)[LEGACY_SOCKET_CHANNEL] ?? [];
  if (addresses.length === 0) return [];
  log.warn(
    `netifyd.conf [socket] is deprecated: serving ${addresses.join(', ')} as sink-socket channel "${LEGACY_SOCKET_CHANNEL}"; ` +
      'move these listeners to channels in netify-sink-socket.json',
  );
  const listeners = addresses.map((address, index) =>
    planListener(LEGACY_SOCKET_CHANNEL, address, `[socket] listener ${index}`, 'netifyd.conf', defaultPort, stripUndefined(top)),
  );
  return [{ name: LEGACY_SOCKET_CHANNEL, enabled: true, listeners }];
}

function planListener(
  channel: string,
  configured: string,
  key: string,
  file: string,
  defaultPort: number,
  settings: SinkSocketExtensionKeys,
): ListenerPlan {
  const parsed = parseBindAddress(configured, defaultPort);
  if (!parsed.ok) {
    throw new PluginConfigError(file, key, `${file}: ${key} must be ${parsed.expected} (got ${JSON.stringify(configured)})`);
  }
  return {
    channel,
    address: parsed.address,
    configured,
    key: `${file}: ${key}`,
    configFile: file,
    framing: settings.framing ?? 'netifyd',
    mode: settings.mode === undefined ? DEFAULT_MODE : Number.parseInt(settings.mode, 8),
    maxClientQueueBytes: (settings.max_client_queue_kb ?? DEFAULT_MAX_CLIENT_QUEUE_KB) * 1024,
    maxClients: settings.max_clients ?? DEFAULT_MAX_CLIENTS,
    udpClientTtlMs: (settings.udp_client_ttl_s ?? DEFAULT_UDP_CLIENT_TTL_S) * 1000,
    tlsCertFile: settings.tls_cert_file,
    tlsKeyFile: settings.tls_key_file,
    allowedOrigins: settings.allowed_origins,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

function warnUnknownKeys(config: SinkSocketConfig, file: string, log: Logger): void {
  const unknown = Object.keys(config).filter((key) => !knownTopLevelKeys.has(key));
  for (const [name, channel] of Object.entries(config.channels ?? {})) {
    unknown.push(...Object.keys(channel).filter((key) => !knownChannelKeys.has(key)).map((key) => `channels.${name}.${key}`));
  }
  if (unknown.length > 0) log.warn(`${file}: ignoring unknown key(s) ${unknown.join(', ')}`);
}
