// The bookings of a long history, each kept as one packed string rather than as the fold's object (about a fifth of
// the memory: no object, no bigint, no address string per booking). The replay unpacks the few bookings a page of
// events is about, lets the fold change them and packs them again; the verification reads them through a map that
// unpacks one booking at a time. No Node APIs.
import type { Address, Hex } from "viem";
import { lowerCase as lc, type Booking, type EscrowState } from "../fold/state.js";
import type { BookingStatus } from "../generated/enums.js";
import type { RebuiltBooking } from "./types.js";

/** A packed booking: its details hash as 32 characters (one per byte, so it may hold SEP: its place is fixed), then
 *  its other fields, all joined by SEP, the dispute reason (which may hold SEP too) last. */
const HASH_CHARS = 32;
const FIELDS = 23;
const SEP = ",";

/** 32 bytes of hex as 32 one-byte characters, and back: half the memory of the hex. */
function hashChars(hash: Hex): string {
  let s = "";
  for (let i = 2; i < 66; i += 2) s += String.fromCharCode(parseInt(hash.slice(i, i + 2), 16));
  return s;
}
function hashHex(chars: string): Hex {
  let hex = "0x";
  for (let i = 0; i < HASH_CHARS; i++) hex += chars.charCodeAt(i).toString(16).padStart(2, "0");
  return hex as Hex;
}

const num = (s: string): number | undefined => (s === "" ? undefined : Number(s));
const big = (s: string): bigint | undefined => (s === "" ? undefined : BigInt(s));
const str = (x: number | bigint | undefined): string => (x === undefined ? "" : String(x));

/** Addresses by number, each string held once however many bookings name it. */
class AddressTable {
  private readonly list: Address[] = [];
  private readonly index = new Map<string, number>();

  number(a: Address): number {
    let i = this.index.get(a);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(a);
      this.index.set(a, i);
    }
    return i;
  }

  address(i: number): Address {
    return this.list[i];
  }
}

/** The fold's bookings, packed between pages: `unpack` before an event about a booking is checked and folded,
 *  `packAll` after each page. Their order is the order they were booked in. */
export class PackedBookings {
  private readonly packed = new Map<bigint, string>();
  private readonly addresses = new AddressTable();

  constructor(private readonly state: EscrowState) {}

  get size(): number {
    return this.packed.size;
  }

  /** Puts the booking back into the fold's state, if it is packed. */
  unpack(id: bigint): void {
    if (this.state.bookings.has(id)) return;
    const s = this.packed.get(id);
    if (s !== undefined) this.state.bookings.set(id, this.decode(id, s));
  }

  /** Packs every booking in the fold's state and takes it out of there. */
  packAll(): void {
    for (const [id, b] of this.state.bookings) this.packed.set(id, this.encode(b));
    this.state.bookings.clear();
  }

  /** The bookings as the verifier reports them, unpacked one at a time as they are read. */
  table(): ReadonlyMap<bigint, RebuiltBooking> {
    this.packAll();
    return new BookingTable(this.packed, (id, s) => rebuiltBooking(this.decode(id, s)));
  }

  private encode(b: Booking): string {
    const a = this.addresses;
    // One join, so that the string is one flat piece of memory.
    return [
      hashChars(b.detailsHash),
      b.offeringId,
      b.slotStart,
      b.n,
      a.number(b.customer),
      b.seats,
      b.amount,
      b.discount,
      b.feeBps,
      b.status,
      b.checkedIn ? 1 : 0,
      b.disputed ? 1 : 0,
      b.bookedBlock,
      str(b.bookedAt),
      str(b.settledBlock),
      str(b.settledAt),
      str(b.refundBps),
      str(b.customerShare),
      str(b.merchantShare),
      str(b.fee),
      b.checkIn
        ? `${a.number(b.checkIn.by)}:${b.checkIn.customerSigned ? 1 : 0}:${b.checkIn.block}:${str(b.checkIn.at)}`
        : "",
      b.dispute ? `${b.dispute.checkedIn ? 1 : 0}:${b.dispute.block}:${str(b.dispute.at)}` : "",
      b.dispute ? 1 : 0,
      // Last: it may hold the separator.
      b.dispute?.reason ?? "",
    ].join(SEP);
  }

