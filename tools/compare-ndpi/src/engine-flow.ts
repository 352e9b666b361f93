/** What the comparison needs of one engine flow: its last FlowRecord, reduced. */
export interface EngineFlow {
  flowId: number;
  ipVersion: 4 | 6;
  ipProtocol: number;
  vlanId: number;
  lowerIp: string;
  lowerPort: number;
  upperIp: string;
  upperPort: number;
  lowerPackets: number;
  lowerBytes: number;
  upperPackets: number;
  upperBytes: number;
  ndpiMaster: number;
  ndpiApp: number;
  protocolName: string;
  confidence: string;
  guessed: boolean;
  hostName: string;
  /** SSH banners: ndpiReader prints the first one it saw where others have the host name. */
  sshBanners?: string[];
  /** TLS/QUIC fingerprints ('' when none). */
  ja3c: string;
  ja3s: string;
}

/** Reduces any object carrying the FlowRecord fields (extra fields are dropped). */
export function toEngineFlow(
  record: Omit<EngineFlow, 'ja3c' | 'ja3s'> & { ssh?: { client: string; server: string }; tls?: { ja3c: string; ja3s: string } },
): EngineFlow {
  return {
    flowId: record.flowId,
    ipVersion: record.ipVersion,
    ipProtocol: record.ipProtocol,
    vlanId: record.vlanId,
    lowerIp: record.lowerIp,
    lowerPort: record.lowerPort,
    upperIp: record.upperIp,
    upperPort: record.upperPort,
    lowerPackets: record.lowerPackets,
    lowerBytes: record.lowerBytes,
    upperPackets: record.upperPackets,
    upperBytes: record.upperBytes,
    ndpiMaster: record.ndpiMaster,
    ndpiApp: record.ndpiApp,
    protocolName: record.protocolName,
    confidence: record.confidence,
    guessed: record.guessed,
    hostName: record.hostName,
    ja3c: record.tls?.ja3c ?? '',
    ja3s: record.tls?.ja3s ?? '',
    ...(record.ssh ? { sshBanners: [record.ssh.client, record.ssh.server] } : record.sshBanners ? { sshBanners: record.sshBanners } : {}),
  };
}
