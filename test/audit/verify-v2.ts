// The verifier on the rules of settlement v2 (SPEC §2 Check-in, Staff, the fee an offering accepts, arbiters; §3
// invariants 6 and 7), each breach made by tampering with a clean history in a way no chain could, and found alone.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keccak256, stringToBytes, zeroAddress } from "viem";
import {
  BookingStatus,
  buildReport,
  CheckInRule,
  MAX_ARBITER_TIMEOUT,
  MAX_DISPUTE_WINDOW,
  MAX_SLOT_LENGTH,
  split,
  STAFF_CANCEL,
  STAFF_CHECK_IN,
  verify,
  type EscrowEvent,
} from "@earnest/sdk";
import {
  ARB,
  booked,
  C,
  checkedIn,
  DEPOSIT,
  disputed,
  ev,
  eventOf,
  FEE,
  history,
  id,
  kinds,
  M,
  NO_SHOW,
  P,
  RULING_DEADLINE,
  S,
  settledByAnyone,
  SETTLES,
  setup,
  SLOT,
  stateOf,
  texts,
  X,
} from "../support/fabricated-events.js";

/** `events` without the settle-by-anyone transaction of booking `n` (its `Settled` and `Claimed`). */
function withoutSettleOf(events: EscrowEvent[], n: number): EscrowEvent[] {
  const tx = eventOf(events, "Settled", n).transactionHash;
  return events.filter((e) => e.transactionHash !== tx);
}

/** The verifier's findings as `kind text`, sorted. */
const found = (events: EscrowEvent[]) =>
  verify(events, stateOf(events))
    .findings.map((f) => `${f.kind} ${f.text}`)
    .sort();

describe("audit: verify, check-in", () => {
  it("finds a check-in on the merchant's word before the slot starts", () => {
    const events = history();
    eventOf(events, "CheckedIn", 6).blockTimestamp = SLOT - 60;
    assert.deepEqual(found(events), ["illegal-transition merchantWordBeforeStart"]);
  });

  it("finds a customer-signed check-in before its window opens or after the slot", () => {
    const early = history();
    eventOf(early, "CheckedIn", 3).blockTimestamp = SLOT - 3601;
    assert.deepEqual(found(early), ["illegal-transition checkInOutsideWindow"]);
    const late = history();
    eventOf(late, "CheckedIn", 3).blockTimestamp = SLOT + 7200;
    assert.deepEqual(found(late), ["illegal-transition checkInOutsideWindow"]);
  });

  it("finds a check-in on a disputed booking, and settles its timeout by the state at the dispute", () => {
    const events = history();
    // Booking 7 was disputed unchecked; a later check-in must not turn its no-show into a fulfilment.
    events.push(checkedIn(7, M, false, 27, SLOT + 600));
    assert.deepEqual(found(events), ["illegal-transition checkedInWhile"]);
    assert.deepEqual(verify(events, null).findings[0].values, { status: "Disputed" });
  });

  it("finds the merchant's word on an offering that accepts only the customer's signature", () => {
    const events = history({ checkInRule: CheckInRule.CustomerSignature });
    assert.deepEqual(found(events), ["illegal-transition merchantWordRefused"]);
    assert.equal(verify(events, null).findings[0].bookingId, id(6));
  });

  it("finds a check-in by someone who is neither the merchant nor its check-in staff", () => {
    const stranger = history();
    (eventOf(stranger, "CheckedIn", 3).args as { by: string }).by = X;
    assert.deepEqual(found(stranger), ["unauthorized-caller checkInByUnauthorized"]);
    // Staff whose check-in role was taken away a block before (only the cancel role left).
    const revoked = history();
    revoked.push(ev("StaffRolesSet", { merchant: M, staff: S, roles: STAFF_CANCEL }, 21));
    assert.deepEqual(found(revoked), ["unauthorized-caller checkInByUnauthorized"]);
  });

  it("trusts staff of a history that starts after the deployment, which may have missed their grants", () => {
    const events = history().filter((e) => e.eventName !== "StaffRolesSet");
    assert.deepEqual(found(events), [
      "unauthorized-caller cancelByUnauthorized",
      "unauthorized-caller checkInByUnauthorized",
    ]);
    assert.deepEqual(verify(events, null, { complete: false }).findings, []);
  });

  it("finds a fulfilment after an arbiter timeout of a booking not checked in when disputed", () => {
    const events = withoutSettleOf(history(), 7);
    events.push(...settledByAnyone(7, BookingStatus.Fulfilled, 0, 32, RULING_DEADLINE));
    assert.deepEqual(found(events), ["illegal-transition timedOutFulfilledWithoutCheckIn"]);
  });

  it("finds a no-show after an arbiter timeout of a booking checked in when disputed", () => {
    const events = withoutSettleOf(history(), 6);
    events.push(disputed(6, 27, SLOT + 200));
    events.push(...settledByAnyone(6, BookingStatus.NoShow, NO_SHOW, 33, RULING_DEADLINE));
    assert.deepEqual(found(events), ["illegal-transition timedOutNoShowAfterCheckIn"]);
  });
});

