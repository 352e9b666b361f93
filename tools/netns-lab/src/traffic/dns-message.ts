/**
 * Just enough of RFC 1035 for the lab: queries with one question, answers of A/AAAA and
 * CNAME records (names compressed against those written before), NOERROR/NXDOMAIN.
 */
import { addressToBytes, bytesToAddress } from './ip-bytes.js';

export const DNS_TYPES = { A: 1, AAAA: 28 } as const;
export const TYPE_CNAME = 5;
export type DnsTypeName = keyof typeof DNS_TYPES;
export const RCODE_NOERROR = 0;
export const RCODE_FORMERR = 1;
export const RCODE_NXDOMAIN = 3;

const CLASS_IN = 1;
const FLAG_RESPONSE = 0x8000;
const FLAG_AUTHORITATIVE = 0x0400;
const FLAG_RECURSION_DESIRED = 0x0100;
const HEADER_BYTES = 12;
const MAX_POINTER_HOPS = 16;

export interface DnsQuestion {
  name: string;
  type: number;
}

export interface DnsAnswer {
  name: string;
  type: number;
  ttl: number;
  /** Text address for A/AAAA, the target name for CNAME, hex of the raw data for any other type. */
  data: string;
}

/** An answer to write: an address (A/AAAA by its family) or a CNAME to `target`. */
export type AnswerRecord = { name: string; address: string } | { name: string; target: string };

export interface DnsMessage {
  id: number;
  isResponse: boolean;
  rcode: number;
  recursionDesired: boolean;
  questions: DnsQuestion[];
  answers: DnsAnswer[];
}

export class DnsFormatError extends Error {
  override name = 'DnsFormatError';
}

export function encodeQuery(id: number, name: string, type: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(FLAG_RECURSION_DESIRED, 2);
  header.writeUInt16BE(1, 4);
  return Buffer.concat([header, encodeQuestion({ name, type })]);
}

/** An authoritative answer to `query`'s first question with one record per address. */
export function encodeResponse(query: DnsMessage, rcode: number, addresses: readonly string[], ttl: number): Buffer {
  const name = query.questions[0]?.name ?? '';
  return encodeAnswers(query, rcode, addresses.map((address) => ({ name, address })), ttl);
}

/** An authoritative answer to `query`'s first question with the given records, in order. */
export function encodeAnswers(query: DnsMessage, rcode: number, records: readonly AnswerRecord[], ttl: number): Buffer {
  const question = query.questions[0];
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(query.id, 0);
  header.writeUInt16BE(
    FLAG_RESPONSE | FLAG_AUTHORITATIVE | (query.recursionDesired ? FLAG_RECURSION_DESIRED : 0) | (rcode & 0xf),
    2,
  );
  header.writeUInt16BE(question ? 1 : 0, 4);
  header.writeUInt16BE(question ? records.length : 0, 6);
  if (!question) return header;
  const questionBytes = encodeQuestion(question);
  const names = new NameTable();
  names.remember(question.name, HEADER_BYTES);
  const parts = [header, questionBytes];
  let offset = HEADER_BYTES + questionBytes.length;
  for (const record of records) {
    const owner = names.encode(record.name, offset);
    const fixed = Buffer.alloc(10);
    let rdata: Buffer;
    if ('address' in record) {
      rdata = addressToBytes(record.address);
      fixed.writeUInt16BE(rdata.length === 4 ? DNS_TYPES.A : DNS_TYPES.AAAA, 0);
    } else {
      rdata = names.encode(record.target, offset + owner.length + fixed.length);
      fixed.writeUInt16BE(TYPE_CNAME, 0);
    }
    fixed.writeUInt16BE(CLASS_IN, 2);
    fixed.writeUInt32BE(ttl, 4);
    fixed.writeUInt16BE(rdata.length, 8);
    parts.push(owner, fixed, rdata);
    offset += owner.length + fixed.length + rdata.length;
  }
  return Buffer.concat(parts);
}

/** Name compression: a suffix written before becomes a pointer to where it was written. */
class NameTable {
  private readonly offsets = new Map<string, number>();

  remember(name: string, offset: number): void {
    let at = offset;
    const labels = splitName(name);
    labels.forEach((label, i) => {
      this.offsets.set(labels.slice(i).join('.').toLowerCase(), at);
      at += 1 + Buffer.byteLength(label, 'ascii');
    });
  }

