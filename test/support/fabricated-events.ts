// Escrow event streams made by hand for the verifier's tests (test/audit/verify*.ts): a clean history with every
// outcome, and the pieces to tamper with it the way no chain could. No Hardhat here: the verifier is pure.
import { zeroAddress, type Address, type Hex } from "viem";
import {
  BookingStatus,
  CheckInRule,
  encodeBookingId,
  MAX_FEE_BPS,
  split,
  STAFF_CANCEL,
  STAFF_CHECK_IN,
  verify,
  type ChainState,
  type EscrowEvent,
  type FindingKind,
  type OfferingTerms,
} from "@earnest/sdk";

export const M = "0x00000000000000000000000000000000000000aa" as Address;
export const P = "0x00000000000000000000000000000000000000bb" as Address;
export const C = "0x00000000000000000000000000000000000000cc" as Address;
export const ARB = "0x00000000000000000000000000000000000000dd" as Address;
/** The merchant's staff: check-in and cancel roles from block 4 of `setup`. */
export const S = "0x00000000000000000000000000000000000000ee" as Address;
/** Someone with no role at all. */
export const X = "0x00000000000000000000000000000000000000ff" as Address;
export const T0 = 1_800_000_000;
export const SLOT = T0 + 10 * 86_400;
export const SLOT_LENGTH = 7200;
export const DISPUTE_WINDOW = 86_400;
export const ARBITER_TIMEOUT = 3 * 86_400;
export const DEPOSIT = 1_000_003n;
export const FEE = 250;
export const NO_SHOW = 2000;
/** When the slot's bookings can settle: the slot's end plus the dispute window. */
export const SETTLES = SLOT + SLOT_LENGTH + DISPUTE_WINDOW;
/** When a disputed booking of the slot can settle: the arbiter's time ran out too. */
export const RULING_DEADLINE = SETTLES + ARBITER_TIMEOUT;

let log = 0;
export function ev(
  eventName: string,
  args: Record<string, unknown>,
  block: number,
  ts = T0 + block,
  tx?: string,
): EscrowEvent {
  return {
    eventName,
    args,
    blockNumber: BigInt(block),
    logIndex: log++,
    transactionHash: (tx ?? `0x${block.toString(16).padStart(64, "0")}`) as Hex,
    blockTimestamp: ts,
  } as unknown as EscrowEvent;
}

export const id = (n: number, slot = SLOT) => encodeBookingId({ offeringId: 1, slotStart: slot, n });

/** Offering 1's terms: ETH, an arbiter, the merchant's word accepted, 48 h → 100 %, 24 h → 50 %. */
export function offeringTerms(overrides: Partial<OfferingTerms> = {}): OfferingTerms {
  return {
    token: zeroAddress,
    depositPerSeat: DEPOSIT,
    seatsPerSlot: 4,
    slotLength: SLOT_LENGTH,
    firstSlotStart: T0 - (T0 % 3600),
    minLeadTime: 3600,
    maxAdvance: 90 * 86_400,
    noShowRefundBps: NO_SHOW,
    disputeWindow: DISPUTE_WINDOW,
    arbiter: ARB,
    arbiterTimeout: ARBITER_TIMEOUT,
    checkInRule: CheckInRule.MerchantWord,
    maxFeeBps: MAX_FEE_BPS,
    cancellationTiers: [
      { secondsBeforeStart: 48 * 3600, refundBps: 10_000 },
      { secondsBeforeStart: 24 * 3600, refundBps: 5_000 },
    ],
    metadata: "",
    ...overrides,
  };
}

/** The fee, merchant M (payout P) with offering 1, and staff S holding the check-in and cancel roles. */
export function setup(terms: Partial<OfferingTerms> = {}): EscrowEvent[] {
  log = 0;
  return [
    ev("FeeSet", { feeBps: FEE }, 1),
    ev("MerchantRegistered", { merchant: M, payout: P, name: "M" }, 2),
    ev("OfferingCreated", { offeringId: 1, merchant: M, terms: offeringTerms(terms) }, 3),
    ev("StaffRolesSet", { merchant: M, staff: S, roles: STAFF_CHECK_IN | STAFF_CANCEL }, 4),
  ];
}

export function booked(n: number, seats: number, block: number, extra: Record<string, unknown> = {}): EscrowEvent {
  return ev(
    "Booked",
    {
      bookingId: id(n),
      offeringId: 1,
      customer: C,
      slotStart: SLOT,
      seats,
      amount: DEPOSIT * BigInt(seats),
      feeBps: FEE,
      detailsHash: `0x${"00".repeat(32)}`,
      ...extra,
    },
    block,
  );
}

export function settled(
  n: number,
  outcome: number,
  bps: number,
  amount: bigint,
  block: number,
  ts: number,
  tx?: string,
): EscrowEvent {
  const s = split(amount, bps, FEE);
  return ev("Settled", { bookingId: id(n), outcome, refundBps: BigInt(bps), ...s }, block, ts, tx);
}

export function checkedIn(n: number, by: Address, customerSigned: boolean, block: number, ts: number): EscrowEvent {
  return ev("CheckedIn", { bookingId: id(n), by, customerSigned }, block, ts);
}