describe("audit: verify, staff", () => {
  it("finds a cancellation for the merchant by a caller without the cancel role", () => {
    const stranger = history();
    eventOf(stranger, "Settled", 2).caller = X;
    assert.deepEqual(found(stranger), ["unauthorized-caller cancelByUnauthorized"]);
    const checkInOnly = history();
    checkInOnly.push(ev("StaffRolesSet", { merchant: M, staff: S, roles: STAFF_CHECK_IN }, 20));
    assert.deepEqual(found(checkInOnly), ["unauthorized-caller cancelByUnauthorized"]);
  });

  it("accepts a cancellation by the merchant itself, and one whose caller is unknown", () => {
    const byMerchant = history();
    eventOf(byMerchant, "Settled", 2).caller = M;
    assert.deepEqual(found(byMerchant), []);
    const unknown = history();
    delete eventOf(unknown, "Settled", 2).caller;
    assert.deepEqual(found(unknown), []);
  });

  it("finds staff roles the contract cannot grant", () => {
    const events = setup();
    events.push(
      ev("StaffRolesSet", { merchant: M, staff: S, roles: 8 | STAFF_CHECK_IN }, 5),
      ev("StaffRolesSet", { merchant: M, staff: M, roles: STAFF_CHECK_IN }, 6),
      ev("StaffRolesSet", { merchant: M, staff: zeroAddress, roles: STAFF_CHECK_IN }, 7),
      ev("StaffRolesSet", { merchant: X, staff: S, roles: STAFF_CHECK_IN }, 8),
    );
    assert.deepEqual(texts(events), ["unknownStaffRoles", "invalidStaff", "invalidStaff", "staffByUnregistered"]);
    assert.ok(verify(events, null).findings.every((f) => f.kind === "staff-roles"));
  });

  it("finds staff roles that disagree with the contract's view", () => {
    const events = history();
    const state = stateOf(events);
    state.staffRoles.set(`${M}:${S}`.toLowerCase(), 0);
    assert.deepEqual(kinds(events, state), ["view-mismatch"]);
  });

  it("finds funds moved in a check-in (invariant 7)", () => {
    const events = history();
    const checkIn = eventOf(events, "CheckedIn", 3);
    events.push(
      ev(
        "Credited",
        { token: zeroAddress, account: S, amount: 1n },
        22,
        checkIn.blockTimestamp,
        checkIn.transactionHash,
      ),
    );
    // The credit also has no payout behind it.
    assert.deepEqual(found(events), ["credit-mismatch creditAbovePayable", "staff-funds checkInMovedFunds"]);
  });

  it("finds a cancellation for the merchant that pays someone other than the customer (invariant 7)", () => {
    const events = history();
    const cancel = eventOf(events, "Settled", 2);
    const { blockTimestamp: ts, transactionHash: tx } = cancel;
    events.push(ev("Claimed", { merchant: M, token: zeroAddress, payout: P, amount: 5n }, 21, ts, tx));
    assert.deepEqual(found(events), ["claim-mismatch claimAmountMismatch", "staff-funds cancelPaidOther"]);

    const kept = history();
    Object.assign(eventOf(kept, "Settled", 2).args, { customerShare: DEPOSIT - 5n, merchantShare: 5n });
    assert.deepEqual(found(kept), ["split-mismatch wrongSplit", "staff-funds cancelPaidOther"]);
  });

  it("accepts a cancellation for the merchant whose refund is credited to the customer", () => {
    const events = history();
    const { blockTimestamp: ts, transactionHash: tx } = eventOf(events, "Settled", 2);
    events.push(ev("Credited", { token: zeroAddress, account: C, amount: DEPOSIT }, 21, ts, tx));
    assert.deepEqual(found(events), []);
  });
});

