// The verifier proper: folds the escrow's events (sdk/fold, the one place that knows how an event changes the
// state) and checks each event, against the state just before it, by the settlement rules (SPEC.md §2, §3); then
// the per-transaction flows, the books per token and, when given, what the contract's views say. Pure: no I/O, so
// the same events and chain state always give the same findings.
import { zeroAddress, type Address, type Hex } from "viem";
import { decodeBookingId } from "../booking-id.js";
import { applyEvent, compareEvents, isIgnoredEvent, unhandledEvent } from "../fold/apply-event.js";
import {
  actsForMerchant,
  createEscrowState,
  creditKey,
  isOpen,
  lowerCase as lc,
  slotKey,
  staffRolesOf,
  type Booking,
  type EscrowState,
  type Offering,
} from "../fold/state.js";
import {
  MAX_ARBITER_TIMEOUT,
  MAX_DISPUTE_REASON_BYTES,
  MAX_DISPUTE_WINDOW,
  MAX_FEE_BPS,
  MAX_SLOT_LENGTH,
  STAFF_CANCEL,
  STAFF_CHECK_IN,
  STAFF_COUPONS,
} from "../generated/constants.js";
import { BookingStatus, BookingStatusNames, CheckInRule } from "../generated/enums.js";
import { BPS, checkInWindow, refundBps as policyRefundBps, rulingDeadline, settlesAt, split } from "../settlement.js";
import type { BookingView, EscrowEvent, EscrowEventOf } from "../types.js";
import { PackedBookings } from "./booking-table.js";
import { findingMessage, type FindingText } from "./finding-text.js";
import type {
  ChainState,
  ChainStateWithoutBookings,
  Finding,
  RebuiltBooking,
  RebuiltMerchant,
  RebuiltOffering,
  SettleableBooking,
  Surplus,
  TokenBook,
  Verification,
} from "./types.js";

export type VerifyOptions = {
  /**
   * True when the events start at or before the escrow's deployment. When false, events about bookings and
   * offerings made before the range are skipped, and the checks that need the whole history (views, credits,
   * fees, balances) are not run.
   */
  complete?: boolean;
  /** The time of the last block the events cover (Unix seconds): open bookings that can settle by then are
   *  reported as settleable by anyone. Without it none are. */
  now?: number;
};

/** Every staff role bit; anything else in a `StaffRolesSet` is not a role. */
const ALL_STAFF_ROLES = STAFF_CHECK_IN | STAFF_CANCEL | STAFF_COUPONS;

const statusName = (s: number): string => BookingStatusNames[s] ?? `Unknown(${s})`;

/** A finding's placeholders as the checks have them; `find` turns them into strings. */
type RawValues = Record<string, string | number | bigint | boolean>;
/** A finding before `find` writes its message. */
type Found = Omit<Finding, "message" | "values"> & { values?: RawValues };

type TxFlows = {
  /** What may be credited to an account in this transaction: the shares paid to it. */
  payable: Map<string, bigint>;
  credited: Map<string, { amount: bigint; event: EscrowEvent }>;
  /** Merchant shares of bookings settled as fulfilled or no-show (by `settle` or `claim`), per `token:merchant`. */
  claimShares: Map<string, bigint>;
  /** `Claimed` totals per `token:merchant`, with the payout address the merchant had named when it was paid. */
  claimed: Map<string, { amount: bigint; payout: Address; expectedPayout?: Address; event: EscrowEvent }>;
  /** Set when the transaction settled a booking made before the range: its flows cannot be checked. */
  partial: boolean;
};

/**
 * A call that may pay only the booking's customer (SPEC §3, invariant 7: a staff member can do nothing else): a
 * check-in, which moves no funds, or a cancellation by the merchant or its staff, a full refund. It lasts from its
 * event until the next event that starts another call in the same transaction; the payouts in between are its own.
 */
type CustomerOnlyCall = { tx: Hex; kind: "checkIn" | "merchantCancel"; customer: Address; token: Address };

/** The events replayed: the folded state, what the per-event checks found, and the flows of each transaction. */
export type Replay = {
  complete: boolean;
  now?: number;
  state: EscrowState;
  /** The state's bookings, packed between pages: the state holds only those of the page being replayed. */
  bookings: PackedBookings;
  findings: Finding[];
  /** The flows of the transaction being replayed: a transaction's events are contiguous, so each is checked when
   *  the next begins and none is kept. */
  tx?: { hash: Hex; flows: TxFlows };
  /** The call whose payouts are being watched, if the current event belongs to one. */
  customerOnly?: CustomerOnlyCall;
  /** Every `merchant:staff` pair (lower-case) a `StaffRolesSet` named, to compare with `staffRoles`. */
  staffPairs: Set<string>;
  /** Every account the history names that may hold a credit in any token: merchants, payout addresses, arbiters,
   *  fee recipients (lower-case). Customers are in `customerCredits`, with the token they paid in. */
  parties: Set<Address>;
  /** `token:customer` for every booking's customer and token. */
  customerCredits: Set<string>;
  outOfRange: number;
  events: number;
};

