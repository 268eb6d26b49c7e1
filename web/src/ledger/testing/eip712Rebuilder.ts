// What the Ethereum app does with full EIP-712 (E0 1A struct definitions, E0 1C values): it never receives
// JSON, only a stream of typed fields, and hashes what it rebuilt. Rebuilding the JSON here and hashing it
// with viem checks that the signer sent every definition and value the device needs.
import { bytesToHex, hexToBigInt, pad, type TypedDataDefinition } from "viem";

interface FieldDefinition {
  name: string;
  type: string;
}

type ValueEvent =
  { kind: "root"; name: string } | { kind: "array"; length: number } | { kind: "field"; bytes: Uint8Array };

const BASE_TYPES = ["", "int", "uint", "address", "bool", "string", "bytes", "bytes"];

export class Eip712Rebuilder {
  private readonly types: Record<string, FieldDefinition[]> = {};
  private currentStruct: FieldDefinition[] | undefined;
  private readonly events: ValueEvent[] = [];
  private pendingField: Uint8Array[] = [];

  /** E0 1A: P2=00 opens a struct, P2=FF adds a field to it. */
  defineStruct(p2: number, data: Uint8Array): void {
    if (p2 === 0x00) {
      this.currentStruct = [];
      this.types[new TextDecoder().decode(data)] = this.currentStruct;
      return;
    }
    if (!this.currentStruct) throw new Error("field before struct name");
    let offset = 0;
    const descriptor = data[offset++];
    const isArray = (descriptor & 0x80) !== 0;
    const hasSize = (descriptor & 0x40) !== 0;
    const kind = descriptor & 0x0f;
    let type = BASE_TYPES[kind];
    if (kind === 0) {
      const nameLength = data[offset++];
      type = new TextDecoder().decode(data.slice(offset, offset + nameLength));
      offset += nameLength;
    }
    if (hasSize) {
      const size = data[offset++];
      type += kind === 6 ? String(size) : String(size * 8);
    }
    if (isArray) {
      const levels = data[offset++];
      for (let i = 0; i < levels; i++) type += data[offset++] === 1 ? `[${data[offset++]}]` : "[]";
    }
    const nameLength = data[offset++];
    const name = new TextDecoder().decode(data.slice(offset, offset + nameLength));
    this.currentStruct.push({ name, type });
  }

  /** E0 1C: P2=00 root struct, P2=0F array length, P2=FF field value (chunked; P1=01 means more follows). */
  addValue(p1: number, p2: number, data: Uint8Array): void {
    if (p2 === 0x00) this.events.push({ kind: "root", name: new TextDecoder().decode(data) });
    else if (p2 === 0x0f) this.events.push({ kind: "array", length: data[0] });
    else {
      this.pendingField.push(data);
      if (p1 === 0x01) return;
      const joined = new Uint8Array(this.pendingField.reduce((n, chunk) => n + chunk.length, 0));
      let offset = 0;
      for (const chunk of this.pendingField) {
        joined.set(chunk, offset);
        offset += chunk.length;
      }
      this.pendingField = [];
      const length = (joined[0] << 8) | joined[1];
      this.events.push({ kind: "field", bytes: joined.slice(2, 2 + length) });
    }
  }

  /** The typed data as the device understood it. */
  rebuild(): TypedDataDefinition {
    const events = [...this.events];
    const next = (): ValueEvent => {
      const event = events.shift();
      if (!event) throw new Error("ran out of EIP-712 values");
      return event;
    };
    const readStruct = (name: string): Record<string, unknown> => {
      const fields = this.types[name];
      if (!fields) throw new Error(`no definition for ${name}`);
      return Object.fromEntries(fields.map((field) => [field.name, readValue(field.type)]));
    };
    const readValue = (type: string): unknown => {
      const array = /^(.*)\[(\d*)\]$/.exec(type);
      if (array) {
        const event = next();
        if (event.kind !== "array") throw new Error(`expected an array for ${type}`);
        return Array.from({ length: event.length }, () => readValue(array[1]));
      }
      if (this.types[type]) return readStruct(type);
      const event = next();
      if (event.kind !== "field") throw new Error(`expected a value for ${type}`);
      return decodePrimitive(type, event.bytes);
    };
    const readRoot = (): { name: string; value: Record<string, unknown> } => {
      const event = next();
      if (event.kind !== "root") throw new Error("expected a root struct");
      return { name: event.name, value: readStruct(event.name) };
    };

    const domain = readRoot();
    if (domain.name !== "EIP712Domain") throw new Error("the domain must come first");
    const message = readRoot();
    return {
      domain: domain.value,
      types: this.types,
      primaryType: message.name,
      message: message.value,
    } as unknown as TypedDataDefinition; // the struct names are only known at run time
  }
}

function decodePrimitive(type: string, bytes: Uint8Array): unknown {
  if (type === "string") return new TextDecoder().decode(bytes);
  if (type === "bool") return bytes.some((b) => b !== 0);
  if (type === "address") return pad(bytesToHex(bytes), { size: 20 });
  if (type.startsWith("bytes")) return bytesToHex(bytes);
  const unsigned = bytes.length ? hexToBigInt(bytesToHex(bytes)) : 0n;
  const int = /^int(\d+)$/.exec(type);
  if (!int) return unsigned;
  const bits = BigInt(int[1]);
  return unsigned >= 1n << (bits - 1n) ? unsigned - (1n << bits) : unsigned;
}
