// Risk rules, run on each confirmed event inside the ingestion transaction. Counting windows use block time and
// the stored (live) events, so the same chain always raises the same alerts, also after a restart or a reorg.
import { BookingStatus, unhandledEvent, type EscrowEvent } from "@earnest/sdk";
import type { Address } from "viem";
import type { RiskConfig } from "./config.js";
import type { EventRecord, Store } from "./store.js";

export type Alert = {
  /** Stable: the rule and the event that tripped it. */
  id: string;
  rule: "bookingBurst" | "cancellationSpike" | "largeDeposit" | "disputeOpened";
  /** What the alert is about: a customer address, an offering id or a booking id. */
  subject: string;
  message: string;
  details: Record<string, string | number>;
};

/** The outcomes a cancellation spike counts. */
const CANCELLED: readonly number[] = [BookingStatus.CustomerCancelled, BookingStatus.MerchantCancelled];

/** The alerts `decoded` raises; `event` is its stored record (block time, routing). */
export function evaluateRisk(
  store: Store,
  risk: RiskConfig,
  event: EventRecord,
  decoded: EscrowEvent,
  token: Address | undefined,
): Alert[] {
  const alerts: Alert[] = [];
  const raise = (alert: Omit<Alert, "id">) => {
    const id = `alert:${alert.rule}:${event.id}`;
    if (store.putAlert(id, alert.rule, alert.subject, event.blockTime, event.id)) alerts.push({ id, ...alert });
  };

  switch (decoded.eventName) {
    case "Booked":
      bookingRules(store, risk, event, decoded.args.amount, token, raise);
      break;
    case "Settled":
      if (CANCELLED.includes(decoded.args.outcome)) cancellationRule(store, risk, event, raise);
      break;
    case "Disputed":
      if (risk.disputeOpened) {
        const { reason } = decoded.args;
        raise({
          rule: "disputeOpened",
          subject: String(event.bookingId),
          message: `Dispute opened on booking ${event.bookingId} (offering ${event.offeringId}): ${JSON.stringify(reason)}`,
          details: { bookingId: String(event.bookingId), offeringId: event.offeringId ?? 0, reason },
        });
      }
      break;
    // No rule watches these.
    case "CheckedIn":
    case "Claimed":
    case "CouponRedeemed":
    case "CreditWithdrawn":
    case "Credited":
    case "EIP712DomainChanged":
    case "FeeRecipientSet":
    case "FeeSet":
    case "FeesWithdrawn":
    case "MerchantRegistered":
    case "MerchantUpdated":
    case "OfferingActiveSet":
    case "OfferingCreated":
    case "OwnershipTransferStarted":
    case "OwnershipTransferred":
    case "PausedSet":
    case "StaffRolesSet":
    case "TokenAllowedSet":
      break;
    default:
      unhandledEvent(decoded);
  }
  return alerts;
}

type Raise = (alert: Omit<Alert, "id">) => void;

function bookingRules(
  store: Store,
  risk: RiskConfig,
  event: EventRecord,
  amount: bigint,
  token: Address | undefined,
  raise: Raise,
): void {
  if (event.customer) {
    const rule = risk.bookingBurst;
    if (rule) {
      const since = event.blockTime - rule.windowSeconds;
      const subject = event.customer.toLowerCase();
      // One alert per window and subject; checking that first keeps the count bounded during a long burst.
      const n = store.alertSince("bookingBurst", subject, since)
        ? 0
        : store.countEvents("Booked", "customer", subject, since, rule.count);
      if (n >= rule.count) {
        raise({
          rule: "bookingBurst",
          subject,
          message: `${n} bookings from ${event.customer} within ${rule.windowSeconds} s`,
          details: { customer: event.customer, bookings: n, windowSeconds: rule.windowSeconds, threshold: rule.count },
        });
      }
    }
    const threshold = token === undefined ? undefined : risk.largeDeposit.get(token);
    if (threshold !== undefined && amount >= threshold) {
      raise({
        rule: "largeDeposit",
        subject: String(event.bookingId),
        message: `Deposit of ${amount} (token ${token}) on booking ${event.bookingId}, threshold ${threshold}`,
        details: {
          bookingId: String(event.bookingId),
          customer: event.customer,
          token: token!,
          amount: amount.toString(),
          threshold: threshold.toString(),
        },
      });
    }
  }
}

function cancellationRule(store: Store, risk: RiskConfig, event: EventRecord, raise: Raise): void {
  const rule = risk.cancellationSpike;
  if (!rule || event.offeringId === null) return;
  const since = event.blockTime - rule.windowSeconds;
  const subject = String(event.offeringId);
  const n = store.alertSince("cancellationSpike", subject, since)
    ? 0
    : store.countSettlements(event.offeringId, CANCELLED, since, rule.count);
  if (n >= rule.count) {
    raise({
      rule: "cancellationSpike",
      subject,
      message: `${n} cancellations on offering ${event.offeringId} within ${rule.windowSeconds} s`,
      details: {
        offeringId: event.offeringId,
        cancellations: n,
        windowSeconds: rule.windowSeconds,
        threshold: rule.count,
      },
    });
  }
}
