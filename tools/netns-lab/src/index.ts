export { createLab, withLab } from './lab.js';
export type { ExecOptions, Lab, LabOptions, SpawnOptions } from './lab.js';
export { LabProcess } from './lab-process.js';
export type { ExitStatus, OutputStream } from './lab-process.js';
export { LAB_IPV4_CIDR, LAB_IPV6_CIDR } from './network-setup.js';
export type { LabAddresses } from './network-setup.js';
export { canCreateNetns, commandAvailable, requireRoot } from './preflight.js';
export type { PreflightResult } from './preflight.js';
export { listNamespaces, removeStaleLabs } from './namespace-names.js';
export { LabCommandError, LabError } from './errors.js';
export type { CommandResult } from './run-command.js';
export { createTestCertificate } from './certificate.js';
export type { TestCertificate } from './certificate.js';
export { trafficCommand, trafficScriptPath } from './traffic-scripts.js';
export type { TrafficScript } from './traffic-scripts.js';
export {
  startBannerServer,
  startDnsServer,
  startHttpServer,
  startTlsServer,
  startUdpEchoServer,
} from './traffic-servers.js';
export type { LabServer, ListenOptions, ServerEvent } from './traffic-servers.js';
export { exchangeBanner, ping, queryDns, requestHttp, requestTls, sendUdpEcho } from './traffic-clients.js';
export type {
  DnsQueryResult,
  HttpRequestOptions,
  HttpRequestResult,
  TlsRequestOptions,
  TlsRequestResult,
  UdpEchoResult,
} from './traffic-clients.js';
export { startCapture } from './packet-capture.js';
export type { CaptureOptions, PacketCapture } from './packet-capture.js';
