import type { FlowTls } from '@netifyd/plugin-sdk';
import type { TlsRecord } from './engine-records.js';
import { commonName, hex4, plainHex, truncate } from './flow-text.js';
import { PROTO_QUIC } from './protocols.js';

/** netifyd's TLS group: TLS, HTTP/S, FTP/S, FTPS data, IMAP/S, POP3/S, SMTP/S, MQTT/S, NNTP/S, SIP/S. */
const TLS_GROUP = new Set([91, 196, 21, 256, 51, 23, 29, 258, 259, 257]);

/** netifyd's buffer for SNI/CN: 256 bytes. */
const CN_MAX = 255;

export function hasSslObject(protocol: number): boolean {
  return TLS_GROUP.has(protocol) || protocol === PROTO_QUIC;
}

/**
 * The `ssl` object for a flow in the TLS group or QUIC (FORMATS §2.3). `version` and
 * `cipher_suite` are always present; the rest only when known. JA3 strings only for the
 * TLS group (not QUIC). `server_cn` comes from the subject DN and keeps wildcards.
 * Keys are added in byte order (see buildFlow).
 */
export function buildSslObject(protocol: number, hostServerName: string, tls: TlsRecord | undefined): FlowTls {
  const ssl = {} as FlowTls;
  const alpn = tls ? tls.alpnClient.filter((name) => name !== '') : [];
  if (alpn.length > 0) ssl.alpn = alpn;
  if (tls && tls.alpnServer !== '') ssl.alpn_server = [tls.alpnServer];
  ssl.cipher_suite = hex4(tls?.cipher ?? 0);
  const ja3 = tls !== undefined && TLS_GROUP.has(protocol);
  if (ja3 && tls.ja3c !== '') ssl.client_ja3 = tls.ja3c;
  if (hostServerName !== '') ssl.client_sni = hostServerName;
  if (tls) {
    if (tls.certSha1 !== '') ssl.fingerprint = plainHex(tls.certSha1);
    if (tls.issuerDn !== '') ssl.issuer_dn = tls.issuerDn;
    const cn = truncate(commonName(tls.subjectDn), CN_MAX);
    if (cn !== '') ssl.server_cn = cn;
    if (ja3 && tls.ja3s !== '') ssl.server_ja3 = tls.ja3s;
    if (tls.subjectDn !== '') ssl.subject_dn = tls.subjectDn;
  }
  ssl.version = hex4(tls?.version ?? 0);
  return ssl;
}