  /** `name` as written at `offset`, its new suffixes remembered. */
  encode(name: string, offset: number): Buffer {
    const labels = splitName(name);
    const parts: Buffer[] = [];
    let at = offset;
    for (let i = 0; i < labels.length; i++) {
      const known = this.offsets.get(labels.slice(i).join('.').toLowerCase());
      if (known !== undefined) {
        const pointer = Buffer.alloc(2);
        pointer.writeUInt16BE(0xc000 | known, 0);
        return Buffer.concat([...parts, pointer]);
      }
      const bytes = labelBytes(labels[i] as string, name);
      if (at < 0x3fff) this.offsets.set(labels.slice(i).join('.').toLowerCase(), at);
      parts.push(Buffer.from([bytes.length]), bytes);
      at += 1 + bytes.length;
    }
    return Buffer.concat([...parts, Buffer.from([0])]);
  }
}

function splitName(name: string): string[] {
  const trimmed = name.replace(/\.$/, '');
  return trimmed === '' ? [] : trimmed.split('.');
}

function labelBytes(label: string, name: string): Buffer {
  const bytes = Buffer.from(label, 'ascii');
  if (bytes.length < 1 || bytes.length > 63) throw new DnsFormatError(`bad label ${JSON.stringify(label)} in ${name}`);
  return bytes;
}

export function decodeMessage(packet: Uint8Array): DnsMessage {
  const buf = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
  need(buf, 0, HEADER_BYTES, 'header');
  const flags = buf.readUInt16BE(2);
  const questionCount = buf.readUInt16BE(4);
  const answerCount = buf.readUInt16BE(6);
  let offset = HEADER_BYTES;
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < questionCount; i += 1) {
    const name = readName(buf, offset);
    offset = name.next;
    need(buf, offset, 4, 'question');
    questions.push({ name: name.text, type: buf.readUInt16BE(offset) });
    offset += 4;
  }
  const answers: DnsAnswer[] = [];
  for (let i = 0; i < answerCount; i += 1) {
    const name = readName(buf, offset);
    offset = name.next;
    need(buf, offset, 10, 'answer');
    const type = buf.readUInt16BE(offset);
    const ttl = buf.readUInt32BE(offset + 4);
    const length = buf.readUInt16BE(offset + 8);
    offset += 10;
    need(buf, offset, length, 'answer data');
    const rdata = buf.subarray(offset, offset + length);
    const isAddress = (type === DNS_TYPES.A && length === 4) || (type === DNS_TYPES.AAAA && length === 16);
    const data = isAddress ? bytesToAddress(rdata) : type === TYPE_CNAME ? readName(buf, offset).text : rdata.toString('hex');
    answers.push({ name: name.text, type, ttl, data });
    offset += length;
  }
  return {
    id: buf.readUInt16BE(0),
    isResponse: (flags & FLAG_RESPONSE) !== 0,
    rcode: flags & 0xf,
    recursionDesired: (flags & FLAG_RECURSION_DESIRED) !== 0,
    questions,
    answers,
  };
}

function encodeQuestion(question: DnsQuestion): Buffer {
  const labels = question.name.replace(/\.$/, '').split('.');
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = labelBytes(label, question.name);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  const tail = Buffer.alloc(5);
  tail.writeUInt16BE(question.type, 1);
  tail.writeUInt16BE(CLASS_IN, 3);
  const encoded = Buffer.concat([...parts, tail]);
  if (encoded.length - 4 > 255) throw new DnsFormatError(`name too long: ${question.name}`);
  return encoded;
}

/** Reads a possibly compressed name; `next` is the offset after it in the original place. */
function readName(buf: Buffer, start: number): { text: string; next: number } {
  const labels: string[] = [];
  let offset = start;
  let next: number | undefined;
  for (let hops = 0; ; ) {
    need(buf, offset, 1, 'name');
    const length = buf[offset] ?? 0;
    if (length === 0) {
      return { text: labels.join('.'), next: next ?? offset + 1 };
    }
    if ((length & 0xc0) === 0xc0) {
      need(buf, offset, 2, 'name pointer');
      hops += 1;
      if (hops > MAX_POINTER_HOPS) throw new DnsFormatError('name pointers loop');
      next ??= offset + 2;
      offset = buf.readUInt16BE(offset) & 0x3fff;
      continue;
    }
    if (length > 63) throw new DnsFormatError(`bad label length ${length} at offset ${offset}`);
    need(buf, offset + 1, length, 'label');
    labels.push(buf.toString('ascii', offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
}

function need(buf: Buffer, offset: number, length: number, what: string): void {
  if (offset + length > buf.length) {
    throw new DnsFormatError(`truncated ${what}: needs ${length} bytes at offset ${offset}, message has ${buf.length}`);
  }
}
