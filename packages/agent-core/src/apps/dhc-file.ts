import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { DnsHintRow } from './dns-hint-cache.js';

const HEADER = '"host","addr_digest","ttl"';
const ROW = /^"([0-9A-Za-z._-]+)",([0-9a-f]{40}),(\d+)$/;

export interface DhcFileContents {
  readonly rows: Array<Pick<DnsHintRow, 'host' | 'digest'>>;
  /** Why reading stopped early (`file:line: reason`), as netifyd stops at the first bad line. */
  readonly problem?: string;
}

/**
 * Reads `dns-cache.csv` (FORMATS §11): the header, then `"<host>",<40 hex>,<seconds>` rows.
 * The ttl column is ignored (restored entries get a fresh TTL). Reading stops at the first
 * malformed line, keeping the rows before it. A missing file is an empty cache.
 */
export function readDhcFile(path: string): DhcFileContents {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { rows: [] } : { rows: [], problem: `${path}: cannot read (${code ?? String(error)})` };
  }
  const lines = text.split('\n');
  if (lines[0]?.trim() !== HEADER) return { rows: [], problem: `${path}:1: expected the header ${HEADER}` };
  const rows: Array<Pick<DnsHintRow, 'host' | 'digest'>> = [];
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    const match = ROW.exec(line);
    if (!match) return { rows, problem: `${path}:${index + 1}: expected "<host>",<40 hex digits>,<seconds>; rows from here on were not loaded` };
    rows.push({ host: match[1]!.toLowerCase(), digest: match[2]! });
  }
  return { rows };
}

/** Writes the cache atomically (temporary file, then rename), readable by its owner only. */
export function writeDhcFile(path: string, rows: readonly DnsHintRow[]): void {
  const body = rows.map((row) => `"${row.host}",${row.digest},${row.ttlS}\n`).join('');
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, `${HEADER}\n${body}`, { mode: 0o600 });
  renameSync(temporary, path);
}
