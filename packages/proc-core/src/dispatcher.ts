import type { Logger, MessageType, Payload, PayloadType } from '@netifyd/plugin-sdk';
import { encodeEnvelope, encodeMessage } from './encode.js';
import { FlowEnvelope } from './flow-envelope.js';
import { WIRE_TYPE, type RoutedMessage } from './message-routing.js';
import type { Route, RouteTable } from './routes.js';

export interface DispatchCounters {
  /** Messages built and routed to at least one channel (counted once however many channels). */
  messages: number;
  payloads_dispatched: number;
  /** Payloads a sink refused (dispatch returned false). */
  payloads_refused: number;
  encode_errors: number;
}

/**
 * Encodes each message once per (format, compressor) among its target channels and hands
 * the payloads to the sinks. Never throws: encode failures and refusals are counted, and
 * the first of each is logged.
 */
export class Dispatcher {
  readonly counters: DispatchCounters = { messages: 0, payloads_dispatched: 0, payloads_refused: 0, encode_errors: 0 };
  private readonly log: Logger;
  private readonly refusalLogged = new WeakSet<Route>();
  private encodeErrorLogged = false;

  constructor(log: Logger) {
    this.log = log;
  }

  /** Sends one message: an object, or a flow envelope (whose flow is written once for all its messages). */
  send(table: RouteTable, message: RoutedMessage, body: object | FlowEnvelope): void {
    const targets = table.targetsFor(message);
    if (targets.length === 0) return;
    this.counters.messages++;
    const type = WIRE_TYPE[message];
    // Most messages have one target; a map only when a second encoding turns up.
    let lastEncoding: string | undefined;
    let lastData: Uint8Array | null = null;
    let others: Map<string, Uint8Array | null> | undefined;
    for (const { route, types } of targets) {
      let data: Uint8Array | null | undefined;
      if (route.encoding === lastEncoding) data = lastData;
      else {
        if (lastEncoding !== undefined) (others ??= new Map()).set(lastEncoding, lastData);
        data = others?.get(route.encoding);
        if (data === undefined) data = this.encode(type, body, route);
        lastEncoding = route.encoding;
        lastData = data;
      }
      if (data !== null) this.deliver(route, this.payload(route, type, types, data));
    }
  }

  /** One message encoded for one channel, not dispatched (greetings for a new client). */
  payloadFor(route: Route, type: MessageType, types: readonly PayloadType[], body: object): Payload | undefined {
    const data = this.encode(type, body, route);
    return data === null ? undefined : this.payload(route, type, types, data);
  }

  /** Logs how many encode errors and refusals followed the first ones logged. */
  summarize(): void {
    const { encode_errors: errors, payloads_refused: refused } = this.counters;
    if (errors > 1) this.log.warn(`${errors} messages could not be encoded in total`);
    if (refused > 1) this.log.warn(`${refused} payloads were refused by sinks in total`);
  }

  private payload(route: Route, type: MessageType, types: readonly PayloadType[], data: Uint8Array): Payload {
    return { message: type, types, format: route.config.format, compressor: route.config.compressor, data };
  }

  private encode(type: MessageType, body: object | FlowEnvelope, route: Route): Uint8Array | null {
    const { format, compressor } = route.config;
    try {
      return body instanceof FlowEnvelope ? encodeEnvelope(body, type, format, compressor) : encodeMessage(body, format, compressor);
    } catch (error) {
      this.counters.encode_errors++;
      if (!this.encodeErrorLogged) {
        this.encodeErrorLogged = true;
        this.log.error(
          `could not encode a ${type} message as ${format}/${compressor}: ${describe(error)}; ` +
            'further failures are only counted (encode_errors)',
        );
      }
      return null;
    }
  }

  private deliver(route: Route, payload: Payload): void {
    let accepted = false;
    try {
      accepted = route.sink.dispatch(route.config.channel, payload);
    } catch (error) {
      this.log.debug(`sink "${route.sink.name}" threw from dispatch: ${describe(error)}`);
    }
    if (accepted) {
      this.counters.payloads_dispatched++;
      return;
    }
    this.counters.payloads_refused++;
    if (!this.refusalLogged.has(route)) {
      this.refusalLogged.add(route);
      this.log.warn(
        `sink "${route.config.sink}" channel "${route.config.channel}" refused a ${payload.message} payload ` +
          '(queue full, channel unknown or sink failed); further refusals are only counted (payloads_refused)',
      );
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
