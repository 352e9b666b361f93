import { describeTransportError } from '@netifyd/sink-kit';
import type { DescribedError } from '@netifyd/sink-kit';

/** MQTT CONNACK refusals (3.1.1 return codes and their 5.0 reason codes) with what to check. */
const AUTH_CODES = new Set([4, 5, 134, 135]);

/** One short, secret-free line for a failed connection; trust and credential problems are configuration. */
export function describeMqttError(error: unknown): DescribedError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'number' && AUTH_CODES.has(code)) return { text: `${message}; check user and pass`, configuration: true };
  if (message === 'connack timeout') return { text: 'no CONNACK from the broker in time', configuration: false };
  return describeTransportError(error, { peer: 'broker' });
}
