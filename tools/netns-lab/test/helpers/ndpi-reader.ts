import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface NdpiFlow {
  l4: string;
  client: string;
  /** `<->` for a two-way flow, `->` when only the client's side was seen. */
  arrow: string;
  server: string;
  /** Protocol name as ndpiReader prints it, e.g. `TLS`, `DNS`, `HTTP`, `Unknown`. */
  protocol: string;
  hostname: string | undefined;
  line: string;
}

export interface NdpiReport {
  flows: NdpiFlow[];
  /** The "Detected protocols:" section, one trimmed line per protocol. */
  detectedProtocols: string[];
  output: string;
}

const FLOW_LINE = /^\s+\d+\s+(\S+) (\S+) (<->|->) (\S+) \[proto: [\d.]+\/([^\]]+)\]/;

export async function ndpiReaderAvailable(): Promise<boolean> {
  try {
    await promisify(execFile)('ndpiReader', ['-h'], { timeout: 10_000 });
    return true;
  } catch (error) {
    // ndpiReader -h exits non-zero after printing its help; only a missing binary is fatal.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** Runs `ndpiReader -i FILE -v 2` and parses its per-flow lines. */
export async function readWithNdpi(pcapPath: string): Promise<NdpiReport> {
  const { stdout } = await promisify(execFile)('ndpiReader', ['-i', pcapPath, '-v', '2'], {
    timeout: 30_000,
    maxBuffer: 8 * 1024 * 1024,
  });
  const flows: NdpiFlow[] = [];
  for (const line of stdout.split('\n')) {
    const match = FLOW_LINE.exec(line);
    if (!match) continue;
    const [, l4 = '', client = '', arrow = '', server = '', protocol = ''] = match;
    flows.push({ l4, client, arrow, server, protocol, hostname: /\[Hostname\/SNI: ([^\]]+)\]/.exec(line)?.[1], line });
  }
  return { flows, detectedProtocols: section(stdout, 'Detected protocols:'), output: stdout };
}

function section(output: string, heading: string): string[] {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) return [];
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break;
    body.push(line.trim().replace(/\s+/g, ' '));
  }
  return body;
}

/** One line per flow, `PROTOCOL L4 CLIENT <-> SERVER [name]`, as the captures README lists them. */
export function flowSummary(report: NdpiReport): string[] {
  return report.flows.map((flow) =>
    [flow.protocol, flow.l4, flow.client, flow.arrow, flow.server, flow.hostname ?? ''].join(' ').trim(),
  );
}
