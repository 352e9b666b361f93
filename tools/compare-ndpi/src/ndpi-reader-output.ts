import { readFile } from 'node:fs/promises';
import { CompareError } from './errors.js';
import { ipProtocolNumber, type Endpoint } from './flow-key.js';

/** One flow line of `ndpiReader -q -t -v 2 -w <file>` (nDPI 4.2). */
export interface ExpectedFlow {
  /** 1-based line in the file. */
  line: number;
  /** ndpiReader's own flow number (restarts in the "Undetected flows" section). */
  index: number;
  section: 'detected' | 'undetected';
  ipProtocol: number;
  ipVersion: 4 | 6;
  /** As ndpiReader oriented the flow (its first packet's source). */
  src: Endpoint;
  dst: Endpoint;
  bidirectional: boolean;
  /** 0 when the line has no `[VLAN: n]`. */
  vlanId: number;
  /** Tunnel prefix of the proto field (`GTP` in `[proto: GTP:91.275/TLS.Crashlytics]`), '' if none. */
  tunnel: string;
  ndpiMaster: number;
  ndpiApp: number;
  /** `TLS.Github`, `DNS`, `Unknown` ... */
  protocolName: string;
  /** `DPI`, `DPI (cache)`, `Match by port`, `Match by IP`, `Unknown`; '' when absent. */
  confidence: string;
  srcToDstPackets: number;
  srcToDstBytes: number;
  dstToSrcPackets: number;
  dstToSrcBytes: number;
  /** `[Hostname/SNI: ...]`, '' when absent. */
  hostName: string;
  /** Every other `[Key: value]` field, first occurrence wins. */
  metadata: Record<string, string>;
  /** Fields without a key: `Encrypted`, `ClearText`, `TLSv1.2`, `0.82 sec` ... */
  flags: string[];
}

/** A `Name<TAB>packets<TAB>bytes<TAB>flows` row of the per-protocol summary. */
export interface ProtocolSummaryRow {
  name: string;
  packets: number;
  bytes: number;
  flows: number;
}

export interface NdpiReaderOutput {
  flows: ExpectedFlow[];
  protocolSummary: ProtocolSummaryRow[];
}

const FLOW_LINE = /^\t(\d+)\t(\S+) (\S+) (<->|->) (\S+) (\[.*\])$/;
const IPV6_ENDPOINT = /^\[([0-9A-Fa-f:.]+)\]:(\d+)$/;
const IPV4_ENDPOINT = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d+)$/;
const PROTO_FIELD = /^(?:([A-Za-z0-9_]+):)?(\d+)(?:\.(\d+))?\/(.+)$/;
const COUNTS_FIELD = /^(\d+) pkts\/(\d+) bytes (?:<->|->) (\d+) pkts\/(\d+) bytes$/;
const SUMMARY_ROW = /^(\S[^\t]*)\t(\d+)\t(\d+)\t(\d+)$/;
const UNDETECTED_HEADING = 'Undetected flows:';

function lineError(file: string, line: number, what: string): CompareError {
  return new CompareError('ERR_EXPECTED_FORMAT', `${file}:${line}: ${what}`);
}

function parseEndpoint(text: string, file: string, line: number): { endpoint: Endpoint; ipVersion: 4 | 6 } {
  const v6 = IPV6_ENDPOINT.exec(text);
  const v4 = v6 ? null : IPV4_ENDPOINT.exec(text);
  const match = v6 ?? v4;
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) {
    throw lineError(file, line, `endpoint '${text}' is not 'a.b.c.d:port' or '[v6]:port'`);
  }
  return { endpoint: { ip: match[1] as string, port }, ipVersion: v6 ? 6 : 4 };
}

/** Splits `[a][b: c][d]` into its fields; values never contain `][` in ndpiReader's output. */
function splitFields(bracketed: string): string[] {
  return bracketed.slice(1, -1).split('][');
}

