// Byte helpers shared by the fake device's handlers.

export interface Apdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Uint8Array;
}

export function parseApdu(raw: Uint8Array): Apdu {
  const length = raw[4] ?? 0;
  return { cla: raw[0], ins: raw[1], p1: raw[2], p2: raw[3], data: raw.slice(5, 5 + length) };
}

export const SW_OK = 0x9000;

export interface DeviceAnswer {
  statusWord: number;
  data?: Uint8Array;
}

export const ok = (data?: Uint8Array): DeviceAnswer => ({ statusWord: SW_OK, data });
export const fail = (statusWord: number): DeviceAnswer => ({ statusWord });

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Length-value: one length byte, then the bytes. */
export const lv = (bytes: Uint8Array): Uint8Array => concatBytes(Uint8Array.of(bytes.length), bytes);

export function uint32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

/** Reads "count, then count big-endian uint32" and gives back the BIP-32 path as text. */
export function readPath(data: Uint8Array, offset = 0): { path: string; next: number } {
  const count = data[offset];
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const element = view.getUint32(offset + 1 + i * 4);
    parts.push(element >= 0x80000000 ? `${element - 0x80000000}'` : String(element));
  }
  return { path: `m/${parts.join("/")}`, next: offset + 1 + count * 4 };
}
