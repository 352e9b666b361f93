/**
 * Just enough of RFC 1035 for the lab: queries with one question, answers of A/AAAA
 * records (name compressed as a pointer to the question), NOERROR/NXDOMAIN.
 */
import { addressToBytes, bytesToAddress } from './ip-bytes.js';

export const DNS_TYPES = { A: 1, AAAA: 28 } as const;
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
  /** Text address for A/AAAA; hex of the raw data for any other type. */
  data: string;
}

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
  const question = query.questions[0];
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(query.id, 0);
  header.writeUInt16BE(
    FLAG_RESPONSE | FLAG_AUTHORITATIVE | (query.recursionDesired ? FLAG_RECURSION_DESIRED : 0) | (rcode & 0xf),
    2,
  );
  header.writeUInt16BE(question ? 1 : 0, 4);
  header.writeUInt16BE(question ? addresses.length : 0, 6);
  if (!question) return header;
  const answers = addresses.map((address) => {
    const rdata = addressToBytes(address);
    const fixed = Buffer.alloc(12);
    fixed.writeUInt16BE(0xc000 | HEADER_BYTES, 0); // pointer to the question's name
    fixed.writeUInt16BE(rdata.length === 4 ? DNS_TYPES.A : DNS_TYPES.AAAA, 2);
    fixed.writeUInt16BE(CLASS_IN, 4);
    fixed.writeUInt32BE(ttl, 6);
    fixed.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([fixed, rdata]);
  });
  return Buffer.concat([header, encodeQuestion(question), ...answers]);
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
    answers.push({ name: name.text, type, ttl, data: isAddress ? bytesToAddress(rdata) : rdata.toString('hex') });
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
    const bytes = Buffer.from(label, 'ascii');
    if (bytes.length < 1 || bytes.length > 63) throw new DnsFormatError(`bad label ${JSON.stringify(label)} in ${question.name}`);
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