function finding(e: EscrowEvent | null, { values, ...found }: Found): Finding {
  // Strings only, so the JSON report stays serialisable and the dApp fills its translations with the same values.
  const strings = values && Object.fromEntries(Object.entries(values).map(([name, v]) => [name, String(v)]));
  const f: Finding = { ...found, ...(strings && { values: strings }), message: findingMessage(found.text, strings) };
  return e ? { ...f, block: e.blockNumber, logIndex: e.logIndex } : f;
}

const bump = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v);

/** A replay with no events yet: feed it the history page by page with `replayPage`. */
export function startReplay(options: VerifyOptions = {}): Replay {
  const state = createEscrowState();
  return {
    complete: options.complete ?? true,
    now: options.now,
    state,
    bookings: new PackedBookings(state),
    findings: [],
    staffPairs: new Set(),
    parties: new Set(),
    customerCredits: new Set(),
    outOfRange: 0,
    events: 0,
  };
}

/** Folds the next `events` of the history (in chain order, after every page before), checking each against the
 *  state before it. Nothing of the events is kept but what the state and the checks still need. */
export function replayPage(replay: Replay, events: readonly EscrowEvent[]): void {
  replay.events += events.length;
  for (const e of [...events].sort(compareEvents)) {
    const id = bookingIdOf(e);
    if (id !== undefined) replay.bookings.unpack(id);
    if (checkEvent(replay, e)) applyEvent(replay.state, e);
  }
  replay.bookings.packAll();
}

/** The booking an event is about, if any. */
function bookingIdOf(e: EscrowEvent): bigint | undefined {
  switch (e.eventName) {
    case "Booked":
    case "CouponRedeemed":
    case "CheckedIn":
    case "Disputed":
    case "Settled":
      return e.args.bookingId;
    default:
      return undefined;
  }
}

/** Folds `events` in chain order, checking each against the state before it. */
export function replayEvents(events: readonly EscrowEvent[], options: VerifyOptions = {}): Replay {
  const replay = startReplay(options);
  replayPage(replay, events);
  return replay;
}

// The checks take the replay and the event as arguments rather than closing over them: they run for every event
// of a long history, and closures made per event would cost more than the checks.

function find(replay: Replay, e: EscrowEvent, found: Found): void {
  replay.findings.push(finding(e, found));
}

function illegal(replay: Replay, e: EscrowEvent, bookingId: bigint, text: FindingText, values?: RawValues): void {
  find(replay, e, { kind: "illegal-transition", bookingId, text, values });
}

function flowsOf(replay: Replay, e: EscrowEvent): TxFlows {
  if (replay.tx?.hash === e.transactionHash) return replay.tx.flows;
  concludeTx(replay);
  const flows = { payable: new Map(), credited: new Map(), claimShares: new Map(), claimed: new Map(), partial: false };
  replay.tx = { hash: e.transactionHash, flows };
  return flows;
}

/** The checks of a transaction's flows, once its events are all replayed: a claim or a settle pays each merchant
 *  exactly its bookings' shares, to the payout address it had named; credits come only from payouts. */
function concludeTx(replay: Replay): void {
  const f = replay.tx?.flows;
  replay.tx = undefined;
  if (!f || f.partial) return;
  const found = (e: EscrowEvent | null, x: Found) => replay.findings.push(finding(e, x));
  for (const [k, c] of f.claimed) {
    const [token, merchant] = k.split(":") as [Address, Address];
    const expected = f.claimShares.get(k) ?? 0n;
    if (c.amount !== expected) {
      found(c.event, {
        kind: "claim-mismatch",
        token,
        account: merchant,
        text: "claimAmountMismatch",
        values: { amount: c.amount, expected },
      });
    }
    if (replay.complete && c.expectedPayout !== c.payout) {
      found(c.event, {
        kind: "claim-mismatch",
        token,
        account: merchant,
        text: "claimWrongPayout",
        values: { payout: c.payout },
      });
    }
  }
  for (const [k, shares] of f.claimShares) {
    if (!f.claimed.has(k) && shares !== 0n) {
      const [token, merchant] = k.split(":") as [Address, Address];
      found(null, { kind: "claim-mismatch", token, account: merchant, text: "claimWithoutEvent" });
    }
  }
  for (const [k, c] of f.credited) {
    const payable = f.payable.get(k) ?? 0n;
    if (c.amount > payable) {
      const [token, account] = k.split(":") as [Address, Address];
      found(c.event, {
        kind: "credit-mismatch",
        token,
        account,
        text: "creditAbovePayable",
        values: { amount: c.amount, payable },
      });
    }
  }
}

/** The booking an event is about, with its offering; undefined (with a finding, or counted as out of range). */
function bookingFor(replay: Replay, e: EscrowEvent, id: bigint): [Booking, Offering] | undefined {
  const b = replay.state.bookings.get(id);
  if (b) return [b, replay.state.offerings.get(b.offeringId)!];
  if (!replay.complete) replay.outOfRange++;
  else illegal(replay, e, id, "neverBooked", { event: e.eventName });
  return undefined;
}

