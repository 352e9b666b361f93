// What tcpdump decodes of a capture's DNS responses, as an independent view to hold the
// engine's dns_answer records against: per response to an A/AAAA question, the addresses
// reached from the question through the answers' CNAMEs (the engine's rule, applied to
// tcpdump's decoding).
import { spawnSync } from 'node:child_process';

export const tcpdumpAvailable = spawnSync('tcpdump', ['--version'], { encoding: 'utf8' }).status === 0;

export interface DecodedAnswer {
  timeMs: number;
  name: string;
  addresses: string[];
}

interface AnswerItem {
  owner: string;
  type: string;
  data: string;
}

const RESPONSE = /^(\d+)\.(\d{3})\d{3} .*\.53 > \S+: (?:\[[^\]]*\] )?\d+(\S*) (?:\[[^\]]*\] )?q: (?:A|AAAA)\? (\S*) (\d+)\/\d+\/\d+ ?(.*?) \(\d+\)$/;
const ITEM = /^(\S*) (A|AAAA|CNAME) (\S+)$/;
const MAX_LINKS = 8;
const MAX_ADDRESSES = 32;

const bare = (name: string) => name.toLowerCase().replace(/\.$/, '');

/** One line per packet: tcpdump -v continues a packet on indented lines. */
function packets(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s/.test(line) && out.length > 0) out[out.length - 1] += ` ${line.trim()}`;
    else if (line !== '') out.push(line);
  }
  return out;
}

function reached(question: string, items: AnswerItem[]): string[] {
  const chain = [question];
  for (let link = 0; link < MAX_LINKS; link++) {
    const next = items.find((item) => item.type === 'CNAME' && item.owner === chain[chain.length - 1]);
    if (!next || chain.includes(next.data)) break;
    chain.push(next.data);
  }
  const addresses: string[] = [];
  for (const item of items) {
    if (item.type === 'CNAME' || !chain.includes(item.owner) || addresses.includes(item.data)) continue;
    if (addresses.length < MAX_ADDRESSES) addresses.push(item.data);
  }
  return addresses;
}

/**
 * Responses on port 53 with an A/AAAA question, not truncated (no `|` flag, no IP fragment),
 * as tcpdump -vv prints them. tcpdump names the RCODE before `q:` when it is not 0, which the
 * pattern does not accept. Answer lists holding another record type are decoded item by item.
 */
export function tcpdumpDnsAnswers(capture: string): DecodedAnswer[] {
  const run = spawnSync('tcpdump', ['-r', capture, '-nn', '-vv', '-tt', 'port 53'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const decoded: DecodedAnswer[] = [];
  for (const line of packets(run.stdout)) {
    const m = RESPONSE.exec(line);
    if (!m || line.includes('flags [+]')) continue;
    const [, seconds, millis, flags = '', question = '', answerCount, rest = ''] = m;
    if (flags.includes('|') || Number(answerCount) === 0) continue;
    const items: AnswerItem[] = [];
    for (const text of (rest.split(/ ns: | ar: /)[0] ?? '').split(', ')) {
      const item = ITEM.exec(text);
      if (item) items.push({ owner: bare(item[1] ?? ''), type: item[2] ?? '', data: bare(item[3] ?? '') });
    }
    const addresses = reached(bare(question), items);
    if (addresses.length > 0) decoded.push({ timeMs: Number(`${seconds}${millis}`), name: bare(question), addresses });
  }
  return decoded;
}
