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
}

/** Reduces any object carrying the FlowRecord fields (extra fields are dropped). */
export function toEngineFlow(record: EngineFlow & { ssh?: { client: string; server: string } }): EngineFlow {
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
    ...(record.ssh ? { sshBanners: [record.ssh.client, record.ssh.server] } : record.sshBanners ? { sshBanners: record.sshBanners } : {}),
  };
}
