import { createConnection, type Socket } from 'node:net';
import { unpackMultiple } from 'msgpackr';
import { expect } from 'vitest';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Polls `condition` every 10 ms for at most `timeoutMs`; fails the test on timeout. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) expect.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** A connected stream client that keeps every byte it receives. */
export interface RecordingClient {
  readonly socket: Socket;
  bytes(): Buffer;
  readonly closed: Promise<void>;
}

export async function connectRecording(target: { path: string } | { host: string; port: number }): Promise<RecordingClient> {
  const socket = createConnection(target);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, bytes: () => Buffer.concat(chunks), closed };
}

export function targetOf(url: string): { path: string } | { host: string; port: number } {
  if (url.startsWith('unix://')) return { path: url.slice('unix://'.length) };
  const parsed = new URL(url);
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port) };
}

export interface NetifydFrame {
  /** The header's N. */
  readonly length: number;
  /** The N bytes after the header. */
  readonly body: Buffer;
}

/**
 * Reads netifyd JSON-framed messages the way a netifyd consumer does: read a line,
 * JSON-parse it as `{"length":N}`, then take exactly N bytes. Returns complete frames
 * and how many bytes they used.
 */
export function readNetifydFrames(bytes: Buffer): { frames: NetifydFrame[]; used: number } {
  const frames: NetifydFrame[] = [];
  let offset = 0;
  for (;;) {
    const newline = bytes.indexOf(0x0a, offset);
    if (newline < 0) break;
    const header = JSON.parse(bytes.subarray(offset, newline).toString('utf8')) as { length: number };
    expect(Object.keys(header)).toEqual(['length']);
    const start = newline + 1;
    if (bytes.length < start + header.length) break;
    frames.push({ length: header.length, body: bytes.subarray(start, start + header.length) });
    offset = start + header.length;
  }
  return { frames, used: offset };
}

/** The messages of netifyd JSON frames; asserts every frame is whole (N = message + its newline). */
export function netifydMessages(bytes: Buffer): Record<string, unknown>[] {
  const { frames, used } = readNetifydFrames(bytes);
  expect(used).toBe(bytes.length);
  return frames.map((frame) => {
    expect(frame.body.at(-1)).toBe(0x0a);
    return JSON.parse(frame.body.toString('utf8')) as Record<string, unknown>;
  });
}

/** Reads msgpack-framed output: a msgpack map {length: N}, then N bytes holding one msgpack value. */
export function msgpackFrames(bytes: Buffer): { header: unknown; value: unknown; valueBytes: number }[] {
  const values: { value: unknown; start: number; end: number }[] = [];
  unpackMultiple(bytes, (value: unknown, start?: number, end?: number) => {
    values.push({ value, start: start as number, end: end as number });
  });
  expect(values.length % 2).toBe(0);
  const frames = [];
  for (let index = 0; index < values.length; index += 2) {
    const header = values[index] as { value: { length: number } };
    const body = values[index + 1] as { value: unknown; start: number; end: number };
    frames.push({ header: header.value, value: body.value, valueBytes: body.end - body.start });
  }
  return frames;
}

/** `nc … | jq` style: split on newlines; every line must be JSON. */
export function jsonLines(bytes: Buffer): Record<string, unknown>[] {
  const text = bytes.toString('utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