describe("audit: verify, fees, arbiters and terms", () => {
  it("finds a booking whose fee is above what its offering accepts", () => {
    const events = setup({ maxFeeBps: FEE - 1 });
    events.push(booked(1, 1, 10));
    assert.deepEqual(found(events), ["fee-above-offering-max feeAboveOfferingMax"]);
    assert.deepEqual(verify(events, null).findings[0].values, { feeBps: String(FEE), maxFeeBps: String(FEE - 1) });
  });

  it("finds an arbiter who is the offering's merchant or its payout address", () => {
    for (const arbiter of [M, P]) {
      assert.deepEqual(found(setup({ arbiter })), ["arbiter-not-independent arbiterIsParty"], arbiter);
    }
  });

  it("finds a payout address changed to an offering's arbiter", () => {
    const events = history();
    events.push(ev("MerchantUpdated", { merchant: M, payout: ARB, name: "M" }, 40));
    assert.deepEqual(found(events), ["arbiter-not-independent payoutIsArbiter"]);
  });

  it("finds a booking by the offering's arbiter", () => {
    const events = setup();
    events.push(booked(1, 1, 10, { customer: ARB }));
    assert.deepEqual(found(events), ["arbiter-not-independent arbiterBooked"]);
  });

  it("finds terms that would let a booking wait beyond the contract's bounds (invariant 6)", () => {
    const day = 86_400;
    assert.deepEqual(found(setup({ slotLength: MAX_SLOT_LENGTH + 1, firstSlotStart: 0 })), [
      "unbounded-terms slotTooLong",
    ]);
    assert.deepEqual(found(setup({ disputeWindow: MAX_DISPUTE_WINDOW + day })), [
      "unbounded-terms disputeWindowTooLong",
    ]);
    assert.deepEqual(found(setup({ arbiterTimeout: MAX_ARBITER_TIMEOUT + 1 })), [
      "unbounded-terms arbiterTimeoutInvalid",
    ]);
    assert.deepEqual(found(setup({ arbiterTimeout: 0 })), ["unbounded-terms arbiterTimeoutInvalid"]);
    assert.deepEqual(found(setup({ arbiter: zeroAddress, arbiterTimeout: 0 })), []);
  });

  it("finds a dispute reason longer than the contract takes, counted in bytes", () => {
    const withReason = (reason: string) => {
      const events = history();
      (eventOf(events, "Disputed", 4).args as { reason: string }).reason = reason;
      return found(events);
    };
    assert.deepEqual(withReason("x".repeat(280)), []);
    assert.deepEqual(withReason("x".repeat(281)), ["illegal-transition disputeReasonTooLong"]);
    assert.deepEqual(withReason("é".repeat(140)), []); // two bytes each
    assert.deepEqual(withReason("é".repeat(141)), ["illegal-transition disputeReasonTooLong"]);
  });
});

