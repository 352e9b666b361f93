import { gunzipSync } from 'node:zlib';

/** What the ledger needs of one netifyd message. */
export interface DecodedMessage {
  readonly type: string;
  /** The flow's digest, for flow messages (`flow`, `flow_dpi_update`, `flow_dpi_complete`, `flow_purge`). */
  readonly digest?: string;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * Decodes one payload as proc-core sends it: a JSON message, optionally one gzip member.
 * msgpack is not read (undefined, counted as undecodable): configure the channel with
 * `"format": "json"`.
 */
export function decodeMessage(payload: Buffer): DecodedMessage | undefined {
  try {
    const isGzip = payload[0] === GZIP_MAGIC[0] && payload[1] === GZIP_MAGIC[1];
    const parsed: unknown = JSON.parse((isGzip ? gunzipSync(payload) : payload).toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { type, flow } = parsed as { type?: unknown; flow?: { digest?: unknown } };
    if (typeof type !== 'string') return undefined;
    const digest = typeof flow === 'object' && flow !== null ? flow.digest : undefined;
    return typeof digest === 'string' ? { type, digest } : { type };
  } catch {
    return undefined;
  }
}
