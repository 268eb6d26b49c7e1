// The verifier on fabricated event streams and chain states: a clean history gives no finding, and each kind of
// violation is found, alone.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { zeroAddress, type Address, type Hex } from "viem";
import {
  verify,
  type ChainState,
  type EscrowEvent,
  type FindingKind,
  BookingStatus,
  encodeBookingId,
  split,
} from "@earnest/sdk";

const M = "0x00000000000000000000000000000000000000aa" as Address;
const P = "0x00000000000000000000000000000000000000bb" as Address;
const C = "0x00000000000000000000000000000000000000cc" as Address;
const ARB = "0x00000000000000000000000000000000000000dd" as Address;
const T0 = 1_800_000_000;
const SLOT = T0 + 10 * 86_400;
const DEPOSIT = 1_000_003n;

let log = 0;
function ev(
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

const id = (n: number, slot = SLOT) => encodeBookingId({ offeringId: 1, slotStart: slot, n });

function setup(seatsPerSlot = 4): EscrowEvent[] {
  log = 0;
  return [
    ev("FeeSet", { feeBps: 250 }, 1),
    ev("MerchantRegistered", { merchant: M, payout: P, name: "M" }, 2),
    ev(
      "OfferingCreated",
      {
        offeringId: 1,
        merchant: M,
        terms: {
          token: zeroAddress,
          depositPerSeat: DEPOSIT,
          seatsPerSlot,
          slotLength: 7200,
          firstSlotStart: T0 - (T0 % 3600),
          minLeadTime: 3600,
          maxAdvance: 90 * 86_400,
          noShowRefundBps: 2000,
          disputeWindow: 86_400,
          arbiter: ARB,
          arbiterTimeout: 3 * 86_400,
          cancellationTiers: [
            { secondsBeforeStart: 48 * 3600, refundBps: 10_000 },
            { secondsBeforeStart: 24 * 3600, refundBps: 5_000 },
          ],
          metadata: "",
        },
      },
      3,
    ),
  ];
}

function booked(n: number, seats: number, block: number, extra: Record<string, unknown> = {}): EscrowEvent {
  return ev(
    "Booked",
    {
      bookingId: id(n),
      offeringId: 1,
      customer: C,
      slotStart: SLOT,
      seats,
      amount: DEPOSIT * BigInt(seats),
      feeBps: 250,
      detailsHash: `0x${"00".repeat(32)}`,
      ...extra,
    },
    block,
  );
}

function settled(n: number, outcome: number, bps: number, amount: bigint, block: number, ts: number, feeBps = 250) {
  const s = split(amount, bps, feeBps);
  return ev("Settled", { bookingId: id(n), outcome, refundBps: BigInt(bps), ...s }, block, ts);
}

/** A history with every outcome; the merchant claims the fulfilled and no-show bookings in one transaction. */
function history(): EscrowEvent[] {
  const events = setup(10);
  for (let n = 1; n <= 5; n++) events.push(booked(n, 1, 10 + n));
  const settleTs = SLOT + 7200 + 86_400;
  events.push(settled(1, BookingStatus.CustomerCancelled, 5_000, DEPOSIT, 20, SLOT - 30 * 3600));
  events.push(settled(2, BookingStatus.MerchantCancelled, 10_000, DEPOSIT, 21, SLOT - 3600));
  events.push(ev("CheckedIn", { bookingId: id(3) }, 22, SLOT - 600));
  events.push(ev("Disputed", { bookingId: id(4) }, 23, SLOT + 60));
  events.push(settled(4, BookingStatus.Resolved, 4_000, DEPOSIT, 24, SLOT + 120));
  const claimTx = `0x${"c1".repeat(32)}`;
  const f = settled(3, BookingStatus.Fulfilled, 0, DEPOSIT, 30, settleTs);
  const ns = settled(5, BookingStatus.NoShow, 2000, DEPOSIT, 30, settleTs);
  for (const e of [f, ns]) e.transactionHash = claimTx as Hex;
  const total = split(DEPOSIT, 0, 250).merchantShare + split(DEPOSIT, 2000, 250).merchantShare;
  events.push(
    f,
    ns,
    ev("Claimed", { merchant: M, token: zeroAddress, payout: P, amount: total }, 30, settleTs, claimTx),
  );
  const refund = split(DEPOSIT, 2000, 250).customerShare;
  events.push(ev("Credited", { token: zeroAddress, account: C, amount: refund }, 30, settleTs, claimTx));
  return events;
}

/** The chain state that agrees with `events`. */
function stateOf(events: EscrowEvent[]): ChainState {
  const v = verify(events, null);
  const state: ChainState = { bookings: new Map(), balances: new Map(), feesOwed: new Map(), credits: new Map() };
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
  }
  return state;
}

