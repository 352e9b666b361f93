/**
 * netifyd's JSON text (FORMATS §0): compact, object keys in byte-wise (UTF-8) order at
 * every level, ASCII only with every other character escaped as `\uXXXX`. Values are
 * written as given; `undefined`, functions and symbols are skipped as JSON.stringify does.
 */
const MAX_DEPTH = 64;
const NON_ASCII_TEST = /[\u0080-\uffff]/;
const NON_ASCII = /[\u0080-\uffff]/g;

export function encodeJson(value: unknown): string {
  return serialize(value, 0) ?? 'null';
}

function serialize(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('a bigint value cannot be written as JSON');
    case 'object':
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH) throw new RangeError(`message nests deeper than ${MAX_DEPTH} levels`);
      return Array.isArray(value)
        ? serializeArray(value, depth + 1)
        : serializeObject(value as Record<string, unknown>, depth + 1);
    default:
      return undefined;
  }
}

function serializeArray(items: readonly unknown[], depth: number): string {
  let text = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) text += ',';
    text += serialize(items[i], depth) ?? 'null';
  }
  return text + ']';
}

function serializeObject(object: Record<string, unknown>, depth: number): string {
  let text = '{';
  let first = true;
  for (const key of sortedKeys(object)) {
    const encoded = serialize(object[key], depth);
    if (encoded === undefined) continue;
    text += (first ? '' : ',') + quote(key) + ':' + encoded;
    first = false;
  }
  return text + '}';
}

function quote(text: string): string {
  const json = JSON.stringify(text);
  return NON_ASCII_TEST.test(json) ? json.replace(NON_ASCII, escapeUnit) : json;
}

function escapeUnit(unit: string): string {
  return '\\u' + unit.charCodeAt(0).toString(16).padStart(4, '0');
}

function sortedKeys(object: Record<string, unknown>): string[] {
  const keys = Object.keys(object);
  for (let i = 1; i < keys.length; i++) {
    if (compareUtf8(keys[i - 1]!, keys[i]!) > 0) return keys.sort(compareUtf8);
  }
  return keys;
}

/**
 * Orders strings as their UTF-8 bytes would sort. UTF-16 order agrees except that
 * surrogates (U+D800–DFFF, i.e. code points above U+FFFF) must come after U+E000–FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return utf8Rank(x) - utf8Rank(y);
  }
  return a.length - b.length;
}

function utf8Rank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
