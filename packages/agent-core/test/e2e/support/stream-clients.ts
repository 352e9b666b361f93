import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { unpack } from 'msgpackr';
import { within } from './wait.js';

export type Address = { path: string } | { host: string; port: number };
type Message = Record<string, unknown>;

/** A socket client collecting what it receives until the agent closes the connection. */
abstract class StreamClient {
  protected readonly socket: Socket;
  readonly closed: Promise<void>;
  /** Problems a real consumer would trip over (bad header, bad payload). */
  readonly problems: string[] = [];

  constructor(address: Address) {
    this.socket = connect(address);
    this.closed = new Promise((resolve, reject) => {
      this.socket.on('error', reject);
      this.socket.on('close', () => resolve());
    });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
  }

  /** Waits (bounded) for the agent to close the connection. */
  async done(timeoutMs: number): Promise<void> {
    await within('the agent to close the client connection', this.closed, timeoutMs).finally(() => this.socket.destroy());
  }

  destroy(): void {
    this.socket.destroy();
  }

  protected abstract onData(chunk: Buffer): void;
}

export interface LengthClientOptions {
  /** `json`: `{"length":N}\n` header line; `msgpack`: msgpack map `{"length":N}`. */
  readonly header: 'json' | 'msgpack';
  /** How the N payload bytes are turned into a message. */
  readonly payload: 'json' | 'msgpack';
  readonly gzip: boolean;
}

/** A netifyd consumer: reads the length header, then exactly N bytes, then decodes them. */
export class LengthClient extends StreamClient {
  readonly messages: Message[] = [];
  /** `Date.now()` when each message was complete. */
  readonly receivedAt: number[] = [];
  private pending = Buffer.alloc(0);

  constructor(address: Address, private readonly options: LengthClientOptions = { header: 'json', payload: 'json', gzip: false }) {
    super(address);
  }

  protected onData(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    try {
      this.readFrames();
    } catch (error) {
      // A consumer cannot resynchronise after a bad header: give up on the stream.
      this.problems.push((error as Error).message);
      this.pending = Buffer.alloc(0);
      this.socket.destroy();
    }
  }

  private readFrames(): void {
    for (;;) {
      const header = this.readHeader();
      if (!header || this.pending.length < header.size + header.length) return;
      const payload = this.pending.subarray(header.size, header.size + header.length);
      this.pending = this.pending.subarray(header.size + header.length);
      try {
        this.messages.push(this.decode(payload));
        this.receivedAt.push(Date.now());
      } catch (error) {
        this.problems.push(`payload of ${header.length} bytes: ${(error as Error).message}`);
      }
    }
  }

  private readHeader(): { size: number; length: number } | undefined {
    if (this.options.header === 'json') {
      const end = this.pending.indexOf(0x0a);
      if (end < 0) return undefined;
      const header = JSON.parse(this.pending.subarray(0, end).toString('utf8')) as { length?: unknown };
      if (typeof header.length !== 'number') throw new Error(`bad header ${this.pending.subarray(0, end).toString()}`);
      return { size: end + 1, length: header.length };
    }
    // fixmap(1) "length" then a fixint, uint8, uint16 or uint32.
    if (this.pending.length < 9) return undefined;
    const size = { 0xcc: 10, 0xcd: 11, 0xce: 13 }[this.pending[8]!] ?? 9;
    if (this.pending.length < size) return undefined;
    const header = unpack(this.pending.subarray(0, size)) as { length?: unknown };
    if (typeof header.length !== 'number') throw new Error('bad msgpack header');
    return { size, length: header.length };
  }

  private decode(payload: Buffer): Message {
    const plain = this.options.gzip ? gunzipSync(payload) : payload;
    return this.options.payload === 'json' ? (JSON.parse(plain.toString('utf8')) as Message) : (unpack(plain) as Message);
  }
}

/** `nc -U … | jq` style: every line must parse as JSON on its own. */
export class LineClient extends StreamClient {
  readonly lines: Array<{ text: string; value: unknown }> = [];
  readonly raw: Buffer[] = [];
  private partial = '';

  protected onData(chunk: Buffer): void {
    this.raw.push(chunk);
    const text = this.partial + chunk.toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) {
      try {
        this.lines.push({ text: line, value: JSON.parse(line) });
      } catch {
        this.problems.push(`not JSON: ${line.slice(0, 120)}`);
      }
    }
  }

  /** The messages: every other line, each checked against the header line before it. */
  messages(): Message[] {
    const messages: Message[] = [];
    for (let i = 0; i < this.lines.length; i += 2) {
      const header = this.lines[i]!.value as { length?: number };
      const message = this.lines[i + 1];
      if (!message || Buffer.byteLength(message.text) + 1 !== header.length) this.problems.push(`header ${this.lines[i]!.text} does not match the line after it`);
      if (message) messages.push(message.value as Message);
    }
    if (this.partial !== '') this.problems.push(`stream ended inside a line: ${this.partial.slice(0, 80)}`);
    return messages;
  }
}

/** Feeds bytes to the real `jq -c .`; resolves its exit code and output lines. */
export async function throughJq(input: Buffer, timeoutMs = 10_000): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  const jq = spawn('jq', ['-c', '.'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  jq.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  jq.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    jq.on('error', reject);
    jq.on('close', resolve);
  });
  jq.stdin.end(input);
  try {
    const code = await within('jq to finish', exited, timeoutMs);
    return { code, lines: out.split('\n').filter((line) => line !== ''), stderr: err };
  } finally {
    jq.kill('SIGKILL');
  }
}
