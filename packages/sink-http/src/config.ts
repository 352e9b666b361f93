import { readFile } from 'node:fs/promises';
import { PluginConfigError, createConfigValidator, expandTemplate } from '@netifyd/plugin-sdk';
import type { PluginContext, TemplateVariables } from '@netifyd/plugin-sdk';
import { httpSinkSchema } from './schema.js';
import type { HttpChannelConfig, HttpSinkConfig } from './schema.js';

/** Everything one channel needs to POST, resolved from the config once at init. */
export interface ChannelTarget {
  readonly channel: string;
  readonly url: URL;
  /** Expanded Netify headers plus the agent identity and auth headers (content headers are per payload). */
  readonly headers: Readonly<Record<string, string>>;
  readonly connectTimeoutMs: number;
  /** 0 = no limit. */
  readonly transferTimeoutMs: number;
  readonly tlsVerify: boolean;
  /** PEM text of the CA bundle, or undefined for the system roots. */
  readonly ca?: string;
}

export interface ResolvedHttpConfig {
  readonly targets: readonly ChannelTarget[];
  readonly maxBacklogBytes: number;
  readonly backlogPath?: string;
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
  readonly stopTimeoutMs: number;
}

const CURL_DEFAULT_CONNECT_S = 300;
const validate = createConfigValidator<HttpSinkConfig>(httpSinkSchema);

/** Validates and resolves a parsed config; throws one PluginConfigError naming the key. */
export async function resolveHttpConfig(raw: unknown, context: PluginContext): Promise<ResolvedHttpConfig> {
  const file = context.configFile ?? 'netify-sink-http.json';
  // The validator fills defaults in place; work on a copy so the caller's object stays as read.
  const config = validate(raw === undefined ? raw : structuredClone(raw), file);
  const caCache = new Map<string, string>();
  const targets: ChannelTarget[] = [];
  for (const [channel, settings] of Object.entries(config.channels)) {
    if (!settings.enable) continue;
    targets.push(await resolveTarget(file, config, channel, settings, context, caCache));
  }
  return {
    targets,
    maxBacklogBytes: config.max_backlog_kb * 1024,
    backlogPath: config.backlog_path === undefined ? undefined : expandPath(config.backlog_path, context),
    retryMinMs: config.retry_min_ms,
    retryMaxMs: Math.max(config.retry_min_ms, config.retry_max_ms),
    stopTimeoutMs: config.stop_timeout_ms,
  };
}

async function resolveTarget(
  file: string,
  config: HttpSinkConfig,
  channel: string,
  settings: HttpChannelConfig,
  context: PluginContext,
  caCache: Map<string, string>,
): Promise<ChannelTarget> {
  const key = `/channels/${channel}`;
  const variables = templateVariables(context, channel);
  const url = parseUrl(file, `${key}/url`, expandTemplate(settings.url, variables));
  const caFile = settings.ca_file ?? config.ca_file;
  const caKey = settings.ca_file !== undefined ? `${key}/ca_file` : '/ca_file';
  const connectS = settings.timeout_connect ?? config.timeout_connect;
  const transferS = settings.timeout_transfer ?? config.timeout_transfer;
  return {
    channel,
    url,
    headers: buildHeaders(settings, context, variables),
    connectTimeoutMs: (connectS > 0 ? connectS : CURL_DEFAULT_CONNECT_S) * 1000,
    transferTimeoutMs: transferS > 0 ? transferS * 1000 : 0,
    tlsVerify: settings.tls_verify ?? config.tls_verify,
    ca: caFile === undefined ? undefined : await readCa(file, caKey, caFile, caCache),
  };
}

function templateVariables(context: PluginContext, channel: string): TemplateVariables {
  return {
    uuid_agent: context.agent.uuid,
    uuid_serial: context.agent.uuidSerial,
    uuid_site: context.agent.uuidSite,
    channel,
    path_state_persistent: context.paths.persistent,
    path_state_volatile: context.paths.volatile,
  };
}

function expandPath(path: string, context: PluginContext): string {
  return expandTemplate(path, {
    path_state_persistent: context.paths.persistent,
    path_state_volatile: context.paths.volatile,
  });
}

function parseUrl(file: string, key: string, text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PluginConfigError(file, key, `${file}: ${key} is not a valid URL (got ${JSON.stringify(redact(text))})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PluginConfigError(file, key, `${file}: ${key} must be an http:// or https:// URL (got ${JSON.stringify(url.protocol)})`);
  }
  if (url.username || url.password) {
    throw new PluginConfigError(file, key, `${file}: ${key} must not carry credentials; use ${key.replace(/url$/, 'auth')} instead`);
  }
  return url;
}

/** Hides anything that looks like `user:pass@` in a URL we could not parse. */
function redact(text: string): string {
  return text.replace(/\/\/[^/]*@/, '//***@');
}

function buildHeaders(settings: HttpChannelConfig, context: PluginContext, variables: TemplateVariables): Record<string, string> {
  // Identity headers as netifyd's HTTP sink sent them; the config's headers win on a clash.
  const headers: Record<string, string> = {
    'user-agent': context.agent.buildVersion,
    'x-uuid': context.agent.uuid,
    'x-uuid-serial': context.agent.uuidSerial,
  };
  if (context.agent.uuidSite) headers['x-uuid-site'] = context.agent.uuidSite;
  for (const [name, value] of Object.entries(settings.headers)) {
    headers[name.toLowerCase()] = expandTemplate(value, variables);
  }
  const auth = settings.auth;
  if (auth?.token !== undefined) headers.authorization = `Bearer ${auth.token}`;
  else if (auth?.user !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.pass ?? ''}`).toString('base64')}`;
  }
  return headers;
}

async function readCa(file: string, key: string, path: string, cache: Map<string, string>): Promise<string> {
  const cached = cache.get(path);
  if (cached !== undefined) return cached;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new PluginConfigError(file, key, `${file}: ${key} cannot be read: ${reason} (got ${JSON.stringify(path)})`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new PluginConfigError(file, key, `${file}: ${key} must be a PEM file with at least one certificate (got ${JSON.stringify(path)})`);
  }
  cache.set(path, text);
  return text;
}