function parseFlowLine(match: RegExpExecArray, section: ExpectedFlow['section'], file: string, line: number): ExpectedFlow {
  const [, index, protoToken, srcText, arrow, dstText, bracketed] = match as unknown as string[];
  const ipProtocol = ipProtocolNumber(protoToken as string);
  if (ipProtocol === undefined) throw lineError(file, line, `unknown IP protocol '${protoToken}'`);
  const src = parseEndpoint(srcText as string, file, line);
  const dst = parseEndpoint(dstText as string, file, line);
  if (src.ipVersion !== dst.ipVersion) throw lineError(file, line, 'endpoints of different IP versions');

  const metadata: Record<string, string> = {};
  const flags: string[] = [];
  let counts: RegExpExecArray | null = null;
  for (const field of splitFields(bracketed as string)) {
    const countMatch: RegExpExecArray | null = counts ? null : COUNTS_FIELD.exec(field);
    if (countMatch) {
      counts = countMatch;
      continue;
    }
    const colon = field.indexOf(': ');
    if (colon > 0) {
      const key = field.slice(0, colon);
      if (!(key in metadata)) metadata[key] = field.slice(colon + 2);
    } else {
      flags.push(field);
    }
  }

  const proto = PROTO_FIELD.exec(metadata.proto ?? '');
  if (!proto) throw lineError(file, line, `missing or malformed [proto: ...] field ('${metadata.proto ?? ''}')`);
  if (!counts) throw lineError(file, line, 'missing [N pkts/N bytes <-> N pkts/N bytes] field');
  const vlanText = metadata.VLAN;
  if (vlanText !== undefined && !/^\d+$/.test(vlanText)) throw lineError(file, line, `malformed [VLAN: ${vlanText}]`);

  const [, tunnel, first, second, protocolName] = proto;
  return {
    line,
    index: Number(index),
    section,
    ipProtocol,
    ipVersion: src.ipVersion,
    src: src.endpoint,
    dst: dst.endpoint,
    bidirectional: arrow === '<->',
    vlanId: vlanText === undefined ? 0 : Number(vlanText),
    tunnel: tunnel ?? '',
    // `[proto: 91.203/...]` is master.app; a single number is the app protocol alone.
    ndpiMaster: second === undefined ? 0 : Number(first),
    ndpiApp: Number(second ?? first),
    protocolName: protocolName as string,
    confidence: metadata.Confidence ?? '',
    srcToDstPackets: Number(counts[1]),
    srcToDstBytes: Number(counts[2]),
    dstToSrcPackets: Number(counts[3]),
    dstToSrcBytes: Number(counts[4]),
    hostName: metadata['Hostname/SNI'] ?? '',
    metadata,
    flags,
  };
}

/** Parses the text of one ndpiReader `-w` file; `file` only names it in errors. */
export function parseNdpiReaderOutput(text: string, file: string): NdpiReaderOutput {
  const flows: ExpectedFlow[] = [];
  const protocolSummary: ProtocolSummaryRow[] = [];
  let section: ExpectedFlow['section'] = 'detected';
  let seenFlow = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).replace(/\r$/, '');
    if (raw === UNDETECTED_HEADING) {
      section = 'undetected';
      continue;
    }
    const flowMatch = FLOW_LINE.exec(raw);
    if (flowMatch) {
      flows.push(parseFlowLine(flowMatch, section, file, i + 1));
      seenFlow = true;
      continue;
    }
    if (/^\t\d+\t\S/.test(raw) && /\[proto: /.test(raw)) {
      throw lineError(file, i + 1, "flow line not of the form '<proto> <src> <-> <dst> [...]'");
    }
    const summary = seenFlow ? null : SUMMARY_ROW.exec(raw);
    if (summary) {
      const [, name, packets, bytes, count] = summary as unknown as string[];
      protocolSummary.push({ name: name as string, packets: Number(packets), bytes: Number(bytes), flows: Number(count) });
    }
  }
  return { flows, protocolSummary };
}

/** Reads and parses `<file>`; a missing/unreadable file is one CompareError naming it. */
export async function readNdpiReaderOutput(file: string): Promise<NdpiReaderOutput> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new CompareError('ERR_EXPECTED_READ', `cannot read expected output ${file}: ${reason}`, { cause: error });
  }
  return parseNdpiReaderOutput(text, file);
}
