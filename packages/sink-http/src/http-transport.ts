import { Agent, request } from 'undici';
import { payloadContentType } from '@netifyd/plugin-sdk';
import type { Payload } from '@netifyd/plugin-sdk';
import type { ChannelTarget } from './config.js';
import { describeHttpError } from './http-errors.js';
import { parseRetryAfter } from './retry-after.js';

/** What one POST came to: the queue keeps the payload unless it was sent or rejected. */
export type PostOutcome =
  | { readonly kind: 'sent'; readonly status: number }
  | {
      readonly kind: 'retry';
      /** A short, secret-free reason for the log. */
      readonly reason: string;
      /** Set when the collector answered 429/503 with a readable Retry-After. */
      readonly afterMs?: number;
      readonly status?: number;
      readonly tlsTrust?: boolean;
    }
  | { readonly kind: 'rejected'; readonly status: number };

/** 408 and 429 say "try again later"; every other 4xx means this payload will never be accepted. */
const RETRYABLE_CLIENT_STATUS = new Set([408, 429]);

/** POSTs payloads of one channel to its URL over one keep-alive connection pool. */
export class HttpTransport {
  private readonly dispatcher: Agent;

  constructor(private readonly target: ChannelTarget) {
    this.dispatcher = new Agent({
      connections: 1,
      connect: {
        timeout: target.connectTimeoutMs,
        rejectUnauthorized: target.tlsVerify,
        ...(target.ca === undefined ? {} : { ca: target.ca }),
      },
      headersTimeout: target.transferTimeoutMs,
      bodyTimeout: target.transferTimeoutMs,
    });
  }

  /** Never throws: every failure becomes an outcome. `signal` aborts the attempt (stop deadline). */
  async post(payload: Payload, signal: AbortSignal): Promise<PostOutcome> {
    const signals = [signal];
    if (this.target.transferTimeoutMs > 0) signals.push(AbortSignal.timeout(this.target.transferTimeoutMs));
    try {
      const response = await request(this.target.url, {
        dispatcher: this.dispatcher,
        method: 'POST',
        headers: this.headersFor(payload),
        body: payload.data,
        signal: AbortSignal.any(signals),
      });
      // Read the body so the connection can be reused; its content does not matter.
      await response.body.dump();
      return classify(response.statusCode, response.headers['retry-after']);
    } catch (error) {
      const described = describeHttpError(error);
      return { kind: 'retry', reason: described.text, tlsTrust: described.configuration };
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.destroy().catch(() => undefined);
  }

  private headersFor(payload: Payload): Record<string, string> {
    const headers: Record<string, string> = { ...this.target.headers, 'content-type': payloadContentType(payload.format) };
    if (payload.compressor === 'gz') headers['content-encoding'] = 'gzip';
    return headers;
  }
}

function classify(status: number, retryAfter: string | string[] | undefined): PostOutcome {
  if (status >= 200 && status < 300) return { kind: 'sent', status };
  if (status >= 500 || RETRYABLE_CLIENT_STATUS.has(status)) {
    const afterMs = status === 429 || status === 503 ? parseRetryAfter(retryAfter) : undefined;
    return { kind: 'retry', reason: `HTTP ${status}`, status, ...(afterMs === undefined ? {} : { afterMs }) };
  }
  return { kind: 'rejected', status };
}
