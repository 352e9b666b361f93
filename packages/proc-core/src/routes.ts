import { ANY_CHANNEL, type Logger, type PayloadType, type SinkDirectory, type SinkHandle } from '@netifyd/plugin-sdk';
import type { ChannelConfig, ProcCoreConfig } from './config.js';
import { encodingKey } from './encode.js';
import { MESSAGE_PAYLOAD_TYPES, ROUTED_MESSAGES, type RoutedMessage } from './message-routing.js';

/** An enabled channel whose sink is loaded and declares it. */
export interface Route {
  readonly config: ChannelConfig;
  readonly sink: SinkHandle;
  /** Routes with equal keys share one encoding of each message. */
  readonly encoding: string;
}

/** A route a message goes to, with the channel's payload types that carry that message. */
export interface Target {
  readonly route: Route;
  readonly types: readonly PayloadType[];
}

/** Which routes each message goes to; computed once per start or reload. */
export class RouteTable {
  readonly routes: readonly Route[];
  private readonly targets = new Map<RoutedMessage, Target[]>();

  constructor(routes: readonly Route[]) {
    this.routes = routes;
    for (const message of ROUTED_MESSAGES) {
      const carriers = MESSAGE_PAYLOAD_TYPES[message];
      const list: Target[] = [];
      for (const route of routes) {
        const types = route.config.types.filter((type) => carriers.includes(type));
        if (types.length > 0) list.push({ route, types });
      }
      this.targets.set(message, list);
    }
  }

  targetsFor(message: RoutedMessage): readonly Target[] {
    return this.targets.get(message) ?? [];
  }

  has(message: RoutedMessage): boolean {
    return this.targetsFor(message).length > 0;
  }

  find(sink: string, channel: string): Route | undefined {
    return this.routes.find((route) => route.config.sink === sink && route.config.channel === channel);
  }
}

/**
 * Matches the configured channels with the loaded sinks. A sink that is not loaded, a
 * channel its sink does not declare, or a channel without types gets one warning and
 * no messages; everything else is routed.
 */
export function resolveRoutes(config: ProcCoreConfig, sinks: SinkDirectory, log: Logger, file: string): RouteTable {
  const routes: Route[] = [];
  const missingSinks = new Map<string, string[]>();
  for (const channel of config.channels) {
    if (!channel.enable) continue;
    const sink = sinks.get(channel.sink);
    if (!sink) {
      missingSinks.set(channel.sink, [...(missingSinks.get(channel.sink) ?? []), channel.channel]);
      continue;
    }
    const where = `${file} /sinks/${channel.sink}/${channel.channel}`;
    const declared = sink.channels();
    if (!declared.includes(channel.channel) && !declared.includes(ANY_CHANNEL)) {
      const known = declared.length > 0 ? declared.join(', ') : 'none';
      log.warn(
        `${where}: sink "${channel.sink}" has no enabled channel "${channel.channel}" (its channels: ${known}); nothing is routed there`,
      );
      continue;
    }
    if (channel.types.length === 0) {
      log.warn(`${where}: "types" is empty; nothing is routed there`);
      continue;
    }
    routes.push({ config: channel, sink, encoding: encodingKey(channel.format, channel.compressor) });
  }
  for (const [sink, channels] of missingSinks) {
    const loaded = sinks.names().length > 0 ? sinks.names().join(', ') : 'none';
    log.warn(
      `${file} /sinks/${sink}: sink "${sink}" is not loaded (loaded sinks: ${loaded}); ` +
        `its channels ${channels.join(', ')} receive nothing`,
    );
  }
  return new RouteTable(routes);
}
