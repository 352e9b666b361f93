import { readFile } from 'node:fs/promises';
import { connect } from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { DeliveryKind } from './agent-ledger.js';
import { AgentTopic } from './agent-topic.js';
import { CollectorError } from './collector-error.js';
import { FlowLedger } from './flow-ledger.js';
import type { DecodedMessage } from './message-decoder.js';

export const DEFAULT_TOPIC = 'netify/+/flows';
const SCHEMES = new Set(['mqtt:', 'mqtts:', 'ws:', 'wss:']);

export interface CollectorOptions {
  /** Broker URL: `mqtt://`, `mqtts://`, `ws://` or `wss://`, without credentials. */
  readonly url: string;
  /** Subscription filter; its one `+` level is the agent uuid. Default `netify/+/flows`. */
  readonly topic?: string;
  readonly username?: string;
  readonly password?: string;
  /**
   * Fixed client id: the collector then keeps a persistent session (clean = false), so the
   * broker queues QoS 1 messages for it while it is away. Default: a random id, clean session.
   */
  readonly clientId?: string;
  /** PEM CA bundle to trust for mqtts/wss instead of the system roots. */
  readonly caFile?: string;
  /** How long `start` waits for the first connection (default 5000 ms). */
  readonly connectTimeoutMs?: number;
  /** Recent unique payloads remembered per agent for duplicate detection. */
  readonly dedupWindow?: number;
  /** Called for every delivery, after it was counted. */
  readonly onDelivery?: (delivery: Delivery) => void;
  /** Called for connection problems after `start` (the client keeps reconnecting). */
  readonly onError?: (error: Error) => void;
}

export interface Delivery {
  readonly agent: string;
  readonly topic: string;
  readonly payload: Buffer;
  readonly kind: DeliveryKind;
  readonly message?: DecodedMessage;
}

/**
 * Subscribes to every agent's flow topic with QoS 1 and counts what arrives per agent
 * uuid in a {@link FlowLedger} (duplicates apart, flows by digest).
 */
export class Collector {
  /** Messages on matching topics without an agent level (e.g. `netify//flows`). */
  strays = 0;
  /** QoS the broker granted for the subscription. */
  grantedQos = 0;

  private constructor(
    private readonly client: MqttClient,
    private readonly topic: AgentTopic,
    readonly ledger: FlowLedger,
    private readonly onDelivery: CollectorOptions['onDelivery'],
  ) {}

  static async start(options: CollectorOptions): Promise<Collector> {
    const topic = new AgentTopic(options.topic ?? DEFAULT_TOPIC);
    const url = checkUrl(options.url);
    const timeoutMs = options.connectTimeoutMs ?? 5000;
    const clientOptions: IClientOptions = {
      reconnectPeriod: 1000,
      connectTimeout: timeoutMs,
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
      ...(options.clientId !== undefined ? { clientId: options.clientId, clean: false } : {}),
      ...(options.caFile !== undefined ? { ca: await readCa(options.caFile) } : {}),
    };
    const client = connect(url, clientOptions);
    const collector = new Collector(client, topic, new FlowLedger(options.dedupWindow), options.onDelivery);
    // A persistent session may deliver queued messages right after CONNACK, before SUBACK.
    client.on('message', (messageTopic, payload) => collector.take(messageTopic, payload));
    let started = false;
    client.on('error', (error) => {
      if (started) options.onError?.(error);
    });
    try {
      await firstConnection(client, url, timeoutMs);
      const [grant] = await client.subscribeAsync(topic.filter, { qos: 1 });
      if (!grant || grant.qos === 128) {
        throw new CollectorError('ERR_COLLECTOR_SUBSCRIBE', `broker ${url} refused the subscription to "${topic.filter}"`);
      }
      collector.grantedQos = grant.qos;
      started = true;
      return collector;
    } catch (error) {
      await client.endAsync(true);
      throw error;
    }
  }

  /** Disconnects cleanly; a persistent session (`clientId`) stays subscribed on the broker. */
  async stop(): Promise<void> {
    await this.client.endAsync();
  }

  private take(messageTopic: string, payload: Buffer): void {
    const agent = this.topic.agentOf(messageTopic);
    if (agent === undefined) {
      this.strays += 1;
      return;
    }
    const counted = this.ledger.record(agent, payload);
    this.onDelivery?.({ agent, topic: messageTopic, payload, ...counted });
  }
}

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CollectorError('ERR_COLLECTOR_URL', `broker URL is not a URL (got "${url}")`);
  }
  if (parsed.username || parsed.password) {
    throw new CollectorError('ERR_COLLECTOR_URL', 'broker URL must not contain credentials: give the user name and password separately');
  }
  if (!SCHEMES.has(parsed.protocol)) {
    throw new CollectorError('ERR_COLLECTOR_URL', `broker URL must start with mqtt://, mqtts://, ws:// or wss:// (got "${url}")`);
  }
  return url;
}

async function readCa(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new CollectorError('ERR_COLLECTOR_CA', `CA file cannot be read: ${reason} (got "${file}")`);
  }
}

/** Resolves on the first CONNACK; rejects on the first error (refused, unreachable, not authorized) or after `timeoutMs`. */
function firstConnection(client: MqttClient, url: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error): void => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', onError);
      if (error) reject(new CollectorError('ERR_COLLECTOR_CONNECT', `cannot connect to ${url}: ${error.message}`));
      else resolve();
    };
    const onConnect = (): void => settle();
    const onError = (error: Error): void => settle(error);
    const timer = setTimeout(() => settle(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    client.once('connect', onConnect);
    client.once('error', onError);
  });
}
