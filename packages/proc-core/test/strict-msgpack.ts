/**
 * A minimal msgpack reader written from the msgpack specification, independent of
 * msgpackr, that accepts only the standard types (no extension types). If it reads a
 * payload, any conforming msgpack decoder can.
 */
export function readStrictMsgpack(bytes: Uint8Array): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const text = new TextDecoder('utf-8', { fatal: true });

  const take = (length: number): Uint8Array => {
    if (at + length > bytes.length) throw new Error(`truncated at byte ${at}`);
    const slice = bytes.subarray(at, at + length);
    at += length;
    return slice;
  };
  const u8 = () => view.getUint8((at += 1) - 1);
  const u16 = () => view.getUint16((at += 2) - 2);
  const u32 = () => view.getUint32((at += 4) - 4);
  const str = (length: number) => text.decode(take(length));
  const array = (length: number) => Array.from({ length }, () => value());
  const map = (length: number) => {
    const object: Record<string, unknown> = {};
    for (let i = 0; i < length; i++) {
      const key = value();
      if (typeof key !== 'string') throw new Error(`map key at byte ${at} is not a string`);
      object[key] = value();
    }
    return object;
  };

  function value(): unknown {
    const code = u8();
    if (code <= 0x7f) return code;
    if (code >= 0xe0) return code - 0x100;
    if (code >= 0x80 && code <= 0x8f) return map(code & 0x0f);
    if (code >= 0x90 && code <= 0x9f) return array(code & 0x0f);
    if (code >= 0xa0 && code <= 0xbf) return str(code & 0x1f);
    switch (code) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: return take(u8());
      case 0xc5: return take(u16());
      case 0xc6: return take(u32());
      case 0xca: return view.getFloat32((at += 4) - 4);
      case 0xcb: return view.getFloat64((at += 8) - 8);
      case 0xcc: return u8();
      case 0xcd: return u16();
      case 0xce: return u32();
      case 0xcf: return Number(view.getBigUint64((at += 8) - 8));
      case 0xd0: return view.getInt8((at += 1) - 1);
      case 0xd1: return view.getInt16((at += 2) - 2);
      case 0xd2: return view.getInt32((at += 4) - 4);
      case 0xd3: return Number(view.getBigInt64((at += 8) - 8));
      case 0xd9: return str(u8());
      case 0xda: return str(u16());
      case 0xdb: return str(u32());
      case 0xdc: return array(u16());
      case 0xdd: return array(u32());
      case 0xde: return map(u16());
      case 0xdf: return map(u32());
      default:
        throw new Error(`type 0x${code.toString(16)} at byte ${at - 1} is not a standard msgpack type`);
    }
  }

  const result = value();
  if (at !== bytes.length) throw new Error(`${bytes.length - at} bytes left after the value`);
  return result;
}