/** Tracks which call of its transaction an event belongs to, and checks that a customer-only call pays no one
 *  else. Only `Claimed` and `Credited` continue a call: every call that moves funds starts with another event. */
function watchCustomerOnlyCalls(replay: Replay, e: EscrowEvent): void {
  const call = replay.customerOnly?.tx === e.transactionHash ? replay.customerOnly : undefined;
  if (e.eventName !== "Claimed" && e.eventName !== "Credited") {
    replay.customerOnly = undefined;
    return;
  }
  if (!call) return;
  const account = e.eventName === "Claimed" ? e.args.payout : e.args.account;
  const amount = e.args.amount;
  const toCustomer =
    e.eventName === "Credited" && lc(account) === lc(call.customer) && lc(e.args.token) === lc(call.token);
  if (amount === 0n || (call.kind === "merchantCancel" && toCustomer)) return;
  find(replay, e, {
    kind: "staff-funds",
    token: lc(e.args.token),
    account: lc(account),
    text: call.kind === "checkIn" ? "checkInMovedFunds" : "cancelPaidOther",
    values: { amount, account: lc(account) },
  });
}

/** Who an event names that may be owed a credit: their credits are read from the contract whether or not a
 *  `Credited` event says so, so that a provider that drops one cannot make a liability look like a surplus. */
function noteParties(replay: Replay, e: EscrowEvent): void {
  const { parties } = replay;
  switch (e.eventName) {
    case "FeeRecipientSet":
      parties.add(lc(e.args.feeRecipient));
      break;
    case "FeesWithdrawn":
      parties.add(lc(e.args.recipient));
      break;
    case "MerchantRegistered":
    case "MerchantUpdated":
      parties.add(lc(e.args.merchant)).add(lc(e.args.payout));
      break;
    case "OfferingCreated":
      parties.add(lc(e.args.merchant));
      if (e.args.terms.arbiter !== zeroAddress) parties.add(lc(e.args.terms.arbiter));
      break;
    case "Claimed":
      parties.add(lc(e.args.merchant)).add(lc(e.args.payout));
      break;
    case "Booked": {
      const o = replay.state.offerings.get(e.args.offeringId);
      if (o) replay.customerCredits.add(creditKey(o.token, e.args.customer));
      break;
    }
  }
}

/** Every `token:account` (lower-case, sorted) whose credit the contract must be asked for: the credits the events
 *  name, each party in every token, each customer in the tokens it paid in. */
export function creditKeysOf(replay: Replay): string[] {
  const keys = new Set<string>(replay.state.credits.keys());
  for (const k of replay.customerCredits) keys.add(k);
  for (const token of tokensOf(replay.state)) for (const a of replay.parties) keys.add(creditKey(token, a));
  return [...keys].sort();
}

/** The checks of one event against the state before it; false when the event must not be folded (a booking of an
 *  offering the history does not hold: nothing about it can be checked). */
