/**
 * The line protocol every traffic script speaks on stdout, read by the lab:
 *   READY {json}   a server is listening (printed once)
 *   EVENT {json}   a server saw something (a query, a request, a handshake)
 *   RESULT {json}  a client finished successfully (printed once, then exit 0)
 * Failures print one `error: ...` line on stderr: exit 1 for a failed exchange,
 * exit 2 for bad arguments.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type ArgValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export function printReady(info: Record<string, unknown>): void {
  process.stdout.write(`READY ${JSON.stringify(info)}\n`);
}

export function printEvent(info: Record<string, unknown>): void {
  process.stdout.write(`EVENT ${JSON.stringify(info)}\n`);
}

export function printResult(info: Record<string, unknown>): void {
  process.stdout.write(`RESULT ${JSON.stringify(info)}\n`);
}

/** Exits with one line naming what went wrong (no stack trace). */
export function fail(exitCode: 1 | 2, message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(exitCode);
}

/** Reports an exchange failure with the error's code when it has one. */
export function failExchange(what: string, error: unknown): never {
  const err = error as NodeJS.ErrnoException;
  fail(1, `${what}: ${err.code ? `${err.code}: ` : ''}${err.message ?? String(error)}`);
}

export function parseScriptArgs(script: string, options: Options): ArgValues {
  try {
    return parseArgs({ args: process.argv.slice(2), options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    fail(2, `${script}: ${(error as Error).message}`);
  }
}

export function requiredString(values: ArgValues, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') fail(2, `--${name} is required`);
  return value;
}

export function stringList(values: ArgValues, name: string): string[] {
  const value = values[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
}

export function optionalString(values: ArgValues, name: string, fallback: string): string {
  const value = values[name];
  return typeof value === 'string' ? value : fallback;
}

export function integerOption(values: ArgValues, name: string, fallback: number, min: number, max: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    fail(2, `--${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  }
  return value;
}

/** A port to connect to (1-65535). */
export function portOption(values: ArgValues, name = 'port', fallback?: number): number {
  if (values[name] === undefined && fallback === undefined) fail(2, `--${name} is required`);
  return integerOption(values, name, fallback ?? 0, 1, 65_535);
}

/** A port to listen on; 0 lets the kernel pick one (the READY line names it). */
export function listenPortOption(values: ArgValues, fallback?: number): number {
  if (values.port === undefined && fallback === undefined) fail(2, '--port is required');
  return integerOption(values, 'port', fallback ?? 0, 0, 65_535);
}

/** Deterministic filler so captures of the same scenario carry the same payload bytes. */
export function fillerBytes(length: number): Buffer {
  const pattern = Buffer.from('netns-lab sample payload 0123456789abcdef\n');
  const buffer = Buffer.alloc(length);
  for (let offset = 0; offset < length; offset += pattern.length) pattern.copy(buffer, offset);
  return buffer;
}

/** Ends the process if the exchange hangs; the lab also bounds the whole command. */
export function exitAfter(timeoutMs: number, what: string): NodeJS.Timeout {
  const timer = setTimeout(() => fail(1, `${what}: no answer within ${timeoutMs} ms`), timeoutMs);
  timer.unref();
  return timer;
}
