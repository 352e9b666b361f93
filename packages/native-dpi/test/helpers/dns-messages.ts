// Builds DNS messages for the generated captures: names compressed the way servers do it
// (a suffix already written becomes a pointer), or raw bytes patched in for malformed ones.
import { isIP } from 'node:net';
import { ipv4Bytes, ipv6Bytes } from './packets.js';

export const TYPE = { A: 1, NS: 2, CNAME: 5, TXT: 16, AAAA: 28 } as const;
export const CLASS_IN = 1;
/** QR, RD, RA; RCODE 0. */
export const RESPONSE_FLAGS = 0x8180;
export const FLAG_TRUNCATED = 0x0200;

/** A name as text (compressed by the writer) or as raw encoded bytes written as they are. */
export type NameSpec = string | Buffer;

export interface Question {
  name: NameSpec;
  type: number;
  cls?: number;
}

export interface ResourceRecord {
  owner: NameSpec;
  type: number;
  /** An address for A/AAAA, a name for CNAME/NS, raw bytes for anything else. */
  data: string | Buffer;
  ttl?: number;
  cls?: number;
}

export interface MessageOptions {
  id?: number;
  flags?: number;
  questions: Question[];
  answers?: ResourceRecord[];
  authority?: ResourceRecord[];
  /** Header counts that disagree with the records written (malformed messages). */
  qdcount?: number;
  ancount?: number;
  /** Write every name in full (no pointers). */
  uncompressed?: boolean;
}

class MessageWriter {
  readonly bytes: number[] = [];
  private readonly suffixes = new Map<string, number>();

  constructor(private readonly compress: boolean) {}

  u16(v: number): void {
    this.bytes.push((v >> 8) & 0xff, v & 0xff);
  }
  u32(v: number): void {
    this.u16(Math.floor(v / 0x10000));
    this.u16(v % 0x10000);
  }
  name(spec: NameSpec): void {
    if (Buffer.isBuffer(spec)) {
      this.bytes.push(...spec);
      return;
    }
    const text = spec;
    const labels = text === '' ? [] : text.split('.');
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const at = this.suffixes.get(suffix);
      if (this.compress && at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (this.bytes.length < 0x3fff) this.suffixes.set(suffix, this.bytes.length);
      const label = Buffer.from(labels[i] as string, 'latin1');
      this.bytes.push(label.length, ...label);
    }
    this.bytes.push(0);
  }
  record(rr: ResourceRecord): void {
    this.name(rr.owner);
    this.u16(rr.type);
    this.u16(rr.cls ?? CLASS_IN);
    this.u32(rr.ttl ?? 300);
    const lengthAt = this.bytes.length;
    this.u16(0);
    const start = this.bytes.length;
    if (Buffer.isBuffer(rr.data)) this.bytes.push(...rr.data);
    else if (rr.type === TYPE.A || rr.type === TYPE.AAAA) this.bytes.push(...addressBytes(rr.data));
    else this.name(rr.data);
    const length = this.bytes.length - start;
    this.bytes[lengthAt] = length >> 8;
    this.bytes[lengthAt + 1] = length & 0xff;
  }
}

export function addressBytes(address: string): Buffer {
  return isIP(address) === 4 ? ipv4Bytes(address) : ipv6Bytes(address);
}

export function dnsMessage(o: MessageOptions): Buffer {
  const w = new MessageWriter(!o.uncompressed);
  const answers = o.answers ?? [];
  const authority = o.authority ?? [];
  w.u16(o.id ?? 0x4242);
  w.u16(o.flags ?? RESPONSE_FLAGS);
  w.u16(o.qdcount ?? o.questions.length);
  w.u16(o.ancount ?? answers.length);
  w.u16(authority.length);
  w.u16(0);
  for (const q of o.questions) {
    w.name(q.name);
    w.u16(q.type);
    w.u16(q.cls ?? CLASS_IN);
  }
  for (const rr of answers) w.record(rr);
  for (const rr of authority) w.record(rr);
  return Buffer.from(w.bytes);
}

/** DNS over TCP: the message behind its 2-byte length (`length` overrides it). */
export function tcpFramed(message: Buffer, length = message.length): Buffer {
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(length, 0);
  return Buffer.concat([prefix, message]);
}

/** `message` with `bytes` written over it at `offset`. */
export function patched(message: Buffer, offset: number, bytes: number[]): Buffer {
  const copy = Buffer.from(message);
  Buffer.from(bytes).copy(copy, offset);
  return copy;
}