function checkEvent(replay: Replay, e: EscrowEvent): boolean {
  const { complete, state } = replay;
  watchCustomerOnlyCalls(replay, e);
  noteParties(replay, e);
  if (isIgnoredEvent(e)) return true;
  switch (e.eventName) {
    case "FeeSet":
      if (e.args.feeBps > MAX_FEE_BPS) {
        const values = { feeBps: e.args.feeBps, cap: MAX_FEE_BPS };
        find(replay, e, { kind: "fee-above-cap", text: "feeSetAboveCap", values });
      }
      return true;
    case "PausedSet":
    case "TokenAllowedSet":
    case "MerchantRegistered":
    case "OfferingActiveSet":
      return true;
    case "MerchantUpdated": {
      // The contract checks the arbiter's independence when an offering is created; a later payout address must
      // not make the arbiter a party either.
      const { merchant, payout } = e.args;
      for (const o of state.offerings.values()) {
        if (lc(o.merchant) === lc(merchant) && o.arbiter !== zeroAddress && lc(o.arbiter) === lc(payout)) {
          find(replay, e, {
            kind: "arbiter-not-independent",
            offeringId: o.id,
            account: lc(payout),
            text: "payoutIsArbiter",
            values: { payout: lc(payout), offeringId: o.id },
          });
        }
      }
      return true;
    }
    case "StaffRolesSet":
      checkStaffRolesSet(replay, e);
      return true;
    case "OfferingCreated":
      checkOfferingCreated(replay, e);
      return true;
    case "Booked":
      return checkBooked(replay, e);
    case "CouponRedeemed":
      bookingFor(replay, e, e.args.bookingId);
      return true;
    case "CheckedIn":
      checkCheckedIn(replay, e);
      return true;
    case "Disputed": {
      const found = bookingFor(replay, e, e.args.bookingId);
      if (!found) return true;
      const [b, o] = found;
      const ts = e.blockTimestamp;
      if (b.status !== BookingStatus.Booked) {
        illegal(replay, e, b.bookingId, "disputedWhile", { status: statusName(b.status) });
      }
      if (o.arbiter === zeroAddress) illegal(replay, e, b.bookingId, "disputedWithoutArbiter");
      if (ts !== undefined && (ts < b.slotStart || ts >= settlesAt(b, o))) {
        illegal(replay, e, b.bookingId, "disputeOutsideWindow");
      }
      const length = new TextEncoder().encode(e.args.reason).length;
      if (length > MAX_DISPUTE_REASON_BYTES) {
        illegal(replay, e, b.bookingId, "disputeReasonTooLong", { length, max: MAX_DISPUTE_REASON_BYTES });
      }
      return true;
    }
    case "Settled": {
      const found = bookingFor(replay, e, e.args.bookingId);
      if (!found) flowsOf(replay, e).partial = true;
      else checkSettled(replay, e, found);
      return true;
    }
    case "Claimed": {
      const { merchant, token, payout, amount } = e.args;
      const k = creditKey(token, merchant);
      const f = flowsOf(replay, e);
      const prev = f.claimed.get(k);
      const expectedPayout = state.merchants.get(lc(merchant))?.payout;
      f.claimed.set(k, {
        amount: (prev?.amount ?? 0n) + amount,
        payout: lc(payout),
        expectedPayout: expectedPayout && lc(expectedPayout),
        event: e,
      });
      return true;
    }
    case "Credited": {
      const k = creditKey(e.args.token, e.args.account);
      const f = flowsOf(replay, e);
      const prev = f.credited.get(k);
      f.credited.set(k, { amount: (prev?.amount ?? 0n) + e.args.amount, event: prev?.event ?? e });
      return true;
    }
    case "CreditWithdrawn": {
      const credit = state.credits.get(creditKey(e.args.token, e.args.account)) ?? 0n;
      if (complete && credit !== e.args.amount) {
        find(replay, e, {
          kind: "credit-mismatch",
          token: lc(e.args.token),
          account: lc(e.args.account),
          text: "creditWithdrawalMismatch",
          values: { amount: e.args.amount, credit },
        });
      }
      return true;
    }
    case "FeesWithdrawn": {
      const owed = state.feesOwed.get(lc(e.args.token)) ?? 0n;
      if (complete && owed !== e.args.amount) {
        find(replay, e, {
          kind: "fees-owed-mismatch",
          token: lc(e.args.token),
          text: "feesWithdrawalMismatch",
          values: { amount: e.args.amount, owed },
        });
      }
      return true;
    }
    default:
      return unhandledEvent(e);
  }
}

function checkStaffRolesSet(replay: Replay, e: EscrowEventOf<"StaffRolesSet">): void {
  const { merchant, staff, roles } = e.args;
  const staffFinding = (text: FindingText, values: RawValues) =>
    find(replay, e, { kind: "staff-roles", account: lc(staff), text, values });
  replay.staffPairs.add(`${lc(merchant)}:${lc(staff)}`);
  if (replay.complete && !replay.state.merchants.has(lc(merchant))) {
    staffFinding("staffByUnregistered", { merchant: lc(merchant) });
  }
  if (staff === zeroAddress || lc(staff) === lc(merchant)) staffFinding("invalidStaff", { staff: lc(staff) });
  if ((roles & ~ALL_STAFF_ROLES) !== 0) staffFinding("unknownStaffRoles", { roles });
}

function checkOfferingCreated(replay: Replay, e: EscrowEventOf<"OfferingCreated">): void {
  const { offeringId, merchant, terms } = e.args;
  const offeringFinding = (kind: Finding["kind"], text: FindingText, values: RawValues) =>
    find(replay, e, { kind, offeringId, text, values });
  const hasArbiter = terms.arbiter !== zeroAddress;
  const payout = replay.state.merchants.get(lc(merchant))?.payout;
  if (hasArbiter && (lc(terms.arbiter) === lc(merchant) || (payout && lc(terms.arbiter) === lc(payout)))) {
    offeringFinding("arbiter-not-independent", "arbiterIsParty", { arbiter: lc(terms.arbiter) });
  }
  // Bounded terms bound when every booking can settle without the merchant (invariant 6).
  if (terms.slotLength > MAX_SLOT_LENGTH) {
    offeringFinding("unbounded-terms", "slotTooLong", { slotLength: terms.slotLength, max: MAX_SLOT_LENGTH });
  }
  if (terms.disputeWindow > MAX_DISPUTE_WINDOW) {
    const values = { disputeWindow: terms.disputeWindow, max: MAX_DISPUTE_WINDOW };
    offeringFinding("unbounded-terms", "disputeWindowTooLong", values);
  }
  if (hasArbiter && (terms.arbiterTimeout === 0 || terms.arbiterTimeout > MAX_ARBITER_TIMEOUT)) {
    const values = { arbiterTimeout: terms.arbiterTimeout, max: MAX_ARBITER_TIMEOUT };
    offeringFinding("unbounded-terms", "arbiterTimeoutInvalid", values);
  }
}

