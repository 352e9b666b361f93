import { LabError } from './errors.js';

/** Parses the JSON after a traffic script's `READY `/`EVENT `/`RESULT ` tag. */
export function parseTaggedLine<T>(line: string, tag: 'READY' | 'EVENT' | 'RESULT'): T {
  if (!line.startsWith(`${tag} `)) throw new LabError('ERR_LAB_SCRIPT_OUTPUT', `expected a ${tag} line, got ${JSON.stringify(line)}`);
  try {
    return JSON.parse(line.slice(tag.length + 1)) as T;
  } catch {
    throw new LabError('ERR_LAB_SCRIPT_OUTPUT', `${tag} line is not JSON: ${JSON.stringify(line)}`);
  }
}

/** The single RESULT line a client script prints on success. */
export function resultOf<T>(stdout: string, what: string): T {
  const line = stdout.split('\n').find((candidate) => candidate.startsWith('RESULT '));
  if (line === undefined) throw new LabError('ERR_LAB_SCRIPT_OUTPUT', `${what} printed no RESULT line (stdout: ${JSON.stringify(stdout.slice(0, 200))})`);
  return parseTaggedLine<T>(line, 'RESULT');
}

/** Every EVENT line a server printed so far, parsed. */
export function eventsOf<T>(lines: readonly string[]): T[] {
  return lines.filter((line) => line.startsWith('EVENT ')).map((line) => parseTaggedLine<T>(line, 'EVENT'));
}
