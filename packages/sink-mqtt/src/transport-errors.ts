const TLS_TRUST_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

const PLAIN_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the broker',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EPIPE: 'connection closed while sending',
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate does not match the broker's host name",
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  CERT_NOT_YET_VALID: 'TLS certificate is not yet valid',
};

/** MQTT CONNACK refusals (3.1.1 return codes and their 5.0 reason codes) with what to check. */
const AUTH_CODES = new Set([4, 5, 134, 135]);

export interface DescribedError {
  /** One short, secret-free line. */
  readonly text: string;
  /** A configuration problem (trust, credentials) rather than a passing outage: logged as error. */
  readonly configuration: boolean;
}

export function describeMqttError(error: unknown): DescribedError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && TLS_TRUST_CODES.has(code)) {
    return {
      text: `TLS certificate not trusted (${code}); set ca_file to the CA that signed the broker's certificate`,
      configuration: true,
    };
  }
  if (typeof code === 'string' && PLAIN_REASONS[code] !== undefined) {
    return { text: `${PLAIN_REASONS[code]} (${code})`, configuration: false };
  }
  if (typeof code === 'number' && AUTH_CODES.has(code)) {
    return { text: `${message}; check user and pass`, configuration: true };
  }
  if (message === 'connack timeout') return { text: 'no CONNACK from the broker in time', configuration: false };
  return { text: typeof code === 'string' ? `${message} (${code})` : message, configuration: false };
}