const kinds = (events: EscrowEvent[], state: ChainState | null = stateOf(events)): FindingKind[] =>
  verify(events, state).findings.map((f) => f.kind);

describe("audit: verify", () => {
  it("finds nothing wrong in a clean history with every outcome", () => {
    const events = history();
    const v = verify(events, stateOf(events));
    assert.deepEqual(v.findings, []);
    assert.deepEqual(v.surplus, []);
    assert.equal(v.bookings.size, 5);
  });

  it("reports a surplus, not a violation", () => {
    const events = history();
    const state = stateOf(events);
    state.balances.set(zeroAddress, state.balances.get(zeroAddress)! + 5n);
    const v = verify(events, state);
    assert.deepEqual(v.findings, []);
    assert.deepEqual(v.surplus, [{ token: zeroAddress, amount: 5n }]);
  });

  it("finds a split that does not sum to the amount", () => {
    const events = history();
    const e = events.find((x) => x.eventName === "Settled" && x.args.outcome === BookingStatus.Resolved)!;
    (e.args as { customerShare: bigint }).customerShare += 1n;
    assert.deepEqual(kinds(events), ["split-mismatch"]);
  });

  it("finds a fee above the booking's snapshot", () => {
    const events = history();
    const e = events.find((x) => x.eventName === "Settled" && x.args.outcome === BookingStatus.Resolved)!;
    const args = e.args as { merchantShare: bigint; fee: bigint };
    args.fee += 1n;
    args.merchantShare -= 1n;
    assert.deepEqual(kinds(events), ["fee-above-snapshot"]);
  });

  it("finds a fee snapshot above the cap", () => {
    const events = setup();
    events.push(booked(1, 1, 10, { feeBps: 1_200 }));
    assert.deepEqual(kinds(events), ["fee-above-cap"]);
  });

  it("finds a booking whose amount is not its seats' deposits", () => {
    const events = setup();
    events.push(booked(1, 2, 10, { amount: DEPOSIT }));
    assert.deepEqual(kinds(events), ["amount-mismatch"]);
  });

  it("finds a booking settled twice", () => {
    const events = history();
    events.push(settled(2, BookingStatus.MerchantCancelled, 10_000, DEPOSIT, 40, SLOT + 7 * 86_400));
    assert.deepEqual(kinds(events, null), ["illegal-transition"]);
  });

  it("finds a claim before the dispute window passed", () => {
    const events = history();
    for (const e of events) if (e.blockNumber === 30n) e.blockTimestamp = SLOT + 7200;
    assert.deepEqual(kinds(events), ["illegal-transition", "illegal-transition"]);
  });

  it("finds a customer cancellation with the wrong refund share", () => {
    const events = history();
    const e = events.find((x) => x.eventName === "Settled" && x.args.outcome === BookingStatus.CustomerCancelled)!;
    Object.assign(e.args, { refundBps: 10_000n, ...split(DEPOSIT, 10_000, 250) });
    assert.deepEqual(kinds(events), ["refund-share-mismatch"]);
  });

  it("finds an overbooked slot", () => {
    const events = setup(4);
    events.push(booked(1, 3, 10), booked(2, 3, 11));
    assert.deepEqual(kinds(events), ["overbooked-slot"]);
  });

  it("finds a claim that does not match its bookings", () => {
    const events = history();
    const e = events.find((x) => x.eventName === "Claimed")!;
    (e.args as { amount: bigint }).amount += 1n;
    assert.deepEqual(kinds(events), ["claim-mismatch"]);
  });

  it("finds credits that do not add up", () => {
    const events = history();
    const state = stateOf(events);
    const [k] = state.credits.keys();
    state.credits.set(k, state.credits.get(k)! + 1n);
    assert.deepEqual(kinds(events, state), ["credit-mismatch"]);
  });

  it("finds a credit larger than the payout it replaces", () => {
    const events = history();
    const e = events.find((x) => x.eventName === "Credited")!;
    (e.args as { amount: bigint }).amount += 1n;
    assert.deepEqual(kinds(events), ["credit-mismatch"]);
  });

  it("finds a view that disagrees with the events", () => {
    const events = history();
    const state = stateOf(events);
    const b = state.bookings.get(id(3))!;
    state.bookings.set(id(3), { ...b, status: BookingStatus.NoShow });
    assert.deepEqual(kinds(events, state), ["view-mismatch"]);
  });

  it("finds fees owed that disagree with the events", () => {
    const events = history();
    const state = stateOf(events);
    state.feesOwed.set(zeroAddress, 0n);
    assert.deepEqual(kinds(events, state), ["fees-owed-mismatch"]);
  });

  it("finds a shortfall", () => {
    const events = history();
    const state = stateOf(events);
    state.balances.set(zeroAddress, state.balances.get(zeroAddress)! - 1n);
    assert.deepEqual(kinds(events, state), ["shortfall"]);
  });
});