function checkBooked(replay: Replay, e: EscrowEventOf<"Booked">): boolean {
  const { complete, state } = replay;
  const { bookingId: id, offeringId, slotStart, seats, customer, feeBps } = e.args;
  const ts = e.blockTimestamp;
  const bookingIllegal = (text: FindingText, values?: RawValues) =>
    find(replay, e, { kind: "illegal-transition", bookingId: id, offeringId, text, values });
  let n = 0;
  try {
    const parts = decodeBookingId(id);
    n = parts.n;
    if (parts.offeringId !== offeringId || parts.slotStart !== slotStart) bookingIllegal("bookingIdMismatch");
  } catch {
    bookingIllegal("invalidBookingId");
  }
  const o = state.offerings.get(offeringId);
  if (!o) {
    if (complete) bookingIllegal("unknownOffering", { offeringId });
    else replay.outOfRange++;
    return false;
  }
  if (state.bookings.has(id)) {
    bookingIllegal("bookedTwice");
    return true;
  }
  if (!o.active) bookingIllegal("bookedInactive");
  if (state.paused) bookingIllegal("bookedPaused");
  const token = lc(o.token);
  if (token !== zeroAddress && !state.allowedTokens.has(token) && complete) bookingIllegal("tokenNotAllowed");
  if (seats === 0) bookingIllegal("zeroSeats");
  if (slotStart < o.firstSlotStart || (slotStart - o.firstSlotStart) % o.slotLength !== 0) bookingIllegal("offGrid");
  if (ts !== undefined && (slotStart < ts + o.minLeadTime || slotStart > ts + o.maxAdvance)) {
    bookingIllegal("outsideBookingWindow");
  }
  const slot = state.slots.get(slotKey(offeringId, slotStart)) ?? { seats: 0, count: 0 };
  if (n !== 0 && n !== slot.count + 1) bookingIllegal("numberOutOfOrder", { n, expected: slot.count + 1 });
  if (slot.seats + seats > o.seatsPerSlot) {
    find(replay, e, {
      kind: "overbooked-slot",
      bookingId: id,
      offeringId,
      text: "overbooked",
      values: { slotStart, seats: slot.seats + seats, seatsPerSlot: o.seatsPerSlot },
    });
  }
  if (feeBps > MAX_FEE_BPS) {
    find(replay, e, {
      kind: "fee-above-cap",
      bookingId: id,
      text: "snapshotAboveCap",
      values: { feeBps, cap: MAX_FEE_BPS },
    });
  } else if (state.feeBps !== undefined && feeBps !== state.feeBps) {
    find(replay, e, {
      kind: "fee-snapshot-mismatch",
      bookingId: id,
      text: "snapshotMismatch",
      values: { feeBps, inForce: state.feeBps },
    });
  }
  if (feeBps > o.maxFeeBps) {
    find(replay, e, {
      kind: "fee-above-offering-max",
      bookingId: id,
      offeringId,
      text: "feeAboveOfferingMax",
      values: { feeBps, maxFeeBps: o.maxFeeBps },
    });
  }
  if (o.arbiter !== zeroAddress && lc(customer) === lc(o.arbiter)) {
    find(replay, e, {
      kind: "arbiter-not-independent",
      bookingId: id,
      offeringId,
      account: lc(customer),
      text: "arbiterBooked",
    });
  }
  return true;
}

function checkCheckedIn(replay: Replay, e: EscrowEventOf<"CheckedIn">): void {
  const found = bookingFor(replay, e, e.args.bookingId);
  if (!found) return;
  const [b, o] = found;
  const { by, customerSigned } = e.args;
  const ts = e.blockTimestamp;
  const id = b.bookingId;
  replay.customerOnly = { tx: e.transactionHash, kind: "checkIn", customer: b.customer, token: o.token };
  // A dispute freezes the check-in state, so only an undisputed open booking can be checked in.
  if (b.status !== BookingStatus.Booked) illegal(replay, e, id, "checkedInWhile", { status: statusName(b.status) });
  else if (b.checkedIn) illegal(replay, e, id, "checkedInTwice");
  if (!customerSigned && o.checkInRule === CheckInRule.CustomerSignature) illegal(replay, e, id, "merchantWordRefused");
  if (ts !== undefined) {
    const { opensAt, closesAt } = checkInWindow(b, o, customerSigned ? "customerSigned" : "merchantWord");
    // The merchant's word before the start would take away a cancellation the policy still offers.
    if (!customerSigned && ts < b.slotStart) illegal(replay, e, id, "merchantWordBeforeStart");
    else if (ts < opensAt || ts >= closesAt) illegal(replay, e, id, "checkInOutsideWindow");
  }
  // A history that starts after the deployment may have missed the grant.
  if (replay.complete && !actsForMerchant(replay.state, o.merchant, by, STAFF_CHECK_IN)) {
    find(replay, e, {
      kind: "unauthorized-caller",
      bookingId: id,
      account: lc(by),
      text: "checkInByUnauthorized",
      values: { by: lc(by) },
    });
  }
}

