import type { FlowMetadata } from '@netifyd/plugin-sdk';
import type { FlowRecord } from './engine-records.js';
import { printablePrefix, truncate } from './flow-text.js';
import { PROTO_BITTORRENT, PROTO_DHCP, PROTO_MDNS, PROTO_SSDP, PROTO_SSH } from './protocols.js';

/** netifyd's HTTP group: HTTP, HTTP/Connect, HTTP/Proxy, OOKLA, PPStream, QQ, RTSP, Steam, TeamViewer, Xbox. */
const HTTP_GROUP = new Set([7, 130, 131, 191, 54, 48, 50, 74, 148, 47]);

const UA_MAX = 511;
const URL_MAX = 511;
const SSH_MAX = 47;
const DHCP_FINGERPRINT_MAX = 47;
const DHCP_CLASS_MAX = 95;
const MDNS_MAX = 79;
const INFO_HASH = /^[0-9a-f]{40}$/;

export type ProtocolObjects = Pick<FlowMetadata, 'http' | 'dhcp' | 'ssh' | 'ssdp' | 'mdns' | 'bt'>;

/**
 * Adds the protocol-specific objects that apply to `protocol` (FORMATS §2.3): `http` for the
 * HTTP group, `dhcp` (18), `ssh` (92), `ssdp` (12), `mdns` (8), `bt` (37). An object is added
 * only when it has something to say; the schema's required keys inside it are always set.
 */
export function addProtocolObjects(target: ProtocolObjects, protocol: number, record: FlowRecord): void {
  if (HTTP_GROUP.has(protocol) && record.http) {
    const userAgent = printablePrefix(record.http.userAgent, UA_MAX);
    const url = truncate(record.http.url, URL_MAX);
    if (userAgent !== '' || url !== '') target.http = { url, user_agent: userAgent };
    return;
  }
  switch (protocol) {
    case PROTO_DHCP: {
      const fingerprint = truncate(record.dhcp?.fingerprint ?? '', DHCP_FINGERPRINT_MAX);
      const classIdent = truncate(record.dhcp?.classIdent ?? '', DHCP_CLASS_MAX);
      if (fingerprint !== '' || classIdent !== '') target.dhcp = { class_ident: classIdent, fingerprint };
      return;
    }
    case PROTO_SSH: {
      const client = truncate(record.ssh?.client ?? '', SSH_MAX);
      const server = truncate(record.ssh?.server ?? '', SSH_MAX);
      if (client === '' && server === '') return;
      target.ssh = {};
      if (client !== '') target.ssh.client = client;
      if (server !== '') target.ssh.server = server;
      return;
    }
    case PROTO_SSDP: {
      const userAgent = printablePrefix(record.ssdp?.userAgent || record.http?.userAgent || '', UA_MAX);
      if (userAgent !== '') target.ssdp = { user_agent: userAgent };
      return;
    }
    case PROTO_MDNS: {
      const answer = truncate(record.mdns?.answer ?? '', MDNS_MAX);
      if (answer !== '') target.mdns = { answer };
      return;
    }
    case PROTO_BITTORRENT: {
      const infoHash = (record.bt?.infoHash ?? '').toLowerCase();
      if (INFO_HASH.test(infoHash)) target.bt = { info_hash: infoHash };
      return;
    }
  }
}
