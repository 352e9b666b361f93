// Ensures extracted strings are cut and cased as netifyd stores them (FORMATS §2.2–2.3).
import { describe, expect, it } from 'vitest';
import { commonName, hex4, plainHex, printablePrefix, sanitizeHostName, truncate } from '../../src/flow/flow-text.js';

describe('flow text rules', () => {
  it('sanitizes host names: lowercase, cut at the first bad char, ≤ 80, no trailing dots', () => {
    expect(sanitizeHostName('GitHub.COM')).toBe('github.com');
    expect(sanitizeHostName('www.example.com:8080')).toBe('www.example.com');
    expect(sanitizeHostName('host_name-1.local.')).toBe('host_name-1.local');
    expect(sanitizeHostName('bad host')).toBe('bad');
    expect(sanitizeHostName('*.example.net')).toBe('');
    expect(sanitizeHostName('192.168.115.75')).toBe('192.168.115.75');
    expect(sanitizeHostName(`${'a'.repeat(79)}.b`)).toBe('a'.repeat(79));
    expect(sanitizeHostName(`${'a'.repeat(90)}`)).toHaveLength(80);
    expect(sanitizeHostName('...')).toBe('');
  });

  it('cuts user agents at the first non-printable character and at the limit', () => {
    expect(printablePrefix('Mozilla/5.0\r\nX', 511)).toBe('Mozilla/5.0');
    expect(printablePrefix('abcdef', 3)).toBe('abc');
    expect(printablePrefix('café', 511)).toBe('caf');
    expect(truncate('abcdef', 4)).toBe('abcd');
    expect(truncate('abc', 4)).toBe('abc');
  });

  it('formats versions and ciphers as 0x%04x', () => {
    expect(hex4(0x303)).toBe('0x0303');
    expect(hex4(0xc02f)).toBe('0xc02f');
    expect(hex4(0)).toBe('0x0000');
  });

  it('takes the CN from a subject DN as nDPI prints it, keeping wildcards', () => {
    expect(commonName('C=US, ST=California, L=San Francisco, O=GitHub, Inc., CN=github.com')).toBe('github.com');
    expect(commonName('OU=Domain Control Validated, OU=PositiveSSL, CN=shop.ntop.org')).toBe('shop.ntop.org');
    expect(commonName('CN=*.WhatsApp.net, O=WhatsApp')).toBe('*.whatsapp.net');
    expect(commonName('O=No Common Name, OU=Unit')).toBe('');
    expect(commonName('O=XCN=bad, CN=good.example')).toBe('good.example');
  });

  it('writes hex digests plain and lowercase', () => {
    expect(plainHex('CA:06:F5:6B')).toBe('ca06f56b');
    expect(plainHex('ca06f56b')).toBe('ca06f56b');
  });
});