function checkSettled(replay: Replay, e: EscrowEventOf<"Settled">, [b, o]: [Booking, Offering]): void {
  const { outcome, customerShare, merchantShare, fee } = e.args;
  const bps = e.args.refundBps;
  const ts = e.blockTimestamp;
  const id = b.bookingId;
  const flows = flowsOf(replay, e);
  const payout = replay.state.merchants.get(lc(o.merchant))?.payout;
  const wrongShare = (expected: bigint) =>
    find(replay, e, {
      kind: "refund-share-mismatch",
      bookingId: id,
      text: "wrongRefundShare",
      values: { outcome: statusName(outcome), refundBps: bps, expected },
    });
  const settles = settlesAt(b, o);
  const deadline = rulingDeadline(b, o);
  const open = isOpen(b);
  if (!open) illegal(replay, e, id, "settledWhile", { outcome: statusName(outcome), status: statusName(b.status) });
  switch (outcome) {
    case BookingStatus.CustomerCancelled:
      if (open && b.status !== BookingStatus.Booked) illegal(replay, e, id, "customerCancelledDisputed");
      if (b.checkedIn) illegal(replay, e, id, "customerCancelledAfterCheckIn");
      if (ts !== undefined) {
        if (ts >= b.slotStart) illegal(replay, e, id, "customerCancelledAfterStart");
        else {
          const expected = policyRefundBps(o.cancellationTiers, b.slotStart - ts);
          if (BigInt(expected) !== bps) wrongShare(BigInt(expected));
        }
      }
      break;
    case BookingStatus.MerchantCancelled:
      if (bps !== BPS) wrongShare(BPS);
      checkMerchantCancel(replay, e, b, o, payout);
      break;
    case BookingStatus.Resolved:
      if (open && b.status !== BookingStatus.Disputed) illegal(replay, e, id, "resolvedWithoutDispute");
      if (bps > BPS) wrongShare(BPS);
      if (ts !== undefined && ts >= deadline) illegal(replay, e, id, "resolvedAfterDeadline");
      break;
    case BookingStatus.Fulfilled:
    case BookingStatus.NoShow: {
      const fulfilled = outcome === BookingStatus.Fulfilled;
      // A disputed booking whose arbiter timed out settles by its check-in state when it was disputed.
      if (b.status === BookingStatus.Disputed && b.dispute && fulfilled !== b.dispute.checkedIn) {
        illegal(replay, e, id, fulfilled ? "timedOutFulfilledWithoutCheckIn" : "timedOutNoShowAfterCheckIn");
      } else if (b.status !== BookingStatus.Disputed && fulfilled !== b.checkedIn) {
        illegal(replay, e, id, fulfilled ? "fulfilledWithoutCheckIn" : "noShowAfterCheckIn");
      }
      const expected = fulfilled ? 0n : BigInt(o.noShowRefundBps);
      if (bps !== expected) wrongShare(expected);
      if (ts !== undefined && ts < settles) illegal(replay, e, id, "claimedEarly");
      if (ts !== undefined && b.status === BookingStatus.Disputed && ts < deadline) {
        illegal(replay, e, id, "claimedBeforeRuling");
      }
      bump(flows.claimShares, creditKey(o.token, o.merchant), merchantShare);
      break;
    }
    default:
      illegal(replay, e, id, "notAnOutcome", { outcome: statusName(outcome) });
  }
  if (customerShare + merchantShare + fee !== b.amount) {
    find(replay, e, {
      kind: "split-mismatch",
      bookingId: id,
      text: "sharesDoNotSum",
      values: { customerShare, merchantShare, fee, amount: b.amount },
    });
  } else if (bps <= BPS) {
    const want = split(b.amount, bps, b.feeBps);
    if (fee > want.fee) {
      find(replay, e, {
        kind: "fee-above-snapshot",
        bookingId: id,
        text: "feeAboveSnapshot",
        values: { fee, expectedFee: want.fee, feeBps: b.feeBps },
      });
    } else if (fee !== want.fee || customerShare !== want.customerShare) {
      find(replay, e, {
        kind: "split-mismatch",
        bookingId: id,
        text: "wrongSplit",
        values: {
          customerShare,
          merchantShare,
          fee,
          expectedCustomerShare: want.customerShare,
          expectedMerchantShare: want.merchantShare,
          expectedFee: want.fee,
        },
      });
    }
  }
  bump(flows.payable, creditKey(o.token, b.customer), customerShare);
  if (payout) bump(flows.payable, creditKey(o.token, payout), merchantShare);
}

/** A cancellation for the merchant: its caller (when known) is the merchant or its cancel staff, and it pays the
 *  customer only. */
function checkMerchantCancel(
  replay: Replay,
  e: EscrowEventOf<"Settled">,
  b: Booking,
  o: Offering,
  payout: Address | undefined,
): void {
  replay.customerOnly = { tx: e.transactionHash, kind: "merchantCancel", customer: b.customer, token: o.token };
  if (replay.complete && e.caller !== undefined && !actsForMerchant(replay.state, o.merchant, e.caller, STAFF_CANCEL)) {
    find(replay, e, {
      kind: "unauthorized-caller",
      bookingId: b.bookingId,
      account: lc(e.caller),
      text: "cancelByUnauthorized",
      values: { caller: lc(e.caller) },
    });
  }
  if (e.args.merchantShare !== 0n) {
    const account = payout ? lc(payout) : lc(o.merchant);
    find(replay, e, {
      kind: "staff-funds",
      bookingId: b.bookingId,
      token: lc(o.token),
      account,
      text: "cancelPaidOther",
      values: { amount: e.args.merchantShare, account },
    });
  }
}

