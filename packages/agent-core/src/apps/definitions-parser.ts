import { parseCidr, type Cidr } from '../flow/ip-address.js';
import { compilePosixRegex } from './posix-regex.js';

/** A line of a definitions file that was rejected, and why. */
export interface DefinitionIssue {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

export interface AppRecord {
  readonly id: number;
  readonly tag: string;
  readonly line: number;
}

export interface DomainRecord {
  readonly appId: number;
  readonly domain: string;
  readonly line: number;
}

export interface NetworkRecord {
  readonly appId: number;
  readonly network: Cidr;
  readonly text: string;
  readonly line: number;
}

export interface TransformRecord {
  readonly pattern: RegExp;
  readonly replacement: string;
  readonly line: number;
}

export interface SoftDissectorRecord {
  readonly appId: number;
  readonly protocolId: number;
  readonly expression: string;
  readonly line: number;
}

/** Everything a definitions file holds, in file order, plus the lines it rejected. */
export interface ParsedDefinitions {
  readonly file: string;
  readonly apps: AppRecord[];
  readonly domains: DomainRecord[];
  readonly networks: NetworkRecord[];
  readonly transforms: TransformRecord[];
  readonly softDissectors: SoftDissectorRecord[];
  readonly issues: DefinitionIssue[];
}

const MAX_ID = 0xfffffffe;
const TAG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const DOMAIN = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A C-style unsigned number as netifyd reads ids: decimal, `0x` hex or leading-`0` octal. */
export function parseCNumber(text: string): number | undefined {
  let value: number;
  if (/^0x[0-9a-f]+$/i.test(text)) value = Number.parseInt(text.slice(2), 16);
  else if (/^0[0-7]*$/.test(text)) value = Number.parseInt(text, 8);
  else if (/^[1-9][0-9]*$/.test(text)) value = Number(text);
  else return undefined;
  return value <= MAX_ID ? value : undefined;
}

class LineError extends Error {}

function fail(reason: string): never {
  throw new LineError(reason);
}

function appId(text: string, what = 'application id'): number {
  const id = parseCNumber(text.trim());
  if (id === undefined || id === 0) fail(`${what} "${text}" is not a number between 1 and ${MAX_ID}`);
  return id;
}

function signedId(text: string, what: string): number {
  const trimmed = text.trim();
  if (trimmed === '-1') return -1;
  const id = parseCNumber(trimmed);
  if (id === undefined) fail(`${what} "${text}" is not -1 or a non-negative number`);
  return id;
}

/** `text` split at its first `:`; fails when there is none. */
function splitFirst(text: string, expected: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon < 0) fail(`expected ${expected}`);
  return [text.slice(0, colon), text.slice(colon + 1)];
}

/**
 * Parses netifyd's application-definitions syntax (FORMATS §10.1): `app:`, `dom:`, `net:`,
 * `xfm:` and `nsd:` records, `#` comments and blank lines. A malformed line is reported in
 * `issues` with its line number and reason and skipped; it never discards the other lines.
 * Semantic checks across lines (duplicates, unknown application ids) are the catalogue's.
 */
export function parseDefinitions(text: string, file: string): ParsedDefinitions {
  const parsed: ParsedDefinitions = { file, apps: [], domains: [], networks: [], transforms: [], softDissectors: [], issues: [] };
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      parseLine(line, index + 1, parsed);
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      parsed.issues.push({ file, line: index + 1, reason: error.message });
    }
  }
  return parsed;
}

function parseLine(line: string, lineNo: number, parsed: ParsedDefinitions): void {
  const colon = line.indexOf(':');
  const kind = colon < 0 ? line : line.slice(0, colon);
  const body = colon < 0 ? '' : line.slice(colon + 1);
  switch (kind) {
    case 'app': {
      const [id, tag] = splitFirst(body, 'app:<id>:<tag>');
      if (!TAG.test(tag)) fail(`tag "${tag}" must be letters, digits, '.', '_' or '-'`);
      parsed.apps.push({ id: appId(id), tag, line: lineNo });
      return;
    }
    case 'dom': {
      const [id, raw] = splitFirst(body, 'dom:<app-id>:<domain>');
      const domain = raw.trim().toLowerCase();
      if (domain.includes('*')) fail(`domain "${raw}" has a wildcard; list the domain itself (suffixes match every subdomain)`);
      if (!DOMAIN.test(domain)) fail(`"${raw}" is not a domain name`);
      parsed.domains.push({ appId: appId(id), domain, line: lineNo });
      return;
    }
    case 'net': {
      const [id, text] = splitFirst(body, 'net:<app-id>:<address>[/<length>]');
      const network = parseCidr(text.trim());
      if (!network) fail(`"${text}" is not an IPv4/IPv6 address with optional /length`);
      parsed.networks.push({ appId: appId(id), network, text: text.trim(), line: lineNo });
      return;
    }
    case 'xfm': {
      const [source, replacement] = splitFirst(body, 'xfm:<regex>:<replacement>');
      if (source === '') fail('the transform regex is empty');
      let pattern: RegExp;
      try {
        pattern = compilePosixRegex(source);
      } catch (error) {
        fail(`invalid regex "${source}": ${(error as Error).message}`);
      }
      parsed.transforms.push({ pattern, replacement, line: lineNo });
      return;
    }
    case 'nsd': {
      const exprAt = body.lastIndexOf(':');
      const protoAt = exprAt < 0 ? -1 : body.lastIndexOf(':', exprAt - 1);
      if (protoAt < 0) fail('expected nsd:<app-id>:<protocol-id>:<base64 expression>');
      const encoded = body.slice(exprAt + 1).trim();
      const expression = BASE64.test(encoded) ? Buffer.from(encoded, 'base64').toString('utf8').trim() : '';
      if (expression === '') fail(`"${encoded}" is not a base64-encoded expression`);
      parsed.softDissectors.push({
        appId: signedId(body.slice(0, protoAt), 'application id'),
        protocolId: signedId(body.slice(protoAt + 1, exprAt), 'protocol id'),
        expression,
        line: lineNo,
      });
      return;
    }
    default:
      fail(colon < 0 ? 'not a definition (expected <kind>:…)' : `unknown record kind "${kind}" (expected app, dom, net, xfm or nsd); skipped`);
  }
}
