// The verifier proper: rebuilds merchants, offerings and bookings from the escrow's events alone and checks them
// against the settlement rules (SPEC.md §2, §3) and, when given, against what the contract's views say. Pure: no
// I/O, so the same events and chain state always give the same findings.
import { zeroAddress, type Address, type Hex } from "viem";
import { decodeBookingId } from "../booking-id.js";
import { CHECK_IN_OPENS_BEFORE_START, MAX_FEE_BPS } from "../generated/constants.js";
import { BookingStatus, BookingStatusNames } from "../generated/enums.js";
import { BPS, refundBps as policyRefundBps, settlesAt, split } from "../settlement.js";
import { findingMessage, type FindingText } from "./finding-text.js";
import type {
  ChainState,
  EscrowEvent,
  Finding,
  RebuiltBooking,
  RebuiltMerchant,
  RebuiltOffering,
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
};

const lc = (a: string): Address => a.toLowerCase() as Address;
const key = (token: Address, account: Address): string => `${lc(token)}:${lc(account)}`;
const statusName = (s: number): string => BookingStatusNames[s] ?? `Unknown(${s})`;

/** A finding's placeholders as the checks have them; `find` turns them into strings. */
type RawValues = Record<string, string | number | bigint | boolean>;
/** A finding before `find` writes its message. */
type Found = Omit<Finding, "message" | "values"> & { values?: RawValues };

type TxFlows = {
  /** What may be credited to an account in this transaction: the shares paid to it. */
  payable: Map<string, bigint>;
  credited: Map<string, { amount: bigint; event: EscrowEvent }>;
  /** Merchant shares of claim outcomes, per `token:merchant`. */
  claimShares: Map<string, bigint>;
  claimed: Map<string, { amount: bigint; payout: Address; event: EscrowEvent }>;
  /** Set when the transaction settled a booking made before the range: its flows cannot be checked. */
  partial: boolean;
};

/** Compares two events by position in the chain. */
export function compareEvents(a: EscrowEvent, b: EscrowEvent): number {
  if (a.blockNumber !== b.blockNumber) return a.blockNumber < b.blockNumber ? -1 : 1;
  return a.logIndex - b.logIndex;
}

