/**
 * netifyd's JSON text (FORMATS §0): compact, object keys in byte-wise (UTF-8) order at
 * every level, ASCII only with every other character escaped as `\uXXXX`. Values are
 * written as given; `undefined`, functions and symbols are skipped as JSON.stringify does.
 */
const MAX_DEPTH = 64;
const MAX_CACHED_KEYS = 4096;
/** Characters a JSON string cannot hold as they are, or that are not ASCII. */
const NEEDS_ESCAPING = /["\\\u0000-\u001f\u0080-\uffff]/;
const NON_ASCII = /[\u0080-\uffff]/g;
const HAS_NON_ASCII = /[\u0080-\uffff]/;
/** Code units where UTF-16 order and UTF-8 byte order can disagree. */
const HIGH_UNIT = /[\ud800-\uffff]/;

interface KeyText {
  /** `"key":` */
  readonly text: string;
  readonly high: boolean;
}

/** Field names repeat in every message: quote each once. */
const keyTexts = new Map<string, KeyText>();

export function encodeJson(value: unknown): string {
  const text = stringifyIfOrdered(value);
  if (text !== undefined && !HAS_NON_ASCII.test(text)) return text;
  return serialize(value, 0) ?? 'null';
}

/**
 * JSON.stringify's text of `value` when that is encodeJson's text too, provided it is all
 * ASCII (the caller checks); undefined when only encodeJson can write it.
 */
export function stringifyIfOrdered(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return typeof value === 'bigint' ? undefined : JSON.stringify(value);
  return isStringifyReady(value, 0) ? JSON.stringify(value) : undefined;
}

/**
 * The common case, written natively: plain objects whose keys already come in order and
 * plain arrays, as the agent builds its messages. JSON.stringify then writes exactly what
 * `serialize` would, as long as the text is ASCII (non-ASCII needs escaping and may change
 * the UTF-8 order of keys: `serialize` does those). Anything unusual is left to `serialize`,
 * which also raises the errors: bigint, nesting deeper than MAX_DEPTH (cycles included).
 * Members that are not objects are checked in place, not by a call each: this walk runs
 * over every key of every message.
 */
function isStringifyReady(value: object, depth: number): boolean {
  if (depth >= MAX_DEPTH) return false;
  // JSON.stringify would call a toJSON method; serialize ignores it.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object') {
        if (item !== null && !isStringifyReady(item, depth + 1)) return false;
      } else if (typeof item === 'bigint') return false;
    }
    return true;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  // for…in yields own keys in Object.keys order (integer-like keys first, numerically):
  // they must already be in string order, as serialize would write them.
  let previous = '';
  for (const key in value) {
    if (key < previous) return false;
    previous = key;
    const member: unknown = (value as Record<string, unknown>)[key];
    if (typeof member === 'object') {
      if (member !== null && !isStringifyReady(member, depth + 1)) return false;
    } else if (typeof member === 'bigint') return false;
  }
  return true;
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
  const keys = Object.keys(object);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      keys.sort();
      break;
    }
  }
  return writeMembers(object, keys, false, depth);
}

/**
 * Writes members in the order of `keys`, which are in UTF-16 order. That is UTF-8 order
 * too unless a key holds a code unit ≥ U+D800; then the keys are re-sorted byte-wise.
 */
function writeMembers(object: Record<string, unknown>, keys: string[], byteSorted: boolean, depth: number): string {
  let text = '{';
  let first = true;
  for (const key of keys) {
    const name = keyText(key);
    if (name.high && !byteSorted) return writeMembers(object, keys.sort(compareUtf8), true, depth);
    const encoded = serialize(object[key], depth);
    if (encoded === undefined) continue;
    text += first ? name.text + encoded : ',' + name.text + encoded;
    first = false;
  }
  return text + '}';
}

function keyText(key: string): KeyText {
  let name = keyTexts.get(key);
  if (name === undefined) {
    name = { text: quote(key) + ':', high: HIGH_UNIT.test(key) };
    if (keyTexts.size < MAX_CACHED_KEYS) keyTexts.set(key, name);
  }
  return name;
}

function quote(text: string): string {
  if (!NEEDS_ESCAPING.test(text)) return '"' + text + '"';
  return JSON.stringify(text).replace(NON_ASCII, escapeUnit);
}

function escapeUnit(unit: string): string {
  return '\\u' + unit.charCodeAt(0).toString(16).padStart(4, '0');
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
