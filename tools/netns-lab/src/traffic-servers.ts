import type { TestCertificate } from './certificate.js';
import { LabError } from './errors.js';
import type { Lab } from './lab.js';
import type { LabProcess } from './lab-process.js';
import { eventsOf, parseTaggedLine } from './script-lines.js';
import { trafficCommand, type TrafficScript } from './traffic-scripts.js';

export interface ServerEvent {
  type: string;
  [field: string]: unknown;
}

export interface LabServer {
  process: LabProcess;
  listen: string;
  port: number;
  /** EVENT lines printed so far (queries, handshakes, requests), parsed. */
  events(): ServerEvent[];
  /** Waits (bounded) for the first event of `type` matching `predicate`. */
  waitForEvent(type: string, timeoutMs?: number, predicate?: (event: ServerEvent) => boolean): Promise<ServerEvent>;
  stop(): Promise<void>;
}

export interface ListenOptions {
  /** Address inside the namespace; `::` (the default) takes IPv4 and IPv6. */
  listen?: string;
  port?: number;
}

const READY_TIMEOUT_MS = 5_000;
const EVENT_POLL_MS = 20;

/**
 * DNS over UDP answering A/AAAA from `records` (name → addresses of either family), through
 * the CNAMEs of `options.cnames` (alias → target) when a name has one.
 */
export function startDnsServer(
  lab: Lab,
  ns: string,
  records: Record<string, readonly string[]>,
  options: ListenOptions & { ttl?: number; cnames?: Record<string, string> } = {},
): Promise<LabServer> {
  const recordArgs = Object.entries(records).flatMap(([name, addresses]) =>
    addresses.flatMap((address) => ['--record', `${name}=${address}`]),
  );
  const cnameArgs = Object.entries(options.cnames ?? {}).flatMap(([alias, target]) => ['--cname', `${alias}=${target}`]);
  const extra = [...cnameArgs, ...(options.ttl === undefined ? [] : ['--ttl', String(options.ttl)])];
  return startServer(lab, ns, 'dns-server', 53, options, [...recordArgs, ...extra]);
}

/** HTTPS with the given certificate (TLS 1.2 and 1.3 offered). */
export function startTlsServer(lab: Lab, ns: string, certificate: TestCertificate, options: ListenOptions = {}): Promise<LabServer> {
  return startServer(lab, ns, 'tls-server', 443, options, ['--cert', certificate.certPath, '--key', certificate.keyPath]);
}

export function startHttpServer(lab: Lab, ns: string, options: ListenOptions = {}): Promise<LabServer> {
  return startServer(lab, ns, 'http-server', 80, options, []);
}

export function startUdpEchoServer(lab: Lab, ns: string, options: ListenOptions = {}): Promise<LabServer> {
  return startServer(lab, ns, 'udp-echo-server', 7, options, []);
}

/** Sends `banner` to each client (e.g. `SSH-2.0-...`), reads the client's banner line. */
export function startBannerServer(lab: Lab, ns: string, banner: string, options: ListenOptions = {}): Promise<LabServer> {
  return startServer(lab, ns, 'banner-server', 22, options, ['--banner', banner]);
}

async function startServer(
  lab: Lab,
  ns: string,
  script: TrafficScript,
  defaultPort: number,
  options: ListenOptions,
  args: readonly string[],
): Promise<LabServer> {
  const listen = options.listen ?? '::';
  const argv = trafficCommand(script, ['--listen', listen, '--port', String(options.port ?? defaultPort), ...args]);
  const child = await lab.spawn(ns, argv, { readyPattern: /^READY /, readyTimeoutMs: READY_TIMEOUT_MS });
  const readyLine = child.output().find((line) => line.startsWith('READY ')) ?? '';
  const ready = parseTaggedLine<{ port: number }>(readyLine, 'READY');
  return {
    process: child,
    listen,
    port: ready.port,
    events: () => eventsOf<ServerEvent>(child.output()),
    waitForEvent: (type, timeoutMs = 2_000, predicate = () => true) =>
      waitForEvent(child, type, predicate, timeoutMs),
    stop: async () => {
      await child.stop();
    },
  };
}

/** Events arrive as stdout lines; poll the parsed list so predicates can look at fields. */
async function waitForEvent(
  child: LabProcess,
  type: string,
  predicate: (event: ServerEvent) => boolean,
  timeoutMs: number,
): Promise<ServerEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = eventsOf<ServerEvent>(child.output()).find((event) => event.type === type && predicate(event));
    if (found) return found;
    if (Date.now() >= deadline) {
      throw new LabError('ERR_LAB_TIMEOUT', `no ${type} event from ${child.argv.join(' ')} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, EVENT_POLL_MS));
  }
}
