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
  ECONNRESET: 'connection reset by peer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EPIPE: 'connection closed while sending',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout (timeout_connect)',
  UND_ERR_HEADERS_TIMEOUT: 'no response in time (timeout_transfer)',
  UND_ERR_BODY_TIMEOUT: 'response body stalled (timeout_transfer)',
  UND_ERR_SOCKET: 'connection closed by the collector',
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate does not match the collector's host name",
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  CERT_NOT_YET_VALID: 'TLS certificate is not yet valid',
};

/** Whether a transport failure is a TLS trust problem: those are configuration, not weather. */
export function isTlsTrustError(error: unknown): boolean {
  return TLS_TRUST_CODES.has(errorCode(error) ?? '');
}

/** One short, secret-free line for a failed request, e.g. `connection refused (ECONNREFUSED)`. */
export function describeTransportError(error: unknown): string {
  const code = errorCode(error);
  if (code !== undefined && TLS_TRUST_CODES.has(code)) {
    return `TLS certificate not trusted (${code}); set ca_file to the CA that signed the collector's certificate`;
  }
  if (code !== undefined && PLAIN_REASONS[code] !== undefined) return `${PLAIN_REASONS[code]} (${code})`;
  if (error instanceof Error && error.name === 'TimeoutError') return 'request took longer than timeout_transfer';
  const message = error instanceof Error ? error.message : String(error);
  return code === undefined ? message : `${message} (${code})`;
}

/** The error's `code`, looking through undici's wrapping `cause`. */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
    current = current.cause;
  }
  return undefined;
}
