// Ensures payload bytes carved from shared chunks are exact and never overwrite each other.
import { describe, expect, it } from 'vitest';
import { ByteChunks } from '../src/byte-chunks.js';
import { encodeJson, encodeMessage } from '../src/index.js';

describe('ByteChunks', () => {
  it('gives ASCII text back as its bytes and refuses text with any non-ASCII character', () => {
    const chunks = new ByteChunks();
    expect(Buffer.from(chunks.ascii('{"a":1}')!).toString('latin1')).toBe('{"a":1}');
    for (const text of ['caf\u00e9', '\u{1F512}', 'x\ud800']) expect(chunks.ascii(text)).toBeUndefined();
    expect(Buffer.from(chunks.latin1('\\u00e9')).toString('latin1')).toBe('\\u00e9');
  });

  it('keeps every payload intact while many (and some larger than a chunk) share the chunks', () => {
    const chunks = new ByteChunks();
    const texts = Array.from({ length: 3000 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(i % 700)}"}`);
    texts.push('y'.repeat(600_000));
    const views = texts.map((text, i) => (i % 2 === 0 ? chunks.ascii(text)! : chunks.latin1(text)));
    views.forEach((view, i) => expect(Buffer.from(view).toString('latin1')).toBe(texts[i]));
  });
});

describe('encodeMessage json', () => {
  it('writes the encoder text as bytes, with or without non-ASCII in the message', () => {
    for (const message of [{ b: 1, a: 'x' }, { a: 'caf\u00e9 \u{1F512}' }, { z: { y: 1 }, a: [1, 2] }]) {
      expect(Buffer.from(encodeMessage(message, 'json', 'none')).toString('latin1')).toBe(encodeJson(message));
    }
  });
});
