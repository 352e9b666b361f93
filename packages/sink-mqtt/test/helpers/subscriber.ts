import { connect } from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';

export interface Received {
  readonly topic: string;
  readonly payload: Buffer;
  readonly retain: boolean;
  readonly qos: number;
}

export interface Subscriber {
  readonly client: MqttClient;
  readonly messages: Received[];
  on(topic: string): Received[];
  close(): Promise<void>;
}

/**
 * A real mqtt.js subscriber on `filter`. With `persistent`, it keeps a broker session
 * (fixed client id, clean=false, QoS 1) and reconnects quickly, so a broker restart with
 * persistence loses nothing addressed to it.
 */
export async function subscribe(
  url: string,
  filter: string,
  options: IClientOptions & { persistent?: boolean } = {},
): Promise<Subscriber> {
  const { persistent, ...clientOptions } = options;
  const client = connect(url, {
    reconnectPeriod: 100,
    ...(persistent ? { clean: false, clientId: `test-subscriber-${process.pid}-${Date.now()}` } : {}),
    ...clientOptions,
  });
  client.on('error', () => undefined);
  const messages: Received[] = [];
  client.on('message', (topic, payload, packet) => messages.push({ topic, payload, retain: packet.retain, qos: packet.qos }));
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    setTimeout(() => reject(new Error(`subscriber could not connect to ${url}`)), 5000).unref();
  });
  await client.subscribeAsync(filter, { qos: 1 });
  return {
    client,
    messages,
    on: (topic) => messages.filter((m) => m.topic === topic),
    close: () => client.endAsync(true),
  };
}