/** Every token the history uses (lower-case, sorted): ETH, the offerings' tokens, the tokens credited. */
export function tokensOf(state: EscrowState): Address[] {
  const tokens = new Set<Address>([zeroAddress]);
  for (const o of state.offerings.values()) tokens.add(lc(o.token));
  for (const k of state.credits.keys()) tokens.add(k.split(":")[0] as Address);
  return [...tokens].sort();
}

/** The verifier's view of the folded state: addresses in lower case, unset outcomes as null, the bookings still
 *  packed (each unpacked as it is read). */
function rebuilt(replay: Replay) {
  const { state } = replay;
  const merchants = new Map<Address, RebuiltMerchant>();
  for (const [key, m] of state.merchants) merchants.set(key, { merchant: key, payout: lc(m.payout), name: m.name });
  const offerings = new Map<number, RebuiltOffering>();
  for (const [id, o] of state.offerings) {
    offerings.set(id, {
      offeringId: id,
      merchant: lc(o.merchant),
      token: lc(o.token),
      depositPerSeat: o.depositPerSeat,
      seatsPerSlot: o.seatsPerSlot,
      slotLength: o.slotLength,
      firstSlotStart: o.firstSlotStart,
      minLeadTime: o.minLeadTime,
      maxAdvance: o.maxAdvance,
      noShowRefundBps: o.noShowRefundBps,
      disputeWindow: o.disputeWindow,
      arbiter: lc(o.arbiter),
      arbiterTimeout: o.arbiterTimeout,
      checkInRule: o.checkInRule,
      maxFeeBps: o.maxFeeBps,
      cancellationTiers: o.cancellationTiers.map((x) => ({ ...x })),
      active: o.active,
    });
  }
  return { merchants, offerings, bookings: replay.bookings.table() };
}

/** Open bookings anyone may settle at `now`: nobody waits on the merchant (invariant 6). Oldest first. */
function settleableAt(
  bookings: ReadonlyMap<bigint, RebuiltBooking>,
  offerings: ReadonlyMap<number, RebuiltOffering>,
  now: number | undefined,
): SettleableBooking[] {
  if (now === undefined) return [];
  const settleable: SettleableBooking[] = [];
  for (const b of bookings.values()) {
    const o = offerings.get(b.offeringId);
    if (!o || !isOpen(b)) continue;
    const since = b.status === BookingStatus.Disputed ? rulingDeadline(b, o) : settlesAt(b, o);
    if (now < since) continue;
    const outcome = b.checkedIn ? BookingStatus.Fulfilled : BookingStatus.NoShow;
    settleable.push({ bookingId: b.bookingId, offeringId: b.offeringId, since, outcome });
  }
  return settleable.sort((x, y) => x.since - y.since || (x.bookingId < y.bookingId ? -1 : 1));
}

/** Where a booking's view disagrees with the rebuilt booking (none for a booking the contract does not know of
 *  but `status`). Exported so that `audit` can compare the views chunk by chunk without holding them all. */
export function bookingViewFindings(b: RebuiltBooking, v: BookingView | undefined): Finding[] {
  const id = b.bookingId;
  if (!v) return [finding(null, { kind: "view-mismatch", bookingId: id, text: "bookingNotRead" })];
  const out: Finding[] = [];
  const mismatch = (field: string, rebuilt: RawValues[string], view: RawValues[string]) =>
    out.push(
      finding(null, { kind: "view-mismatch", bookingId: id, text: "viewMismatch", values: { field, rebuilt, view } }),
    );
  if (v.status === BookingStatus.None) {
    mismatch("status", statusName(b.status), "None");
    return out;
  }
  if (v.status !== b.status) mismatch("status", statusName(b.status), statusName(v.status));
  if (lc(v.customer) !== b.customer) mismatch("customer", b.customer, lc(v.customer));
  if (v.seats !== b.seats) mismatch("seats", b.seats, v.seats);
  if (v.feeBps !== b.feeBps) mismatch("feeBps", b.feeBps, v.feeBps);
  if (v.checkedIn !== b.checkedIn) mismatch("checkedIn", b.checkedIn, v.checkedIn);
  if (v.amount !== b.amount) mismatch("amount", b.amount, v.amount);
  if (v.offeringId !== b.offeringId) mismatch("offeringId", b.offeringId, v.offeringId);
  if (v.slotStart !== b.slotStart) mismatch("slotStart", b.slotStart, v.slotStart);
  return out;
}

/** The checks that need the whole replay: amounts, the last transaction's flows, the books per token, the views.
 *  It uses up the replay (its bookings move into the verification). */