export function disputed(n: number, block: number, ts: number, reason = "The table was not there"): EscrowEvent {
  return ev("Disputed", { bookingId: id(n), reason }, block, ts);
}

/** What anyone's `settle` emits: the outcome, then the merchant's share paid to its payout address. */
export function settledByAnyone(n: number, outcome: number, bps: number, block: number, ts: number): EscrowEvent[] {
  const tx = `0x${"5e".repeat(31)}${block.toString(16).padStart(2, "0")}`;
  const shares = split(DEPOSIT, bps, FEE);
  return [
    settled(n, outcome, bps, DEPOSIT, block, ts, tx),
    ev("Claimed", { merchant: M, token: zeroAddress, payout: P, amount: shares.merchantShare }, block, ts, tx),
  ];
}

export const CLAIM_TX = `0x${"c1".repeat(32)}`;

/**
 * A history with every outcome, one seat each: 1 cancelled by the customer; 2 cancelled by staff S; 3 checked in
 * by S with the customer's signature and 5 a no-show, both in the merchant's claim; 4 disputed and resolved; 6
 * checked in on the merchant's word after the start and settled by a stranger; 7 disputed, the arbiter timed out,
 * settled by a stranger as a no-show.
 */
export function history(terms: Partial<OfferingTerms> = {}): EscrowEvent[] {
  const events = setup({ seatsPerSlot: 10, ...terms });
  for (let n = 1; n <= 7; n++) events.push(booked(n, 1, 10 + n));
  events.push(settled(1, BookingStatus.CustomerCancelled, 5_000, DEPOSIT, 20, SLOT - 30 * 3600));
  const staffCancel = settled(2, BookingStatus.MerchantCancelled, 10_000, DEPOSIT, 21, SLOT - 3600);
  events.push({ ...staffCancel, caller: S });
  events.push(checkedIn(3, S, true, 22, SLOT - 600));
  events.push(disputed(4, 23, SLOT + 60));
  events.push(settled(4, BookingStatus.Resolved, 4_000, DEPOSIT, 24, SLOT + 120));
  events.push(checkedIn(6, M, false, 25, SLOT + 60));
  events.push(disputed(7, 26, SLOT + 120, "Nobody answered the door"));
  const total = split(DEPOSIT, 0, FEE).merchantShare + split(DEPOSIT, NO_SHOW, FEE).merchantShare;
  events.push(
    settled(3, BookingStatus.Fulfilled, 0, DEPOSIT, 30, SETTLES, CLAIM_TX),
    settled(5, BookingStatus.NoShow, NO_SHOW, DEPOSIT, 30, SETTLES, CLAIM_TX),
    ev("Claimed", { merchant: M, token: zeroAddress, payout: P, amount: total }, 30, SETTLES, CLAIM_TX),
  );
  const refund = split(DEPOSIT, NO_SHOW, FEE).customerShare;
  events.push(ev("Credited", { token: zeroAddress, account: C, amount: refund }, 30, SETTLES, CLAIM_TX));
  events.push(...settledByAnyone(6, BookingStatus.Fulfilled, 0, 31, SETTLES + 10));
  events.push(...settledByAnyone(7, BookingStatus.NoShow, NO_SHOW, 32, RULING_DEADLINE));
  return events;
}

/** The chain state that agrees with `events`. */
export function stateOf(events: EscrowEvent[]): ChainState {
  const v = verify(events, null);
  const state: ChainState = {
    bookings: new Map(),
    balances: new Map(),
    feesOwed: new Map(),
    credits: new Map(),
    staffRoles: new Map(),
  };
  for (const b of v.bookings.values()) {
    state.bookings.set(b.bookingId, { ...b, amount: b.amount });
  }
  for (const t of v.tokens) {
    state.balances.set(t.token, t.owed);
    state.feesOwed.set(t.token, t.feesOwed);
  }
  for (const e of events) {
    if (e.eventName === "Credited") {
      const k = `${e.args.token}:${e.args.account}`.toLowerCase();
      state.credits.set(k, (state.credits.get(k) ?? 0n) + e.args.amount);
    }
    if (e.eventName === "StaffRolesSet") {
      state.staffRoles.set(`${e.args.merchant}:${e.args.staff}`.toLowerCase(), e.args.roles);
    }
  }
  return state;
}

/** The kinds of what the verifier finds in `events`, against the chain state that agrees with them unless given. */
export const kinds = (events: EscrowEvent[], state: ChainState | null = stateOf(events)): FindingKind[] =>
  verify(events, state).findings.map((f) => f.kind);

/** The sentences of what the verifier finds in `events`, with no chain state. */
export const texts = (events: EscrowEvent[]): string[] => verify(events, null).findings.map((f) => f.text);

/** The first event named `eventName` about booking `n`. */
export function eventOf(events: EscrowEvent[], eventName: string, n: number): EscrowEvent {
  const found = events.find((e) => e.eventName === eventName && (e.args as { bookingId?: bigint }).bookingId === id(n));
  if (!found) throw new Error(`no ${eventName} for booking ${n}`);
  return found;
}
