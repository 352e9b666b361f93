// Ensures real traffic crosses the veth between the namespaces: DNS answers, TLS with SNI
// and verification on, HTTP with Host/User-Agent, UDP echo, a banner exchange and ping,
// each checked on both ends (client RESULT and server EVENT).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canCreateNetns,
  createLab,
  createTestCertificate,
  exchangeBanner,
  ping,
  queryDns,
  requestHttp,
  requestTls,
  sendUdpEcho,
  startBannerServer,
  startDnsServer,
  startHttpServer,
  startTlsServer,
  startUdpEchoServer,
  type Lab,
  type LabServer,
  type TestCertificate,
} from '../src/index.js';

const preflight = await canCreateNetns();
if (!preflight.ok) console.warn(`netns-lab traffic tests skipped: ${preflight.reason}`);

describe.skipIf(!preflight.ok)('traffic across the veth (root)', () => {
  let lab: Lab;
  let certificate: TestCertificate;
  let dns: LabServer;
  let tls: LabServer;
  let http: LabServer;
  let udp: LabServer;
  let banner: LabServer;

  beforeAll(async () => {
    certificate = await createTestCertificate(['www.example.test', 'api.example.test']);
    lab = await createLab();
    [dns, tls, http, udp, banner] = await Promise.all([
      startDnsServer(lab, lab.nsB, { 'www.example.test': [lab.addrB.ipv4, lab.addrB.ipv6], 'v6only.example.test': [lab.addrB.ipv6] }),
      startTlsServer(lab, lab.nsB, certificate),
      startHttpServer(lab, lab.nsB),
      startUdpEchoServer(lab, lab.nsB, { port: 47_000 }),
      startBannerServer(lab, lab.nsB, 'SSH-2.0-lab_server'),
    ]);
  });
  afterAll(async () => {
    await lab?.destroy();
    await certificate?.remove();
  });

  it('DNS: A and AAAA answers come back, an unknown name gets NXDOMAIN, a name without A gets none', async () => {
    expect(await queryDns(lab, lab.nsA, { server: lab.addrB.ipv4, name: 'www.example.test' })).toMatchObject({
      rcode: 0,
      answers: [lab.addrB.ipv4],
    });
    expect(await queryDns(lab, lab.nsA, { server: lab.addrB.ipv6, name: 'WWW.Example.Test', type: 'AAAA' })).toMatchObject({
      rcode: 0,
      answers: [lab.addrB.ipv6],
    });
    expect(await queryDns(lab, lab.nsA, { server: lab.addrB.ipv4, name: 'nope.example.test' })).toMatchObject({ rcode: 3, answers: [] });
    expect(await queryDns(lab, lab.nsA, { server: lab.addrB.ipv4, name: 'v6only.example.test' })).toMatchObject({ rcode: 0, answers: [] });
    const seen = await dns.waitForEvent('dns', 2_000, (event) => event.name === 'nope.example.test');
    expect(seen).toMatchObject({ from: `::ffff:${lab.addrA.ipv4}`, rcode: 3 });
  });

  it('TLS 1.3: the handshake carries SNI www.example.test, the certificate verifies and KBs flow both ways', async () => {
    const result = await requestTls(lab, lab.nsA, {
      address: lab.addrB.ipv4,
      servername: 'www.example.test',
      certificate,
      tlsVersion: 'TLSv1.3',
      requestBytes: 3_000,
      responseBytes: 20_000,
    });
    expect(result).toMatchObject({
      status: 200,
      tlsProtocol: 'TLSv1.3',
      authorized: true,
      alpnProtocol: 'http/1.1',
      bytesSent: 3_000,
      bytesReceived: 20_000,
    });
    const handshake = await tls.waitForEvent('tls', 2_000, (event) => event.protocol === 'TLSv1.3');
    expect(handshake).toMatchObject({ servername: 'www.example.test', from: `::ffff:${lab.addrA.ipv4}` });
    const request = await tls.waitForEvent('http', 2_000, (event) => event.method === 'POST');
    expect(request).toMatchObject({ host: 'www.example.test', bodyBytes: 3_000, path: '/bytes/20000' });
  });

  it('TLS 1.2 over IPv6 with SNI api.example.test', async () => {
    const result = await requestTls(lab, lab.nsA, {
      address: lab.addrB.ipv6,
      servername: 'api.example.test',
      certificate,
      tlsVersion: 'TLSv1.2',
    });
    expect(result).toMatchObject({ status: 200, tlsProtocol: 'TLSv1.2', authorized: true, bytesReceived: 1_024 });
    const handshake = await tls.waitForEvent('tls', 2_000, (event) => event.protocol === 'TLSv1.2');
    expect(handshake).toMatchObject({ servername: 'api.example.test', from: lab.addrA.ipv6 });
  });

  it('TLS verification is on: a name the certificate does not cover is refused', async () => {
    const attempt = requestTls(lab, lab.nsA, { address: lab.addrB.ipv4, servername: 'other.example.test', certificate });
    await expect(attempt).rejects.toMatchObject({ code: 'ERR_LAB_COMMAND', exitCode: 1 });
    await expect(attempt).rejects.toThrow(/ERR_TLS_CERT_ALTNAME_INVALID/);
  });

  it('HTTP: GET answers 200 and the server saw the Host and User-Agent headers', async () => {
    const result = await requestHttp(lab, lab.nsA, {
      address: lab.addrB.ipv4,
      host: 'api.example.test',
      path: '/v1/items?page=2',
      userAgent: 'lab-test/2.0',
    });
    expect(result).toMatchObject({ status: 200, contentType: 'application/json' });
    const request = await http.waitForEvent('http', 2_000, (event) => event.path === '/v1/items?page=2');
    expect(request).toMatchObject({ method: 'GET', host: 'api.example.test', userAgent: 'lab-test/2.0' });
  });

  it('UDP: every datagram is echoed back', async () => {
    const result = await sendUdpEcho(lab, lab.nsA, { address: lab.addrB.ipv4, port: udp.port, count: 5, size: 200 });
    expect(result).toEqual({ sent: 5, echoed: 5, bytesSent: 1_000, bytesReceived: 1_000 });
    expect(udp.events().filter((event) => event.type === 'udp')).toHaveLength(5);
  });

  it('banner exchange: each side receives the other one’s line', async () => {
    const result = await exchangeBanner(lab, lab.nsA, { address: lab.addrB.ipv6, port: banner.port, banner: 'SSH-2.0-lab_client' });
    expect(result).toEqual({ serverBanner: 'SSH-2.0-lab_server' });
    expect(await banner.waitForEvent('banner')).toMatchObject({ clientBanner: 'SSH-2.0-lab_client', from: lab.addrA.ipv6 });
  });

  it('ICMP and ICMPv6 echo reach the other namespace', async () => {
    expect(await ping(lab, lab.nsA, lab.addrB.ipv4, 2)).toEqual({ received: 2 });
    expect(await ping(lab, lab.nsB, lab.addrA.ipv6, 1)).toEqual({ received: 1 });
  });

  it('nothing is reachable outside the lab: namespace A has no route to other networks', async () => {
    const attempt = lab.exec(lab.nsA, ['ping', '-n', '-c', '1', '-W', '1', '192.0.2.1']);
    await expect(attempt).rejects.toMatchObject({ code: 'ERR_LAB_COMMAND', exitCode: 2 });
    await expect(attempt).rejects.toThrow(/unreachable/i);
  });
});
