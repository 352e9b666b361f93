// Ensures proc-core's JSON text follows netifyd's rules (FORMATS §0): keys sorted
// byte-wise at every level, compact, ASCII only, and parses back to the same value.
import { describe, expect, it } from 'vitest';
import { encodeJson } from '../src/index.js';
import { githubTlsFlow } from './sample-events.js';

/** Every object's keys, in the order they appear in the text, checked level by level. */
function expectSortedEverywhere(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(expectSortedEverywhere);
  if (value === null || typeof value !== 'object') return;
  const keys = Object.keys(value);
  const utf8 = keys.map((key) => Buffer.from(key, 'utf8'));
  for (let i = 1; i < utf8.length; i++) expect(Buffer.compare(utf8[i - 1]!, utf8[i]!)).toBeLessThan(0);
  Object.values(value).forEach(expectSortedEverywhere);
}

/** Keys in text order, from a reviver-free scan: JSON.parse keeps insertion order except integer-like keys. */
function keysInTextOrder(text: string): string[] {
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((match) => JSON.parse(`"${match[1]}"`) as string);
}

describe('encodeJson', () => {
  it('writes a flow message compactly with keys in byte order at every level', () => {
    const message = { type: 'flow', interface: 'offline0', internal: true, established: false, flow: githubTlsFlow() };
    const text = encodeJson(message);
    expect(text).not.toMatch(/\s(?=(?:[^"]*"[^"]*")*[^"]*$)/); // no whitespace outside strings
    expect(text.startsWith('{"established":false,"flow":{"app_ip_override":false,"app_proto_twins":false,"category":{"application":27,"domain":0,"overlay":0,"protocol":22},')).toBe(true);
    expect(text.endsWith('"vlan_id":0},"interface":"offline0","internal":true,"type":"flow"}')).toBe(true);
    expect(JSON.parse(text)).toEqual(message);
    expectSortedEverywhere(JSON.parse(text));
  });

  it('sorts integer-like keys as bytes, not numerically as JavaScript enumerates them', () => {
    const text = encodeJson({ b: 1, '10': 2, '9': 3, a: { z: 1, '2': 2, '11': 3 } });
    expect(text).toBe('{"10":2,"9":3,"a":{"11":3,"2":2,"z":1},"b":1}');
  });

  it('orders keys beyond U+FFFF after U+E000–U+FFFF, as UTF-8 bytes do', () => {
    const keys = ['\u{1F512}', '\uFF21', 'a', '\u00e9'];
    const text = encodeJson(Object.fromEntries(keys.map((key, i) => [key, i])));
    const expected = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(keysInTextOrder(text)).toEqual(expected);
    expect(expected).toEqual(['a', '\u00e9', '\uFF21', '\u{1F512}']);
  });

  it('escapes every non-ASCII character as \\uXXXX (surrogate pairs as two escapes)', () => {
    const flow = githubTlsFlow();
    flow.ssl = { ...flow.ssl, issuer_dn: 'C=FR, O=Société Générale, CN=Autorité 🔒' };
    const text = encodeJson({ flow });
    expect(text).toContain('"issuer_dn":"C=FR, O=Soci\\u00e9t\\u00e9 G\\u00e9n\\u00e9rale, CN=Autorit\\u00e9 \\ud83d\\udd12"');
    expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
    expect(JSON.parse(text)).toEqual({ flow });
  });

  it('escapes quotes, backslashes and control characters as JSON requires', () => {
    const text = encodeJson({ url: 'a"b\\c\nd\u0001' });
    expect(text).toBe('{"url":"a\\"b\\\\c\\nd\\u0001"}');
  });

  it('skips undefined properties and writes non-finite numbers as null, like JSON.stringify', () => {
    expect(encodeJson({ a: undefined, b: [undefined, 1], c: Number.NaN, d: 3167.5, e: -0 })).toBe(
      '{"b":[null,1],"c":null,"d":3167.5,"e":0}',
    );
  });

  it('refuses values JSON cannot hold instead of writing something wrong', () => {
    expect(() => encodeJson({ total_bytes: 10n })).toThrow(/bigint/);
    expect(() => encodeJson({ risks: [1, 2n] })).toThrow(/bigint/);
    expect(() => encodeJson({ a: { b: [{ c: 3n }] } })).toThrow(/bigint/);
    expect(() => encodeJson(4n)).toThrow(/bigint/);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => encodeJson(loop)).toThrow(/deeper than 64/);
  });

  it('stays sorted and exact for objects with more distinct keys than it caches (large endpoints lists)', () => {
    const macs = Array.from({ length: 5000 }, (_, i) => `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`);
    const message: Record<string, unknown> = { type: 'endpoints' };
    for (const mac of [...macs].reverse()) message[mac] = ['192.168.1.1'];
    const text = encodeJson(message);
    expect(keysInTextOrder(text)).toEqual([...macs, 'type']);
    expect(JSON.parse(text)).toEqual(message);
  });

  it('writes plain ordered objects as JSON.stringify does, and everything else as before (toJSON ignored, own keys only)', () => {
    const ordered = { a: [1, 'x', null, true], b: { c: 1.5, d: '' }, e: false };
    expect(encodeJson(ordered)).toBe(JSON.stringify(ordered));
    const noPrototype = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1, b: 2 });
    expect(encodeJson(noPrototype)).toBe('{"a":1,"b":2}');
    class Point {
      y = 2;
      x = 1;
    }
    const withArrayToJson = Object.assign([1, 2], { toJSON: () => 'array' });
    expect(encodeJson({ a: 1, toJSON: () => 'replaced' })).toBe('{"a":1}');
    expect(encodeJson({ list: withArrayToJson })).toBe('{"list":[1,2]}');
    expect(encodeJson({ when: new Date(0), n: new Number(5), s: new String('ab') })).toBe('{"n":{},"s":{"0":"a","1":"b"},"when":{}}');
    expect(encodeJson(new Point())).toBe('{"x":1,"y":2}');
    expect(encodeJson({ bytes: Buffer.from('ab'), map: new Map([[1, 2]]) })).toBe('{"bytes":{"0":97,"1":98},"map":{}}');
    expect(encodeJson({ '1': 1, '2': 2, a: 3 })).toBe('{"1":1,"2":2,"a":3}');
    expect([encodeJson(undefined), encodeJson(() => 1), encodeJson('s'), encodeJson([undefined, () => 1, Symbol('x')])]).toEqual(['null', 'null', '"s"', '[null,null,null]']);
  });

  it('escapes non-ASCII in objects that are already in order, as in any other', () => {
    expect(encodeJson({ a: '\u00e9', b: { c: '\u{1F512}' } })).toBe('{"a":"\\u00e9","b":{"c":"\\ud83d\\udd12"}}');
    expect(encodeJson({ k: { '\uE000': 1, '\u{10000}': 2 } })).toBe('{"k":{"\\ue000":1,"\\ud800\\udc00":2}}');
  });
});