export function concludeReplay(replay: Replay, chainState: ChainStateWithoutBookings | null): Verification {
  concludeTx(replay);
  const { complete, state } = replay;
  const { merchants, offerings, bookings } = rebuilt(replay);
  const findings = [...replay.findings];
  const find = (e: EscrowEvent | null, found: Found) => findings.push(finding(e, found));

  // A booking's amount is its seats' deposits less its coupon's discount.
  for (const b of bookings.values()) {
    const o = offerings.get(b.offeringId)!;
    const due = o.depositPerSeat * BigInt(b.seats);
    if (b.amount + b.discount !== due) {
      find(null, {
        kind: "amount-mismatch",
        bookingId: b.bookingId,
        block: b.bookedBlock,
        text: "amountMismatch",
        values: { amount: b.amount, discount: b.discount, seats: b.seats, depositPerSeat: o.depositPerSeat },
      });
    }
  }

  // The books per token, and what the views say.
  const tokens: TokenBook[] = [];
  const surplus: Surplus[] = [];
  for (const token of tokensOf(state)) {
    let creditSum = 0n;
    for (const [k, v] of state.credits) if (k.startsWith(`${token}:`)) creditSum += v;
    const depositsHeld = state.depositsHeld.get(token) ?? 0n;
    const feesOwed = state.feesOwed.get(token) ?? 0n;
    const owed = depositsHeld + creditSum + feesOwed;
    const balance = complete && chainState ? (chainState.balances.get(token) ?? null) : null;
    tokens.push({ token, balance, depositsHeld, credits: creditSum, feesOwed, owed });
    if (balance === null) continue;
    if (balance < owed) {
      find(null, {
        kind: "shortfall",
        token,
        text: "shortfall",
        values: { balance, owed, short: owed - balance },
      });
    } else if (balance > owed) surplus.push({ token, amount: balance - owed });
  }

  if (complete && chainState) {
    const mismatch = (field: string, rebuilt: RawValues[string], view: RawValues[string], bookingId?: bigint) =>
      find(null, {
        kind: "view-mismatch",
        ...(bookingId !== undefined && { bookingId }),
        text: "viewMismatch",
        values: { field, rebuilt, view },
      });
    // Without `bookings` the caller compares the views itself (see `bookingViewFindings`).
    if (chainState.bookings) {
      for (const id of [...bookings.keys()].sort((x, y) => (x < y ? -1 : 1))) {
        findings.push(...bookingViewFindings(bookings.get(id)!, chainState.bookings.get(id)));
      }
    }
    for (const pair of [...replay.staffPairs].sort()) {
      const view = chainState.staffRoles.get(pair);
      const [merchant, staff] = pair.split(":") as [Address, Address];
      const roles = staffRolesOf(state, merchant, staff);
      if (view !== undefined && view !== roles) mismatch(`staffRoles(${merchant}, ${staff})`, roles, view);
    }
    // Every credit read, not only those the events name: one the events never mention must be zero.
    const creditKeys = new Set([...state.credits.keys(), ...chainState.credits.keys()]);
    for (const k of [...creditKeys].sort()) {
      const view = chainState.credits.get(k);
      const rebuiltCredit = state.credits.get(k) ?? 0n;
      if (view !== undefined && view !== rebuiltCredit) {
        const [token, account] = k.split(":") as [Address, Address];
        find(null, {
          kind: "credit-mismatch",
          token,
          account,
          text: "creditViewMismatch",
          values: { rebuilt: rebuiltCredit, view },
        });
      }
    }
    for (const t of tokens) {
      const view = chainState.feesOwed.get(t.token);
      if (view !== undefined && view !== t.feesOwed) {
        find(null, {
          kind: "fees-owed-mismatch",
          token: t.token,
          text: "feesViewMismatch",
          values: { rebuilt: t.feesOwed, view },
        });
      }
    }
  }

  return {
    merchants,
    offerings,
    bookings,
    tokens,
    findings: sortFindings(findings),
    surplus,
    settleable: settleableAt(bookings, offerings, replay.now),
    outOfRange: replay.outOfRange,
    events: replay.events,
  };
}

export function verify(
  events: readonly EscrowEvent[],
  chainState: ChainState | null,
  options: VerifyOptions = {},
): Verification {
  return concludeReplay(replayEvents(events, options), chainState);
}

/** A stable order: by position in the chain (end-of-run checks last), then kind and subject. */
export function sortFindings(findings: Finding[]): Finding[] {
  const pos = (f: Finding) => (f.block === undefined ? -1n : f.block);
  return [...findings].sort((a, b) => {
    const pa = pos(a);
    const pb = pos(b);
    if (pa !== pb) return pa === -1n ? 1 : pb === -1n ? -1 : pa < pb ? -1 : 1;
    if ((a.logIndex ?? -1) !== (b.logIndex ?? -1)) return (a.logIndex ?? -1) - (b.logIndex ?? -1);
    const ka = `${a.kind}|${a.bookingId ?? ""}|${a.token ?? ""}|${a.account ?? ""}|${a.message}`;
    const kb = `${b.kind}|${b.bookingId ?? ""}|${b.token ?? ""}|${b.account ?? ""}|${b.message}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
