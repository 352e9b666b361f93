// Ensures the lab's DNS encoder/decoder writes and reads RFC 1035 messages correctly and
// rejects malformed ones with a named reason instead of crashing or looping.
import { describe, expect, it } from 'vitest';
import {
  DNS_TYPES,
  DnsFormatError,
  RCODE_NXDOMAIN,
  decodeMessage,
  encodeAnswers,
  encodeQuery,
  encodeResponse,
} from '../src/traffic/dns-message.js';
import { addressToBytes, bytesToAddress } from '../src/traffic/ip-bytes.js';

describe('dns-message', () => {
  it('encodes a query as the wire bytes a resolver sends', () => {
    const query = encodeQuery(0x1234, 'www.example.test', DNS_TYPES.A);
    const expected = Buffer.concat([
      Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]),
      Buffer.from('\x03www\x07example\x04test\x00', 'latin1'),
      Buffer.from([0, 1, 0, 1]),
    ]);
    expect(query.equals(expected)).toBe(true);
    expect(decodeMessage(query)).toEqual({
      id: 0x1234,
      isResponse: false,
      rcode: 0,
      recursionDesired: true,
      questions: [{ name: 'www.example.test', type: 1 }],
      answers: [],
    });
  });

  it('answers with compressed names and A/AAAA data that decode back to the addresses', () => {
    const query = decodeMessage(encodeQuery(7, 'www.example.test', DNS_TYPES.AAAA));
    const response = encodeResponse(query, 0, ['fd00:6e64::2', '10.77.0.2'], 60);
    expect(response.readUInt16BE(2)).toBe(0x8500); // QR, AA, RD
    expect(response.subarray(34, 36).equals(Buffer.from([0xc0, 0x0c]))).toBe(true); // pointer to the question
    const decoded = decodeMessage(response);
    expect(decoded).toMatchObject({ id: 7, isResponse: true, rcode: 0 });
    expect(decoded.answers).toEqual([
      { name: 'www.example.test', type: 28, ttl: 60, data: 'fd00:6e64::2' },
      { name: 'www.example.test', type: 1, ttl: 60, data: '10.77.0.2' },
    ]);
  });

  it('answers through a CNAME chain, compressing owners and targets against names already written', () => {
    const query = decodeMessage(encodeQuery(8, 'WWW.Shop.Test', DNS_TYPES.A));
    const response = encodeAnswers(query, 0, [
      { name: 'www.shop.test', target: 'shop.cdn.test' },
      { name: 'shop.cdn.test', target: 'edge.cdn.test' },
      { name: 'edge.cdn.test', address: '198.51.100.10' },
      { name: 'edge.cdn.test', address: '198.51.100.11' },
    ], 30);
    const answersAt = 12 + 15 + 4; // header, question name, type and class
    expect(response.subarray(answersAt, answersAt + 2).equals(Buffer.from([0xc0, 0x0c]))).toBe(true); // owner = the question
    // first target: "shop", "cdn", then a pointer to the question's "Test" (offset 21)
    expect(response.subarray(answersAt + 12, answersAt + 23).toString('hex')).toBe('0473686f700363646ec015');
    // second owner: a pointer to that target
    expect(response.subarray(answersAt + 23, answersAt + 25).toString('hex')).toBe('c02b');
    expect(response.length).toBe(105);
    expect(decodeMessage(response).answers).toEqual([
      { name: 'WWW.Shop.Test', type: 5, ttl: 30, data: 'shop.cdn.Test' },
      { name: 'shop.cdn.Test', type: 5, ttl: 30, data: 'edge.cdn.Test' },
      { name: 'edge.cdn.Test', type: 1, ttl: 30, data: '198.51.100.10' },
      { name: 'edge.cdn.Test', type: 1, ttl: 30, data: '198.51.100.11' },
    ]);
  });

  it('carries NXDOMAIN with the question and no answers', () => {
    const query = decodeMessage(encodeQuery(9, 'nope.example.test', DNS_TYPES.A));
    expect(decodeMessage(encodeResponse(query, RCODE_NXDOMAIN, [], 60))).toMatchObject({
      rcode: 3,
      questions: [{ name: 'nope.example.test', type: 1 }],
      answers: [],
    });
  });

  it('rejects a truncated message naming what is missing', () => {
    const query = encodeQuery(1, 'www.example.test', DNS_TYPES.A);
    expect(() => decodeMessage(query.subarray(0, 8))).toThrow(DnsFormatError);
    expect(() => decodeMessage(query.subarray(0, 8))).toThrow(/truncated header/);
    expect(() => decodeMessage(query.subarray(0, query.length - 2))).toThrow(/truncated question/);
  });

  it('stops on a name pointer loop instead of spinning', () => {
    const looping = Buffer.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c, 0, 1, 0, 1]);
    expect(() => decodeMessage(looping)).toThrow(/loop/);
  });

  it('refuses labels longer than 63 bytes', () => {
    expect(() => encodeQuery(1, `${'a'.repeat(64)}.test`, DNS_TYPES.A)).toThrow(/bad label/);
  });
});

describe('ip-bytes', () => {
  it.each([
    ['10.77.0.2', '0a4d0002'],
    ['fd00:6e64::2', 'fd006e64000000000000000000000002'],
    ['::', '00000000000000000000000000000000'],
    ['::1', '00000000000000000000000000000001'],
    ['2001:db8:0:0:1:0:0:1', '20010db8000000000001000000000001'],
  ])('%s ↔ %s', (address, hex) => {
    expect(addressToBytes(address).toString('hex')).toBe(hex);
    expect(bytesToAddress(Buffer.from(hex, 'hex'))).toBe(address === '2001:db8:0:0:1:0:0:1' ? '2001:db8::1:0:0:1' : address);
  });
});
