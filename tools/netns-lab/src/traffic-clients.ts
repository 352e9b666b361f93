import type { TestCertificate } from './certificate.js';
import type { Lab } from './lab.js';
import { resultOf } from './script-lines.js';
import { trafficCommand } from './traffic-scripts.js';

export interface DnsQueryResult {
  id: number;
  rcode: number;
  answers: string[];
  /** CNAME targets the answer passed through, in order. */
  cnames: string[];
}

export interface TlsRequestResult {
  status: number;
  tlsProtocol: string;
  servername: string;
  authorized: boolean;
  cipher: string;
  alpnProtocol: string | null;
  bytesSent: number;
  bytesReceived: number;
}

export interface HttpRequestResult {
  status: number;
  contentType: string | null;
  bytesReceived: number;
}

export interface UdpEchoResult {
  sent: number;
  echoed: number;
  bytesSent: number;
  bytesReceived: number;
}

export interface TlsRequestOptions {
  address: string;
  port?: number;
  servername: string;
  /** Verified against this certificate only; a wrong name fails the request. */
  certificate: TestCertificate;
  tlsVersion?: 'TLSv1.2' | 'TLSv1.3';
  requestBytes?: number;
  responseBytes?: number;
  userAgent?: string;
}

export interface HttpRequestOptions {
  address: string;
  port?: number;
  host: string;
  path?: string;
  userAgent?: string;
}

// Every client rejects (LabCommandError carrying its stderr) when the exchange fails.

export async function queryDns(
  lab: Lab,
  ns: string,
  query: { server: string; name: string; type?: 'A' | 'AAAA'; port?: number },
): Promise<DnsQueryResult> {
  const argv = trafficCommand('dns-client', [
    '--server', query.server, '--port', String(query.port ?? 53), '--name', query.name, '--type', query.type ?? 'A',
  ]);
  const { stdout } = await lab.exec(ns, argv);
  return resultOf<DnsQueryResult>(stdout, `DNS query for ${query.name}`);
}

export async function requestTls(lab: Lab, ns: string, options: TlsRequestOptions): Promise<TlsRequestResult> {
  const argv = trafficCommand('tls-client', [
    '--connect', options.address,
    '--port', String(options.port ?? 443),
    '--servername', options.servername,
    '--ca', options.certificate.caPath,
    '--request-bytes', String(options.requestBytes ?? 0),
    '--response-bytes', String(options.responseBytes ?? 1024),
    ...(options.tlsVersion ? ['--tls-version', options.tlsVersion] : []),
    ...(options.userAgent ? ['--user-agent', options.userAgent] : []),
  ]);
  const { stdout } = await lab.exec(ns, argv);
  return resultOf<TlsRequestResult>(stdout, `TLS request to ${options.servername}`);
}

export async function requestHttp(lab: Lab, ns: string, options: HttpRequestOptions): Promise<HttpRequestResult> {
  const argv = trafficCommand('http-client', [
    '--connect', options.address,
    '--port', String(options.port ?? 80),
    '--host', options.host,
    '--path', options.path ?? '/',
    ...(options.userAgent ? ['--user-agent', options.userAgent] : []),
  ]);
  const { stdout } = await lab.exec(ns, argv);
  return resultOf<HttpRequestResult>(stdout, `HTTP request to ${options.host}`);
}

export async function sendUdpEcho(
  lab: Lab,
  ns: string,
  options: { address: string; port?: number; count?: number; size?: number },
): Promise<UdpEchoResult> {
  const argv = trafficCommand('udp-client', [
    '--connect', options.address,
    '--port', String(options.port ?? 7),
    '--count', String(options.count ?? 4),
    '--size', String(options.size ?? 300),
  ]);
  const { stdout } = await lab.exec(ns, argv);
  return resultOf<UdpEchoResult>(stdout, `UDP echo to ${options.address}`);
}

export async function exchangeBanner(
  lab: Lab,
  ns: string,
  options: { address: string; port?: number; banner: string },
): Promise<{ serverBanner: string }> {
  const argv = trafficCommand('banner-client', [
    '--connect', options.address, '--port', String(options.port ?? 22), '--banner', options.banner,
  ]);
  const { stdout } = await lab.exec(ns, argv);
  return resultOf<{ serverBanner: string }>(stdout, `banner exchange with ${options.address}`);
}

/** ICMP/ICMPv6 echo with the system ping; resolves with the replies received. */
export async function ping(lab: Lab, ns: string, address: string, count = 2): Promise<{ received: number }> {
  const { stdout } = await lab.exec(ns, ['ping', '-n', '-c', String(count), '-i', '0.2', '-W', '2', address]);
  const received = Number(/(\d+) (?:packets )?received/.exec(stdout)?.[1] ?? 0);
  return { received };
}
