/**
 * Textual IPv4/IPv6 addresses to network-order bytes (4 or 16), for the digest and the
 * address classes. Strict: anything that is not a plain address gives `undefined`.
 */

export function parseIpv4(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(4);
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 46; // '.' closes the last part
    if (code >= 48 && code <= 57) {
      if (digits > 0 && value === 0) return undefined; // no leading zeros
      value = value * 10 + (code - 48);
      if (++digits > 3 || value > 255) return undefined;
    } else if (code === 46) {
      if (digits === 0 || part > 3) return undefined;
      bytes[part++] = value;
      value = 0;
      digits = 0;
    } else {
      return undefined;
    }
  }
  return part === 4 ? bytes : undefined;
}

function parseGroups(text: string, into: number[]): boolean {
  if (text === '') return true;
  for (const group of text.split(':')) {
    if (group.length === 0 || group.length > 4 || !/^[0-9a-fA-F]+$/.test(group)) return false;
    into.push(Number.parseInt(group, 16));
  }
  return true;
}

export function parseIpv6(text: string): Uint8Array | undefined {
  let body = text;
  const lastColon = body.lastIndexOf(':');
  if (lastColon >= 0 && body.indexOf('.', lastColon) > lastColon) {
    // An embedded IPv4 tail (`::ffff:1.2.3.4`) stands for the last two groups.
    const tail = parseIpv4(body.slice(lastColon + 1));
    if (!tail) return undefined;
    const high = ((tail[0] ?? 0) << 8) | (tail[1] ?? 0);
    const low = ((tail[2] ?? 0) << 8) | (tail[3] ?? 0);
    body = `${body.slice(0, lastColon + 1)}${high.toString(16)}:${low.toString(16)}`;
  }
  const gap = body.indexOf('::');
  if (gap !== body.lastIndexOf('::')) return undefined;
  const head: number[] = [];
  const rest: number[] = [];
  if (gap < 0) {
    if (!parseGroups(body, head) || head.length !== 8) return undefined;
  } else {
    if (!parseGroups(body.slice(0, gap), head) || !parseGroups(body.slice(gap + 2), rest)) return undefined;
    if (head.length + rest.length > 7) return undefined;
  }
  const bytes = new Uint8Array(16);
  head.forEach((group, i) => writeGroup(bytes, i, group));
  rest.forEach((group, i) => writeGroup(bytes, 8 - rest.length + i, group));
  return bytes;
}

function writeGroup(bytes: Uint8Array, index: number, group: number): void {
  bytes[index * 2] = group >> 8;
  bytes[index * 2 + 1] = group & 0xff;
}

/** 4 bytes for IPv4, 16 for IPv6, `undefined` if `text` is neither. */
export function parseIp(text: string): Uint8Array | undefined {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

export interface Cidr {
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

/** `ADDR` or `ADDR/LEN` (LEN 0–32 for IPv4, 0–128 for IPv6); `undefined` if malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const bytes = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!bytes) return undefined;
  const bits = bytes.length * 8;
  if (slash < 0) return { bytes, prefix: bits };
  const length = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(length) || Number(length) > bits) return undefined;
  return { bytes, prefix: Number(length) };
}

const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;

/** Six bytes of a MAC written `aa:bb:cc:dd:ee:ff` (any case); `undefined` otherwise. */
export function parseMac(text: string): Uint8Array | undefined {
  const lower = text.toLowerCase();
  if (!MAC.test(lower)) return undefined;
  const bytes = new Uint8Array(6);
  for (let i = 0; i < 6; i++) bytes[i] = Number.parseInt(lower.slice(i * 3, i * 3 + 2), 16);
  return bytes;
}
