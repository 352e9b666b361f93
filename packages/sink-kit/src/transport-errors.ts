const TLS_TRUST_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** Node's socket, DNS and TLS error codes in words; `{peer}` is replaced by the peer's name. */
const PLAIN_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the {peer}',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EPIPE: 'connection closed while sending',
  ETIMEDOUT: 'connection timed out',
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate does not match the {peer}'s host name",
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  CERT_NOT_YET_VALID: 'TLS certificate is not yet valid',
};

export interface DescribedError {
  /** One short, secret-free line, e.g. `connection refused (ECONNREFUSED)`. */
  readonly text: string;
  /** A configuration problem (trust) rather than a passing outage: worth logging as an error. */
  readonly configuration: boolean;
}

export interface DescribeOptions {
  /** What the other end is called in the text: `collector`, `broker`. */
  readonly peer: string;
  /** Further error codes of this transport in words (e.g. a client library's own codes). */
  readonly reasons?: Readonly<Record<string, string>>;
}

/** Describes a failed connection or request for the log, naming the likely fix for TLS trust. */
export function describeTransportError(error: unknown, options: DescribeOptions): DescribedError {
  const code = transportErrorCode(error);
  if (code !== undefined && TLS_TRUST_CODES.has(code)) {
    return {
      text: `TLS certificate not trusted (${code}); set ca_file to the CA that signed the ${options.peer}'s certificate`,
      configuration: true,
    };
  }
  const reason = code === undefined ? undefined : (options.reasons?.[code] ?? PLAIN_REASONS[code]);
  if (code !== undefined && reason !== undefined) return { text: `${reason.replaceAll('{peer}', options.peer)} (${code})`, configuration: false };
  const message = error instanceof Error ? error.message : String(error);
  return { text: code === undefined ? message : `${message} (${code})`, configuration: false };
}

export function isTlsTrustError(error: unknown): boolean {
  return TLS_TRUST_CODES.has(transportErrorCode(error) ?? '');
}

/** The error's string `code`, looking through wrapping `cause`s (client libraries wrap socket errors). */
export function transportErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as NodeJS.ErrnoException).code;
    // undici's bare 'UND_ERR' says nothing; the socket error it wraps does.
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
    current = current.cause;
  }
  return undefined;
}
