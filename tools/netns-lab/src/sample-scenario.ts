import type { TestCertificate } from './certificate.js';
import { LabError } from './errors.js';
import type { Lab } from './lab.js';
import { exchangeBanner, ping, queryDns, requestHttp, requestTls, sendUdpEcho } from './traffic-clients.js';
import {
  startBannerServer,
  startDnsServer,
  startHttpServer,
  startTlsServer,
  startUdpEchoServer,
  type LabServer,
} from './traffic-servers.js';

/** Hostnames the sample uses; all under the reserved `.test` TLD. */
export const SAMPLE_HOSTNAMES = ['www.example.test', 'api.example.test', 'static.example.test'] as const;
export const SAMPLE_USER_AGENT = 'netns-lab/1.0 (sample capture)';
export const SAMPLE_UDP_PORT = 47_000;
const SERVER_BANNER = 'SSH-2.0-netns_lab_server_1.0';
const CLIENT_BANNER = 'SSH-2.0-netns_lab_client_1.0';

export interface ScenarioStep {
  description: string;
  outcome: string;
}

/** Starts the sample's servers in namespace B; stop them (or destroy the lab) afterwards. */
export async function startSampleServers(lab: Lab, certificate: TestCertificate): Promise<LabServer[]> {
  const [www, api, staticHost] = SAMPLE_HOSTNAMES;
  const records = {
    [www]: [lab.addrB.ipv4, lab.addrB.ipv6],
    [api]: [lab.addrB.ipv4],
    [staticHost]: [lab.addrB.ipv6],
  };
  return Promise.all([
    startDnsServer(lab, lab.nsB, records),
    startTlsServer(lab, lab.nsB, certificate),
    startHttpServer(lab, lab.nsB),
    startUdpEchoServer(lab, lab.nsB, { port: SAMPLE_UDP_PORT }),
    startBannerServer(lab, lab.nsB, SERVER_BANNER),
  ]);
}

/**
 * The sample's client side, run from namespace A one step at a time. Every step checks
 * its own outcome, so a capture recorded around it is known to hold the whole scenario.
 */
export async function runSampleScenario(
  lab: Lab,
  certificate: TestCertificate,
  onStep: (step: ScenarioStep) => void = () => undefined,
): Promise<ScenarioStep[]> {
  const [www, api, staticHost] = SAMPLE_HOSTNAMES;
  const a = lab.nsA;
  const server = lab.addrB;
  const steps: ScenarioStep[] = [];
  const record = (description: string, outcome: string): void => {
    const step = { description, outcome };
    steps.push(step);
    onStep(step);
  };

  const wwwA = await queryDns(lab, a, { server: server.ipv4, name: www, type: 'A' });
  expect(wwwA.answers.join() === server.ipv4, `DNS A ${www}`, wwwA.answers.join());
  record(`DNS A ${www} (UDP/IPv4)`, `answer ${wwwA.answers.join()}`);

  const wwwAaaa = await queryDns(lab, a, { server: server.ipv6, name: www, type: 'AAAA' });
  expect(wwwAaaa.answers.join() === server.ipv6, `DNS AAAA ${www}`, wwwAaaa.answers.join());
  record(`DNS AAAA ${www} (UDP/IPv6)`, `answer ${wwwAaaa.answers.join()}`);

  const tls13 = await requestTls(lab, a, {
    address: server.ipv4, servername: www, certificate, tlsVersion: 'TLSv1.3',
    requestBytes: 2_048, responseBytes: 16_384, userAgent: SAMPLE_USER_AGENT,
  });
  expect(tls13.status === 200 && tls13.authorized && tls13.tlsProtocol === 'TLSv1.3', `HTTPS ${www}`, JSON.stringify(tls13));
  record(`HTTPS POST https://${www}/bytes/16384 (TLS 1.3, SNI ${www}, 2 KiB up)`, `${tls13.status}, ${tls13.bytesReceived} bytes down, ${tls13.cipher}`);

  const apiA = await queryDns(lab, a, { server: server.ipv4, name: api, type: 'A' });
  expect(apiA.answers.join() === server.ipv4, `DNS A ${api}`, apiA.answers.join());
  record(`DNS A ${api} (UDP/IPv4)`, `answer ${apiA.answers.join()}`);

  const http = await requestHttp(lab, a, { address: server.ipv4, host: api, path: '/v1/status', userAgent: SAMPLE_USER_AGENT });
  expect(http.status === 200, `HTTP GET ${api}`, String(http.status));
  record(`HTTP GET http://${api}/v1/status (Host ${api}, User-Agent "${SAMPLE_USER_AGENT}")`, `${http.status}, ${http.bytesReceived} bytes`);

  const staticAaaa = await queryDns(lab, a, { server: server.ipv4, name: staticHost, type: 'AAAA' });
  expect(staticAaaa.answers.join() === server.ipv6, `DNS AAAA ${staticHost}`, staticAaaa.answers.join());
  record(`DNS AAAA ${staticHost} (UDP/IPv4)`, `answer ${staticAaaa.answers.join()}`);

  const tls12 = await requestTls(lab, a, {
    address: server.ipv6, servername: staticHost, certificate, tlsVersion: 'TLSv1.2',
    responseBytes: 8_192, userAgent: SAMPLE_USER_AGENT,
  });
  expect(tls12.status === 200 && tls12.authorized && tls12.tlsProtocol === 'TLSv1.2', `HTTPS ${staticHost}`, JSON.stringify(tls12));
  record(`HTTPS GET https://${staticHost}/bytes/8192 (TLS 1.2 over IPv6, SNI ${staticHost})`, `${tls12.status}, ${tls12.bytesReceived} bytes down, ${tls12.cipher}`);

  const udp = await sendUdpEcho(lab, a, { address: server.ipv4, port: SAMPLE_UDP_PORT, count: 4, size: 300 });
  expect(udp.echoed === 4, 'UDP echo', JSON.stringify(udp));
  record(`UDP to port ${SAMPLE_UDP_PORT}: 4 x 300-byte datagrams, each echoed`, `${udp.echoed} echoed`);

  const banner = await exchangeBanner(lab, a, { address: server.ipv4, port: 22, banner: CLIENT_BANNER });
  expect(banner.serverBanner === SERVER_BANNER, 'banner exchange', banner.serverBanner);
  record('SSH-style banner exchange on TCP port 22', `server "${banner.serverBanner}", client "${CLIENT_BANNER}"`);

  const ping4 = await ping(lab, a, server.ipv4, 2);
  expect(ping4.received === 2, 'ping', String(ping4.received));
  record(`ICMP echo to ${server.ipv4} x2`, `${ping4.received} replies`);

  const ping6 = await ping(lab, a, server.ipv6, 1);
  expect(ping6.received === 1, 'ping6', String(ping6.received));
  record(`ICMPv6 echo to ${server.ipv6} x1`, `${ping6.received} reply`);

  return steps;
}

function expect(ok: boolean, step: string, got: string): void {
  if (!ok) throw new LabError('ERR_LAB_SCENARIO', `sample scenario step "${step}" went wrong (got ${got})`);
}