describe("audit: verify, what it rebuilds", () => {
  it("rebuilds who checked each booking in and how, and each dispute's reason, into the CSV", () => {
    const events = history();
    (eventOf(events, "Disputed", 4).args as { reason: string }).reason = 'Cold, and "late", très';
    const v = verify(events, stateOf(events));
    const b = (n: number) => v.bookings.get(id(n))!;
    assert.deepEqual([b(3).checkedInBy, b(3).customerSigned], [S.toLowerCase(), true]);
    assert.deepEqual([b(6).checkedInBy, b(6).customerSigned], [M.toLowerCase(), false]);
    assert.deepEqual([b(5).checkedInBy, b(5).customerSigned, b(5).disputeReason], [null, null, null]);
    assert.equal(b(7).disputeReason, "Nobody answered the door");
    assert.equal(v.offerings.get(1)!.checkInRule, CheckInRule.MerchantWord);
    const report = buildReport(
      {
        chainId: 31337,
        escrow: zeroAddress,
        fromBlock: 0n,
        toBlock: 40n,
        anchor: { number: 40n, hash: `0x${"00".repeat(32)}`, timestamp: RULING_DEADLINE },
        complete: true,
      },
      v,
    );
    const row = report.csv.split("\n").find((line) => line.startsWith(`${id(4)},`))!;
    assert.ok(row.endsWith(',,,"Cold, and ""late"", très"'), row);
    // The digest, hashed piece by piece as the CSV is made, is the digest of the whole text's UTF-8 bytes.
    assert.ok(report.csv.endsWith("\n"));
    assert.equal(report.report.bookingsCsvDigest, keccak256(stringToBytes(report.csv)));
  });

  it("lists open bookings past their deadline as settleable by anyone, not as findings (invariant 6)", () => {
    const events = setup();
    events.push(booked(1, 1, 10), booked(2, 1, 11), booked(3, 1, 12), booked(4, 1, 13));
    events.push(checkedIn(2, S, true, 20, SLOT - 60), disputed(3, 21, SLOT + 60));
    // Booking 4 is settled by a stranger as soon as it can be: nothing is left open of it.
    events.push(...settledByAnyone(4, BookingStatus.NoShow, NO_SHOW, 22, SETTLES));
    const at = (now: number) =>
      verify(events, stateOf(events), { now }).settleable.map((s) => [s.bookingId, s.since, s.outcome]);
    assert.deepEqual(at(SETTLES - 1), []);
    assert.deepEqual(at(SETTLES), [
      [id(1), SETTLES, BookingStatus.NoShow],
      [id(2), SETTLES, BookingStatus.Fulfilled],
    ]);
    assert.deepEqual(at(RULING_DEADLINE), [
      [id(1), SETTLES, BookingStatus.NoShow],
      [id(2), SETTLES, BookingStatus.Fulfilled],
      [id(3), RULING_DEADLINE, BookingStatus.NoShow],
    ]);
    const v = verify(events, stateOf(events), { now: RULING_DEADLINE });
    assert.deepEqual(v.findings, []);
    const report = buildReport(
      {
        chainId: 31337,
        escrow: zeroAddress,
        fromBlock: 0n,
        toBlock: 22n,
        anchor: { number: 22n, hash: `0x${"00".repeat(32)}`, timestamp: RULING_DEADLINE },
        complete: true,
      },
      v,
    );
    assert.equal(report.ok, true);
    assert.match(report.summary, /3 open booking\(s\) past their deadline: anyone may settle them now/);
    const json = JSON.parse(report.json) as { settleable: { bookingId: string; outcome: string }[] };
    assert.deepEqual(
      json.settleable.map((s) => [s.bookingId, s.outcome]),
      [
        [String(id(1)), "NoShow"],
        [String(id(2)), "Fulfilled"],
        [String(id(3)), "NoShow"],
      ],
    );
  });

  it("keeps a settle by anyone's payout in the books: shares paid, fees owed, nothing held", () => {
    const events = history();
    const v = verify(events, stateOf(events));
    const [eth] = v.tokens;
    // Only fees remain: every booking settled, the no-show refund of the claim credited to the customer.
    const fees = [
      split(DEPOSIT, 5_000, FEE),
      split(DEPOSIT, 4_000, FEE),
      split(DEPOSIT, 0, FEE),
      split(DEPOSIT, NO_SHOW, FEE),
      split(DEPOSIT, 0, FEE),
      split(DEPOSIT, NO_SHOW, FEE),
    ].reduce((sum, s) => sum + s.fee, 0n);
    assert.deepEqual(
      { held: eth.depositsHeld, fees: eth.feesOwed, credits: eth.credits },
      { held: 0n, fees, credits: split(DEPOSIT, NO_SHOW, FEE).customerShare },
    );
  });
});
