// The verifier on fabricated event streams and chain states: a clean history gives no finding, and each kind of
// violation is found, alone. test/audit/verify-v2.ts has the rules of settlement v2 (check-in, staff, arbiters).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { zeroAddress } from "viem";
import { verify, BookingStatus, split } from "@earnest/sdk";
import {
  booked,
  C,
  DEPOSIT,
  ev,
  FEE,
  history,
  id,
  kinds,
  M,
  settled,
  setup,
  SLOT,
  SLOT_LENGTH,
  stateOf,
} from "../support/fabricated-events.js";

describe("audit: verify", () => {
  it("finds nothing wrong in a clean history with every outcome", () => {
    const events = history();
    const v = verify(events, stateOf(events));
    assert.deepEqual(v.findings, []);
    assert.deepEqual(v.surplus, []);
    assert.equal(v.bookings.size, 7);
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
    const events = setup({ maxFeeBps: 2_000 });
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
    for (const e of events) if (e.blockNumber === 30n) e.blockTimestamp = SLOT + SLOT_LENGTH;
    assert.deepEqual(kinds(events), ["illegal-transition", "illegal-transition"]);
  });

  it("finds a customer cancellation with the wrong refund share", () => {
    const events = history();
    const e = events.find((x) => x.eventName === "Settled" && x.args.outcome === BookingStatus.CustomerCancelled)!;
    Object.assign(e.args, { refundBps: 10_000n, ...split(DEPOSIT, 10_000, FEE) });
    assert.deepEqual(kinds(events), ["refund-share-mismatch"]);
  });

  it("finds an overbooked slot", () => {
    const events = setup({ seatsPerSlot: 4 });
    events.push(booked(1, 3, 10), booked(2, 3, 11));
    assert.deepEqual(kinds(events), ["overbooked-slot"]);
  });

  it("finds a claim that does not match its bookings", () => {
    const events = history();
    const e = events.find((x) => x.eventName === "Claimed")!;
    (e.args as { amount: bigint }).amount += 1n;
    assert.deepEqual(kinds(events), ["claim-mismatch"]);
  });

  it("finds a claim paid to another address than the merchant's payout", () => {
    const events = history();
    const e = events.find((x) => x.eventName === "Claimed")!;
    (e.args as { payout: string }).payout = C;
    assert.deepEqual(kinds(events), ["claim-mismatch"]);
  });

  it("checks a claim against the payout address named at the time, not a later one", () => {
    const events = history();
    events.push(ev("MerchantUpdated", { merchant: M, payout: C, name: "M, new payout" }, 40));
    assert.deepEqual(kinds(events), []);
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
