import { connect } from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { AgentIdentity, Logger } from '@netifyd/plugin-sdk';
import { backoffDelay } from '@netifyd/sink-kit';
import type { BrokerSettings, Route } from './config.js';
import type { MqttCounters } from './counters.js';
import { statusMessage } from './status-message.js';
import { describeMqttError } from './mqtt-errors.js';

/** Time always granted to say goodbye (offline status, DISCONNECT), even when the stop budget is spent. */
const CLOSE_MIN_MS = 250;

export interface ConnectionListener {
  connected(client: MqttClient): void;
  disconnected(): void;
}

/**
 * Keeps one broker connection up. Each attempt is a fresh mqtt.js client with its own
 * reconnect disabled: on loss, the sink's queue takes back what was in flight and this
 * class retries with exponential backoff and jitter (timer unref'd). The status message
 * (online on connect, offline as will and at close) goes straight to the client,
 * outside the data queue and its counters.
 */
export class BrokerConnection {
  private client: MqttClient | undefined;
  private connectedClient: MqttClient | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failedAttempts = 0;
  private everConnected = false;
  private closed = false;
  private readonly reasonsThisOutage = new Set<string>();

  constructor(
    private readonly broker: BrokerSettings,
    private readonly status: Route | undefined,
    private readonly agent: AgentIdentity,
    private readonly counters: MqttCounters,
    private readonly log: Logger,
    private readonly listener: ConnectionListener,
  ) {}

  get isConnected(): boolean {
    return this.connectedClient !== undefined;
  }

  start(): void {
    if (!this.client && !this.closed) this.attempt();
  }

  /**
   * Ends the connection: publishes `offline` (when connected) and disconnects cleanly
   * within `timeoutMs` (at least CLOSE_MIN_MS), then tears the socket down regardless.
   */
  async close(timeoutMs: number): Promise<void> {
    const budget = Math.max(CLOSE_MIN_MS, timeoutMs);
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    const wasConnected = this.connectedClient === client && client !== undefined;
    this.client = undefined;
    this.connectedClient = undefined;
    if (!client) return;
    if (wasConnected && this.status) await this.publishStatus(client, false, budget);
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => client.end(true, {}, () => resolve()), budget);
      force.unref();
      client.end(!wasConnected, {}, () => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  private attempt(): void {
    const client = connect(this.broker.url, this.clientOptions());
    this.client = client;
    client.on('connect', () => this.onConnect(client));
    client.on('error', (error) => this.onError(client, error));
    client.on('close', () => this.onClose(client));
  }

  private clientOptions(): IClientOptions {
    const { broker } = this;
    return {
      clientId: broker.clientId,
      ...(broker.username === undefined ? {} : { username: broker.username }),
      ...(broker.password === undefined ? {} : { password: broker.password }),
      keepalive: broker.keepalive,
      clean: true,
      reconnectPeriod: 0,
      rejectUnauthorized: broker.tlsVerify,
      ...(broker.ca === undefined ? {} : { ca: broker.ca }),
      ...(broker.cert === undefined ? {} : { cert: broker.cert, key: broker.key }),
      ...(this.status
        ? { will: { topic: this.status.topic, payload: statusMessage(this.agent, false), qos: this.status.qos, retain: this.status.retain } }
        : {}),
    };
  }

  private onConnect(client: MqttClient): void {
    if (client !== this.client) return;
    this.connectedClient = client;
    if (this.everConnected) {
      this.counters.reconnects += 1;
      this.log.info(`reconnected to ${this.broker.url} after ${this.failedAttempts} attempt(s)`);
    } else {
      this.log.info(`connected to ${this.broker.url}`);
    }
    this.everConnected = true;
    this.failedAttempts = 0;
    this.reasonsThisOutage.clear();
    if (this.status) void this.publishStatus(client, true);
    this.listener.connected(client);
  }

  private onError(client: MqttClient, error: Error): void {
    if (client !== this.client) return;
    this.counters.errors += 1;
    const described = describeMqttError(error);
    if (this.reasonsThisOutage.has(described.text)) return;
    this.reasonsThisOutage.add(described.text);
    const line = `broker ${this.broker.url}: ${described.text}; retrying with backoff, payloads kept in the queue`;
    if (described.configuration) this.log.error(line);
    else this.log.warn(line);
  }

  private onClose(client: MqttClient): void {
    if (client !== this.client) return;
    const wasConnected = this.connectedClient === client;
    this.connectedClient = undefined;
    this.client = undefined;
    client.removeAllListeners('close');
    client.on('error', () => undefined);
    client.end(true);
    if (wasConnected) {
      this.log.warn(`lost the connection to ${this.broker.url}; queueing up to max_queue_kb until it is back`);
      this.listener.disconnected();
    }
    if (this.closed) return;
    const delay = backoffDelay(this.failedAttempts, { minMs: this.broker.reconnectMinMs, maxMs: this.broker.reconnectMaxMs });
    this.failedAttempts += 1;
    this.retryTimer = setTimeout(() => this.attempt(), delay);
    this.retryTimer.unref();
  }

  private publishStatus(client: MqttClient, online: boolean, timeoutMs = 0): Promise<void> {
    const status = this.status as Route;
    return new Promise((resolve) => {
      const timer = timeoutMs > 0 ? setTimeout(resolve, timeoutMs) : undefined;
      timer?.unref();
      client.publish(status.topic, statusMessage(this.agent, online), { qos: status.qos, retain: status.retain }, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
