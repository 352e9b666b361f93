import { describeTransportError } from '@netifyd/sink-kit';
import type { DescribedError } from '@netifyd/sink-kit';

/** undici's own error codes in words. */
const UNDICI_REASONS: Readonly<Record<string, string>> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout (timeout_connect)',
  UND_ERR_HEADERS_TIMEOUT: 'no response in time (timeout_transfer)',
  UND_ERR_BODY_TIMEOUT: 'response body stalled (timeout_transfer)',
  UND_ERR_SOCKET: 'connection closed by the {peer}',
};

/** One short, secret-free line for a failed POST; TLS trust problems are flagged as configuration. */
export function describeHttpError(error: unknown): DescribedError {
  // AbortSignal.timeout(timeout_transfer) fired: a DOMException without a string code.
  if (error instanceof Error && error.name === 'TimeoutError') return { text: 'request took longer than timeout_transfer', configuration: false };
  return describeTransportError(error, { peer: 'collector', reasons: UNDICI_REASONS });
}
