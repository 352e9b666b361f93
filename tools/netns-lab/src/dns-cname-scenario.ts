import { LabError } from './errors.js';
import type { Lab } from './lab.js';
import type { ScenarioStep } from './sample-scenario.js';
import { queryDns, requestHttp } from './traffic-clients.js';
import { startDnsServer, startHttpServer, type LabServer } from './traffic-servers.js';

/**
 * A DNS answer that reaches its addresses through a CNAME chain, then a connection to the
 * answer's second address: what a DNS hint cache must learn from. The addresses are from
 * TEST-NET-2 (RFC 5737), which an agent classes as public unicast, unlike the lab's own.
 */
export const DNS_CNAME = {
  question: 'www.shop.test',
  chain: ['shop.cdn.test', 'edge.cdn.test'],
  addresses: ['198.51.100.10', '198.51.100.11'],
  prefix: '198.51.100.0/24',
} as const;

/** Gives B the answer's addresses, routes them from A over the link, starts DNS and HTTP in B. */
export async function startDnsCnameServers(lab: Lab): Promise<LabServer[]> {
  for (const address of DNS_CNAME.addresses) await lab.exec(lab.nsB, ['ip', 'addr', 'add', `${address}/32`, 'dev', lab.ifB]);
  await lab.exec(lab.nsA, ['ip', 'route', 'add', DNS_CNAME.prefix, 'dev', lab.ifA]);
  const [shop, edge] = DNS_CNAME.chain;
  return Promise.all([
    startDnsServer(lab, lab.nsB, { [edge]: DNS_CNAME.addresses }, { cnames: { [DNS_CNAME.question]: shop, [shop]: edge } }),
    startHttpServer(lab, lab.nsB),
  ]);
}

/**
 * From A: DNS A for the question (answered with both CNAME links and two A records), then an
 * HTTP GET to the second address whose Host header is that address, so DPI finds no name.
 */
export async function runDnsCnameScenario(lab: Lab, onStep: (step: ScenarioStep) => void = () => undefined): Promise<ScenarioStep[]> {
  const steps: ScenarioStep[] = [];
  const record = (description: string, outcome: string): void => {
    const step = { description, outcome };
    steps.push(step);
    onStep(step);
  };
  const second = DNS_CNAME.addresses[1];

  const answer = await queryDns(lab, lab.nsA, { server: lab.addrB.ipv4, name: DNS_CNAME.question, type: 'A' });
  check(
    answer.rcode === 0 && answer.answers.join() === DNS_CNAME.addresses.join() && answer.cnames.join() === DNS_CNAME.chain.join(),
    `DNS A ${DNS_CNAME.question}`,
    JSON.stringify(answer),
  );
  record(`DNS A ${DNS_CNAME.question} (UDP/IPv4)`, `CNAME ${answer.cnames.join(' → ')}, A ${answer.answers.join(', ')}`);

  const http = await requestHttp(lab, lab.nsA, { address: second, host: second, path: '/v1/status' });
  check(http.status === 200, `HTTP GET ${second}`, String(http.status));
  record(`HTTP GET http://${second}/v1/status (Host ${second}: the answer's second address)`, `${http.status}, ${http.bytesReceived} bytes`);
  return steps;
}

function check(ok: boolean, step: string, got: string): void {
  if (!ok) throw new LabError('ERR_LAB_SCENARIO', `dns-cname scenario step "${step}" went wrong (got ${got})`);
}