export function verify(
  events: readonly EscrowEvent[],
  state: ChainState | null,
  options: VerifyOptions = {},
): Verification {
  const complete = options.complete ?? true;
  const findings: Finding[] = [];
  const merchants = new Map<Address, RebuiltMerchant>();
  const offerings = new Map<number, RebuiltOffering>();
  const bookings = new Map<bigint, RebuiltBooking>();
  const slots = new Map<string, { seats: number; count: number }>();
  const held = new Map<Address, bigint>();
  const fees = new Map<Address, bigint>();
  const credits = new Map<string, bigint>();
  const allowed = new Set<Address>();
  const txs = new Map<Hex, TxFlows>();
  let feeBps: number | undefined;
  let paused = false;
  let outOfRange = 0;

  const add = (m: Map<Address, bigint>, t: Address, v: bigint) => m.set(lc(t), (m.get(lc(t)) ?? 0n) + v);
  const flows = (e: EscrowEvent): TxFlows => {
    let f = txs.get(e.transactionHash);
    if (!f) {
      f = { payable: new Map(), credited: new Map(), claimShares: new Map(), claimed: new Map(), partial: false };
      txs.set(e.transactionHash, f);
    }
    return f;
  };
  const bump = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v);
  const find = (e: EscrowEvent | null, { values, ...found }: Found) => {
    // Strings only, so the JSON report stays serialisable and the dApp fills its translations with the same values.
    const strings = values && Object.fromEntries(Object.entries(values).map(([name, v]) => [name, String(v)]));
    const f: Finding = { ...found, ...(strings && { values: strings }), message: findingMessage(found.text, strings) };
    findings.push(e ? { ...f, block: e.blockNumber, logIndex: e.logIndex } : f);
  };

  /** The booking an event is about, or undefined (with a finding, or counted as out of range). */
  const bookingFor = (e: EscrowEvent, id: bigint): RebuiltBooking | undefined => {
    const b = bookings.get(id);
    if (b) return b;
    if (!complete) outOfRange++;
    else find(e, { kind: "illegal-transition", bookingId: id, text: "neverBooked", values: { event: e.eventName } });
    return undefined;
  };

  const sorted = [...events].sort(compareEvents);
  for (const e of sorted) {
    const ts = e.blockTimestamp;
    switch (e.eventName) {
      case "FeeSet":
        feeBps = e.args.feeBps;
        if (feeBps > MAX_FEE_BPS) {
          find(e, { kind: "fee-above-cap", text: "feeSetAboveCap", values: { feeBps, cap: MAX_FEE_BPS } });
        }
        break;
      case "PausedSet":
        paused = e.args.paused;
        break;
      case "TokenAllowedSet":
        if (e.args.allowed) allowed.add(lc(e.args.token));
        else allowed.delete(lc(e.args.token));
        break;
      case "MerchantRegistered":
      case "MerchantUpdated":
        merchants.set(lc(e.args.merchant), {
          merchant: lc(e.args.merchant),
          payout: lc(e.args.payout),
          name: e.args.name,
        });
        break;
      case "OfferingCreated": {
        const t = e.args.terms;
        offerings.set(e.args.offeringId, {
          offeringId: e.args.offeringId,
          merchant: lc(e.args.merchant),
          token: lc(t.token),
          depositPerSeat: t.depositPerSeat,
          seatsPerSlot: t.seatsPerSlot,
          slotLength: t.slotLength,
          firstSlotStart: t.firstSlotStart,
          minLeadTime: t.minLeadTime,
          maxAdvance: t.maxAdvance,
          noShowRefundBps: t.noShowRefundBps,
          disputeWindow: t.disputeWindow,
          arbiter: lc(t.arbiter),
          arbiterTimeout: t.arbiterTimeout,
          cancellationTiers: t.cancellationTiers.map((x) => ({ ...x })),
          active: true,
        });
        break;
      }
      case "OfferingActiveSet": {
        const o = offerings.get(e.args.offeringId);
        if (o) o.active = e.args.active;
        break;
      }
      case "Booked": {
        const { bookingId: id, offeringId, slotStart, seats, amount, customer } = e.args;
        const illegal = (text: FindingText, values?: RawValues) =>
          find(e, { kind: "illegal-transition", bookingId: id, offeringId, text, values });
        let n = 0;
        try {
          const parts = decodeBookingId(id);
          n = parts.n;
          if (parts.offeringId !== offeringId || parts.slotStart !== slotStart) {
            illegal("bookingIdMismatch");
          }
        } catch {
          illegal("invalidBookingId");
        }
        const o = offerings.get(offeringId);
        if (!o) {
          if (complete) illegal("unknownOffering", { offeringId });
          else outOfRange++;
          break;
        }
        if (bookings.has(id)) {
          illegal("bookedTwice");
          break;
        }
        if (!o.active) illegal("bookedInactive");
        if (paused) illegal("bookedPaused");
        if (o.token !== zeroAddress && !allowed.has(o.token) && complete) illegal("tokenNotAllowed");
        if (seats === 0) illegal("zeroSeats");
        if (slotStart < o.firstSlotStart || (slotStart - o.firstSlotStart) % o.slotLength !== 0) {
          illegal("offGrid");
        }
        if (ts !== undefined && (slotStart < ts + o.minLeadTime || slotStart > ts + o.maxAdvance)) {
          illegal("outsideBookingWindow");
        }
        const slotKey = `${offeringId}:${slotStart}`;
        const slot = slots.get(slotKey) ?? { seats: 0, count: 0 };
        slots.set(slotKey, slot);
        if (n !== 0 && n !== slot.count + 1) illegal("numberOutOfOrder", { n, expected: slot.count + 1 });
        slot.count = Math.max(slot.count + 1, n);
        slot.seats += seats;
        if (slot.seats > o.seatsPerSlot) {
          find(e, {
            kind: "overbooked-slot",
            bookingId: id,
            offeringId,
            text: "overbooked",
            values: { slotStart, seats: slot.seats, seatsPerSlot: o.seatsPerSlot },
          });
        }
        if (e.args.feeBps > MAX_FEE_BPS) {
          find(e, {
            kind: "fee-above-cap",
            bookingId: id,
            text: "snapshotAboveCap",
            values: { feeBps: e.args.feeBps, cap: MAX_FEE_BPS },
          });
        } else if (feeBps !== undefined && e.args.feeBps !== feeBps) {
          find(e, {
            kind: "fee-snapshot-mismatch",
            bookingId: id,
            text: "snapshotMismatch",
            values: { feeBps: e.args.feeBps, inForce: feeBps },
          });
        }
        bookings.set(id, {
          bookingId: id,
          offeringId,
          slotStart,
          n,
          customer: lc(customer),
          seats,
          amount,
          discount: 0n,
          feeBps: e.args.feeBps,
          status: BookingStatus.Booked,
          checkedIn: false,
          disputed: false,
          bookedBlock: e.blockNumber,
          settledBlock: null,
          refundBps: null,
          customerShare: null,
          merchantShare: null,
          fee: null,
        });
        add(held, o.token, amount);
        break;
      }
      case "CouponRedeemed": {
        const b = bookingFor(e, e.args.bookingId);
        if (b) b.discount += e.args.discount;
        break;
      }
      case "CheckedIn": {
        const b = bookingFor(e, e.args.bookingId);
        if (!b) break;
        const o = offerings.get(b.offeringId)!;
        const illegal = (text: FindingText, values?: RawValues) =>
          find(e, { kind: "illegal-transition", bookingId: b.bookingId, text, values });
        if (b.status !== BookingStatus.Booked && b.status !== BookingStatus.Disputed) {
          illegal("checkedInWhile", { status: statusName(b.status) });
        } else if (b.checkedIn) illegal("checkedInTwice");
        if (ts !== undefined && (ts < b.slotStart - CHECK_IN_OPENS_BEFORE_START || ts >= b.slotStart + o.slotLength)) {
          illegal("checkInOutsideWindow");
        }
        b.checkedIn = true;
        break;
      }
      case "Disputed": {
        const b = bookingFor(e, e.args.bookingId);
        if (!b) break;
        const o = offerings.get(b.offeringId)!;
        const illegal = (text: FindingText, values?: RawValues) =>
          find(e, { kind: "illegal-transition", bookingId: b.bookingId, text, values });
        if (b.status !== BookingStatus.Booked) illegal("disputedWhile", { status: statusName(b.status) });
        if (o.arbiter === zeroAddress) illegal("disputedWithoutArbiter");
        if (ts !== undefined && (ts < b.slotStart || ts >= settlesAt(b, o))) illegal("disputeOutsideWindow");
        b.status = BookingStatus.Disputed;
        b.disputed = true;
        break;
      }
      case "Settled": {
        const b = bookingFor(e, e.args.bookingId);
        if (!b) {
          flows(e).partial = true;
          break;
        }
        settle(e, b);
        break;
      }
      case "Claimed": {
        const k = key(e.args.token, e.args.merchant);
        const f = flows(e);
        const prev = f.claimed.get(k);
        f.claimed.set(k, { amount: (prev?.amount ?? 0n) + e.args.amount, payout: lc(e.args.payout), event: e });
        break;
      }
      case "Credited": {
        const k = key(e.args.token, e.args.account);
        bump(credits, k, e.args.amount);
        const f = flows(e);
        const prev = f.credited.get(k);
        f.credited.set(k, { amount: (prev?.amount ?? 0n) + e.args.amount, event: prev?.event ?? e });
        break;
      }
      case "CreditWithdrawn": {
        const k = key(e.args.token, e.args.account);
        const credit = credits.get(k) ?? 0n;
        if (complete && credit !== e.args.amount) {
          find(e, {
            kind: "credit-mismatch",
            token: lc(e.args.token),
            account: lc(e.args.account),
            text: "creditWithdrawalMismatch",
            values: { amount: e.args.amount, credit },
          });
        }
        credits.set(k, 0n);
        break;
      }
      case "FeesWithdrawn": {
        const owed = fees.get(lc(e.args.token)) ?? 0n;
        if (complete && owed !== e.args.amount) {
          find(e, {
            kind: "fees-owed-mismatch",
            token: lc(e.args.token),
            text: "feesWithdrawalMismatch",
            values: { amount: e.args.amount, owed },
          });
        }
        fees.set(lc(e.args.token), 0n);
        break;
      }
      default:
        break;
    }
  }

  function settle(e: EscrowEvent & { eventName: "Settled" }, b: RebuiltBooking): void {
    const { outcome, customerShare, merchantShare, fee } = e.args;
    const bps = e.args.refundBps;
    const o = offerings.get(b.offeringId)!;
    const ts = e.blockTimestamp;
    const id = b.bookingId;
    const illegal = (text: FindingText, values?: RawValues) =>
      find(e, { kind: "illegal-transition", bookingId: id, text, values });
    const wrongShare = (expected: bigint) =>
      find(e, {
        kind: "refund-share-mismatch",
        bookingId: id,
        text: "wrongRefundShare",
        values: { outcome: statusName(outcome), refundBps: bps, expected },
      });
    const settles = settlesAt(b, o);
    const deadline = settles + o.arbiterTimeout;
    const open = b.status === BookingStatus.Booked || b.status === BookingStatus.Disputed;
    if (!open) illegal("settledWhile", { outcome: statusName(outcome), status: statusName(b.status) });
    switch (outcome) {
      case BookingStatus.CustomerCancelled:
        if (open && b.status !== BookingStatus.Booked) illegal("customerCancelledDisputed");
        if (b.checkedIn) illegal("customerCancelledAfterCheckIn");
        if (ts !== undefined) {
          if (ts >= b.slotStart) illegal("customerCancelledAfterStart");
          else {
            const expected = policyRefundBps(o.cancellationTiers, b.slotStart - ts);
            if (BigInt(expected) !== bps) wrongShare(BigInt(expected));
          }
        }
        break;
      case BookingStatus.MerchantCancelled:
        if (bps !== BPS) wrongShare(BPS);
        break;
      case BookingStatus.Resolved:
        if (open && b.status !== BookingStatus.Disputed) illegal("resolvedWithoutDispute");
        if (bps > BPS) wrongShare(BPS);
        if (ts !== undefined && ts >= deadline) illegal("resolvedAfterDeadline");
        break;
      case BookingStatus.Fulfilled:
      case BookingStatus.NoShow: {
        const fulfilled = outcome === BookingStatus.Fulfilled;
        if (fulfilled !== b.checkedIn) illegal(fulfilled ? "fulfilledWithoutCheckIn" : "noShowAfterCheckIn");
        const expected = fulfilled ? 0n : BigInt(o.noShowRefundBps);
        if (bps !== expected) wrongShare(expected);
        if (ts !== undefined && ts < settles) illegal("claimedEarly");
        if (ts !== undefined && b.status === BookingStatus.Disputed && ts < deadline) {
          illegal("claimedBeforeRuling");
        }
        bump(flows(e).claimShares, key(o.token, o.merchant), merchantShare);
        break;
      }
      default:
        illegal("notAnOutcome", { outcome: statusName(outcome) });
    }
    if (customerShare + merchantShare + fee !== b.amount) {
      find(e, {
        kind: "split-mismatch",
        bookingId: id,
        text: "sharesDoNotSum",
        values: { customerShare, merchantShare, fee, amount: b.amount },
      });
    } else if (bps <= BPS) {
      const want = split(b.amount, bps, b.feeBps);
      if (fee > want.fee) {
        find(e, {
          kind: "fee-above-snapshot",
          bookingId: id,
          text: "feeAboveSnapshot",
          values: { fee, expectedFee: want.fee, feeBps: b.feeBps },
        });
      } else if (fee !== want.fee || customerShare !== want.customerShare) {
        find(e, {
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
    if (open) {
      if (outcome === BookingStatus.CustomerCancelled || outcome === BookingStatus.MerchantCancelled) {
        const slot = slots.get(`${b.offeringId}:${b.slotStart}`);
        if (slot) slot.seats -= b.seats;
      }
      add(held, o.token, -b.amount);
      add(fees, o.token, fee);
    }
    const f = flows(e);
    bump(f.payable, key(o.token, b.customer), customerShare);
    const payout = merchants.get(o.merchant)?.payout;
    if (payout) bump(f.payable, key(o.token, payout), merchantShare);
    b.status = outcome;
    b.settledBlock = e.blockNumber;
    b.refundBps = Number(bps);
    b.customerShare = customerShare;
    b.merchantShare = merchantShare;
    b.fee = fee;
  }

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

  // Per transaction: a claim pays each merchant exactly its bookings' shares; credits come only from payouts.
  for (const f of txs.values()) {
    if (f.partial) continue;
    for (const [k, c] of f.claimed) {
      const [token, merchant] = k.split(":") as [Address, Address];
      const expected = f.claimShares.get(k) ?? 0n;
      if (c.amount !== expected) {
        find(c.event, {
          kind: "claim-mismatch",
          token,
          account: merchant,
          text: "claimAmountMismatch",
          values: { amount: c.amount, expected },
        });
      }
      if (complete && merchants.get(merchant)?.payout !== c.payout) {
        find(c.event, {
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
        find(null, { kind: "claim-mismatch", token, account: merchant, text: "claimWithoutEvent" });
      }
    }
    for (const [k, c] of f.credited) {
      const payable = f.payable.get(k) ?? 0n;
      if (c.amount > payable) {
        const [token, account] = k.split(":") as [Address, Address];
        find(c.event, {
          kind: "credit-mismatch",
          token,
          account,
          text: "creditAbovePayable",
          values: { amount: c.amount, payable },
        });
      }
    }
  }

  // The books per token, and what the views say.
  const tokenSet = new Set<Address>([zeroAddress]);
  for (const o of offerings.values()) tokenSet.add(o.token);
  for (const k of credits.keys()) tokenSet.add(k.split(":")[0] as Address);
  const tokens: TokenBook[] = [];
  const surplus: Surplus[] = [];
  for (const token of [...tokenSet].sort()) {
    let creditSum = 0n;
    for (const [k, v] of credits) if (k.startsWith(`${token}:`)) creditSum += v;
    const depositsHeld = held.get(token) ?? 0n;
    const feesOwed = fees.get(token) ?? 0n;
    const owed = depositsHeld + creditSum + feesOwed;
    const balance = complete && state ? (state.balances.get(token) ?? null) : null;
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

  if (complete && state) {
    for (const b of [...bookings.values()].sort((x, y) => (x.bookingId < y.bookingId ? -1 : 1))) {
      const v = state.bookings.get(b.bookingId);
      const mismatch = (field: string, rebuilt: RawValues[string], view: RawValues[string]) =>
        find(null, {
          kind: "view-mismatch",
          bookingId: b.bookingId,
          text: "viewMismatch",
          values: { field, rebuilt, view },
        });
      if (!v) {
        find(null, { kind: "view-mismatch", bookingId: b.bookingId, text: "bookingNotRead" });
        continue;
      }
      if (v.status === BookingStatus.None) {
        mismatch("status", statusName(b.status), "None");
        continue;
      }
      if (v.status !== b.status) mismatch("status", statusName(b.status), statusName(v.status));
      if (lc(v.customer) !== b.customer) mismatch("customer", b.customer, lc(v.customer));
      if (v.seats !== b.seats) mismatch("seats", b.seats, v.seats);
      if (v.feeBps !== b.feeBps) mismatch("feeBps", b.feeBps, v.feeBps);
      if (v.checkedIn !== b.checkedIn) mismatch("checkedIn", b.checkedIn, v.checkedIn);
      if (v.amount !== b.amount) mismatch("amount", b.amount, v.amount);
      if (v.offeringId !== b.offeringId) mismatch("offeringId", b.offeringId, v.offeringId);
      if (v.slotStart !== b.slotStart) mismatch("slotStart", b.slotStart, v.slotStart);
    }
    for (const [k, rebuilt] of [...credits].sort()) {
      const view = state.credits.get(k);
      if (view !== undefined && view !== rebuilt) {
        const [token, account] = k.split(":") as [Address, Address];
        find(null, {
          kind: "credit-mismatch",
          token,
          account,
          text: "creditViewMismatch",
          values: { rebuilt, view },
        });
      }
    }
    for (const t of tokens) {
      const view = state.feesOwed.get(t.token);
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
    outOfRange,
    events: events.length,
  };
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
