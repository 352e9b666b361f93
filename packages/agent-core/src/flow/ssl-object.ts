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
 */
export function buildSslObject(protocol: number, hostServerName: string, tls: TlsRecord | undefined): FlowTls {
  const ssl: FlowTls = { version: hex4(tls?.version ?? 0), cipher_suite: hex4(tls?.cipher ?? 0) };
  if (hostServerName !== '') ssl.client_sni = hostServerName;
  if (!tls) return ssl;
  const cn = truncate(commonName(tls.subjectDn), CN_MAX);
  if (cn !== '') ssl.server_cn = cn;
  if (tls.issuerDn !== '') ssl.issuer_dn = tls.issuerDn;
  if (tls.subjectDn !== '') ssl.subject_dn = tls.subjectDn;
  if (TLS_GROUP.has(protocol)) {
    if (tls.ja3c !== '') ssl.client_ja3 = tls.ja3c;
    if (tls.ja3s !== '') ssl.server_ja3 = tls.ja3s;
  }
  if (tls.certSha1 !== '') ssl.fingerprint = plainHex(tls.certSha1);
  const alpn = tls.alpnClient.filter((name) => name !== '');
  if (alpn.length > 0) ssl.alpn = alpn;
  if (tls.alpnServer !== '') ssl.alpn_server = [tls.alpnServer];
  return ssl;
}
