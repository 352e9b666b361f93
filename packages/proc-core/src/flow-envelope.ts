import type { MessageType, PurgeReason } from '@netifyd/plugin-sdk';
import type { ByteChunks } from './byte-chunks.js';
import { encodeJson, stringifyIfOrdered } from './json-encoder.js';

/** What a flow message carries besides its type: a flow event, a flow_stats or a flow_purge entry. */
export interface EnvelopeSource {
  readonly flow: object;
  readonly interface: string;
  readonly internal: boolean;
}

/** The keys before `flow`, in byte order: every message built here is live (`established` false). */
const BEFORE_FLOW = '{"established":false,"flow":';

/**
 * One flow event or tick entry as the envelope messages that carry it (FORMATS §1.1). Its
 * JSON is written as the text before the flow, the flow's text and the text after it: the
 * flow's text is made once however many messages carry it (`flow_dpi_complete` and
 * legacy-socket's `flow`), and the envelope text is kept per interface and type. Both are
 * what encodeJson writes for the whole message, since its keys are in byte order.
 */
export class FlowEnvelope {
  /** The flow's JSON once written: ASCII, as encodeJson writes it. */
  private flowText: string | undefined;

  /** `reason` only for `flow_purge`. */
  constructor(
    private readonly source: EnvelopeSource,
    private readonly reason?: PurgeReason,
  ) {}

  /** The message as an object, keys in byte order (msgpack writes them in this order). */
  message(type: MessageType): Record<string, unknown> {
    const { flow, interface: name, internal } = this.source;
    const reason = this.reason;
    if (reason === undefined) return { established: false, flow, interface: name, internal, type };
    return { established: false, flow, interface: name, internal, reason, type };
  }

  /** The message's JSON (encodeJson's text) as bytes carved from `chunks`. */
  jsonBytes(type: MessageType, chunks: ByteChunks): Uint8Array {
    const flow = this.source.flow as unknown;
    if (typeof flow !== 'object' || flow === null) return chunks.latin1(encodeJson(this.message(type)));
    const after = afterFlow(this.source, this.reason, type);
    if (this.flowText !== undefined) return chunks.latin1(BEFORE_FLOW + this.flowText + after);
    const native = stringifyIfOrdered(flow);
    if (native !== undefined) {
      const bytes = chunks.ascii(BEFORE_FLOW + native + after);
      if (bytes) {
        this.flowText = native;
        return bytes;
      }
    }
    // Not natively writable as it is (key order, non-ASCII): encodeJson's text is ASCII.
    this.flowText = encodeJson(flow);
    return chunks.latin1(BEFORE_FLOW + this.flowText + after);
  }
}

interface AfterFlowText {
  readonly name: string;
  readonly internal: boolean;
  readonly reason: PurgeReason | undefined;
  readonly text: string;
}

/** Per message type, the texts after the flow seen so far (one per interface and reason, few). */
const afterFlowTexts = new Map<string, AfterFlowText[]>();
const MAX_TEXTS_PER_TYPE = 64;

/** `,"interface":…,"internal":…[,"reason":…],"type":…}` as encodeJson writes those members. */
function afterFlow(source: EnvelopeSource, reason: PurgeReason | undefined, type: MessageType): string {
  const { interface: name, internal } = source;
  let texts = afterFlowTexts.get(type);
  if (!texts) afterFlowTexts.set(type, (texts = []));
  for (const known of texts) {
    if (known.name === name && known.internal === internal && known.reason === reason) return known.text;
  }
  const members = encodeJson(reason === undefined ? { interface: name, internal, type } : { interface: name, internal, reason, type });
  const text = `,${members.slice(1)}`;
  if (texts.length < MAX_TEXTS_PER_TYPE) texts.push({ name, internal, reason, text });
  return text;
}