  private decode(bookingId: bigint, s: string): Booking {
    const f = s.slice(HASH_CHARS + 1).split(SEP);
    const reason = f.slice(FIELDS - 1).join(SEP);
    const a = this.addresses;
    const b: Booking = {
      bookingId,
      offeringId: Number(f[0]),
      slotStart: Number(f[1]),
      n: Number(f[2]),
      customer: a.address(Number(f[3])),
      seats: Number(f[4]),
      amount: BigInt(f[5]),
      discount: BigInt(f[6]),
      feeBps: Number(f[7]),
      detailsHash: hashHex(s),
      status: Number(f[8]) as BookingStatus,
      checkedIn: f[9] === "1",
      disputed: f[10] === "1",
      bookedBlock: BigInt(f[11]),
      bookedAt: num(f[12]),
      settledBlock: big(f[13]),
      settledAt: num(f[14]),
      refundBps: num(f[15]),
      customerShare: big(f[16]),
      merchantShare: big(f[17]),
      fee: big(f[18]),
    };
    if (f[19] !== "") {
      const [by, signed, block, at] = f[19].split(":");
      b.checkIn = { by: a.address(Number(by)), customerSigned: signed === "1", block: BigInt(block), at: num(at) };
    }
    if (f[21] === "1") {
      const [checkedIn, block, at] = f[20].split(":");
      b.dispute = { reason, checkedIn: checkedIn === "1", block: BigInt(block), at: num(at) };
    }
    return b;
  }
}

/** A booking as the verifier reports it: addresses in lower case, null for what has not happened. */
export function rebuiltBooking(b: Booking): RebuiltBooking {
  return {
    bookingId: b.bookingId,
    offeringId: b.offeringId,
    slotStart: b.slotStart,
    n: b.n,
    customer: lc(b.customer),
    seats: b.seats,
    amount: b.amount,
    discount: b.discount,
    feeBps: b.feeBps,
    status: b.status,
    checkedIn: b.checkedIn,
    checkedInBy: b.checkIn ? lc(b.checkIn.by) : null,
    customerSigned: b.checkIn ? b.checkIn.customerSigned : null,
    disputed: b.disputed,
    disputeReason: b.dispute ? b.dispute.reason : null,
    bookedBlock: b.bookedBlock,
    settledBlock: b.settledBlock ?? null,
    refundBps: b.refundBps ?? null,
    customerShare: b.customerShare ?? null,
    merchantShare: b.merchantShare ?? null,
    fee: b.fee ?? null,
  };
}

/** A read-only map over packed bookings: each read unpacks a fresh object, which the reader may keep or drop. */
class BookingTable implements ReadonlyMap<bigint, RebuiltBooking> {
  constructor(
    private readonly packed: ReadonlyMap<bigint, string>,
    private readonly unpack: (id: bigint, s: string) => RebuiltBooking,
  ) {}

  get size(): number {
    return this.packed.size;
  }

  get(id: bigint): RebuiltBooking | undefined {
    const s = this.packed.get(id);
    return s === undefined ? undefined : this.unpack(id, s);
  }

  has(id: bigint): boolean {
    return this.packed.has(id);
  }

  forEach(fn: (b: RebuiltBooking, id: bigint, map: ReadonlyMap<bigint, RebuiltBooking>) => void): void {
    for (const [id, b] of this.entries()) fn(b, id, this);
  }

  *entries(): MapIterator<[bigint, RebuiltBooking]> {
    for (const [id, s] of this.packed) yield [id, this.unpack(id, s)];
  }

  keys(): MapIterator<bigint> {
    return this.packed.keys();
  }

  *values(): MapIterator<RebuiltBooking> {
    for (const [id, s] of this.packed) yield this.unpack(id, s);
  }

  [Symbol.iterator](): MapIterator<[bigint, RebuiltBooking]> {
    return this.entries();
  }
}
