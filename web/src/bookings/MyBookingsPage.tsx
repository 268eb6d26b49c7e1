import { useTranslation } from "../i18n";
import { Link } from "wouter";
import { useState } from "react";
import { isAddress, zeroAddress, type Address } from "viem";
import { useAccount } from "wagmi";
import {
  type CustomerBooking,
  type GetOfferingsReturnType,
  BookingStatus,
  canCancel,
  canCheckIn,
  canDispute,
  canSettle,
  earnestEscrowAbi,
  parseMetadata,
  formatShare,
  MAX_DISPUTE_REASON_BYTES,
  nextRefundDrop,
  refundAt,
  rulingDeadline,
  split,
} from "@earnest/sdk";
import { useCustomerBookings } from "../lib/customer-bookings";
import { useChainNow, useOfferings, useReadChain } from "../lib/chain";
import { formatAmount, formatVenueDateTime } from "../lib/format";
import { passToken } from "../pass/pass-store";
import { useTransactor } from "../tx/TxProvider";
import { useCredits } from "./queries";

export function MyBookingsPage() {
  const { t } = useTranslation(["customer", "common"]);
  const { address } = useAccount();
  const { data: bookings, isPending, error } = useCustomerBookings(address);
  const { data: offerings } = useOfferings();
  const now = useChainNow();

  if (!address) return <p>{t("bookings.connect")}</p>;
  if (error) return <p role="alert">{t("loadFailed")}</p>;
  if (isPending || !offerings || now === undefined) return <p className="muted">{t("common:loading")}</p>;
  return (
    <section>
      <h1>{t("bookings.title")}</h1>
      <Credits account={address} offerings={offerings} />
      {bookings.length === 0 && (
        <p className="muted">
          {t("bookings.none")} <Link href="/">{t("bookings.browse")}</Link>
        </p>
      )}
      <ul className="bookings">
        {bookings.map((booking) => (
          <BookingRow key={String(booking.bookingId)} booking={booking} offerings={offerings} now={now} />
        ))}
      </ul>
    </section>
  );
}

/** Credits: payouts the escrow could not send (a wallet that refused them, a token that blocked the address).
 *  They go to the connected address, or to another one when the token will not pay this one. */
function Credits({ account, offerings }: { account: `0x${string}`; offerings: GetOfferingsReturnType }) {
  const { t } = useTranslation(["customer", "common"]);
  const { data: credits } = useCredits(account);
  const { deployment } = useReadChain();
  const { send } = useTransactor();
  const [to, setTo] = useState("");
  if (!credits?.length || !deployment) return null;
  const recipient = to.trim() === "" ? account : to.trim();
  const validRecipient = isAddress(recipient);
  return (
    <aside className="banner info" data-testid="credits">
      <p>{t("credits.text")}</p>
      <ul>
        {credits.map(({ token, amount }) => (
          <li key={token}>
            {formatAmount(amount, offerings.tokens[token] ?? offerings.tokens[zeroAddress])}{" "}
            <button
              type="button"
              data-testid="withdraw-credit"
              disabled={!validRecipient}
              onClick={() =>
                void send({
                  label: t("credits.withdraw"),
                  address: deployment.escrow,
                  abi: earnestEscrowAbi,
                  functionName: "withdraw",
                  args: [token, recipient as Address],
                })
              }
            >
              {t("credits.withdraw")}
            </button>
          </li>
        ))}
      </ul>
      <details>
        <summary>{t("credits.elsewhere")}</summary>
        <label className="field">
          <span>{t("credits.to")}</span>
          <input
            data-testid="credit-recipient"
            placeholder={account}
            value={to}
            onChange={(e) => setTo(e.target.value)}
            aria-invalid={!validRecipient}
          />
        </label>
        {!validRecipient && <p role="alert">{t("credits.badRecipient")}</p>}
      </details>
    </aside>
  );
}

function BookingRow({
  booking,
  offerings,
  now,
}: {
  booking: CustomerBooking;
  offerings: GetOfferingsReturnType;
  now: number;
}) {
  const { t, i18n } = useTranslation(["customer", "common"]);
  const locale = i18n.language;
  const { chainId, deployment } = useReadChain();
  const { send } = useTransactor();
  const [asking, setAsking] = useState<"cancel" | "dispute">();
  const offering = offerings.offerings.find((o) => o.id === booking.offeringId);
  if (!offering || !deployment) return null;
  const token = offerings.tokens[offering.token];
  const meta = parseMetadata(offering.metadata);
  const fmt = (value: bigint) => formatAmount(value, token);
  const at = (time: number) => formatVenueDateTime(time, meta.timeZone);
  const cancellable = canCancel(booking, now);
  const disputable = canDispute(booking, offering, now);
  const settleable = canSettle(booking, offering, now);
  const refundNow = cancellable ? refundAt(booking, offering.cancellationTiers, now) : 0n;
  const drop = cancellable ? nextRefundDrop(offering.cancellationTiers, booking.slotStart, now) : undefined;
  // Settling pays the customer as the contract's `settle` does: nothing after a check-in, else the no-show share (a
  // dispute froze the check-in state, so an arbiter's timeout settles the same way).
  const settleRefund = split(
    booking.amount,
    booking.checkedIn ? 0 : offering.noShowRefundBps,
    booking.feeBps,
  ).customerShare;
  const pass = passToken(chainId, deployment.escrow, booking.bookingId);
  const signNow = pass !== undefined && canCheckIn(booking, offering, "customerSigned", now);
  const act = (
    request:
      | { functionName: "cancel" | "settle"; args: readonly [bigint] }
      | { functionName: "dispute"; args: readonly [bigint, string] },
    label: string,
  ) =>
    send({ label, address: deployment.escrow, abi: earnestEscrowAbi, ...request, formatAmount: fmt }).then((result) => {
      if (result.ok) setAsking(undefined);
    });

  return (
    <li className="card" data-testid="booking" data-booking-id={String(booking.bookingId)}>
      <h3>{meta.name}</h3>
      <p>
        <span data-testid="booking-time">{at(booking.slotStart)}</span> ·{" "}
        {t("bookings.seats", { count: booking.seats })} · {fmt(booking.amount)}
      </p>
      <p>
        <span className={`status status-${booking.status}`} data-testid="status">
          {t(`common:status.${booking.status}` as "common:status.1")}
        </span>
        {booking.checkedIn && <span className="status"> {t("bookings.checkedIn")}</span>}
      </p>
      {booking.dispute && (
        <p data-testid="dispute-reason">
          {booking.dispute.reason
            ? t("bookings.yourReason", { reason: booking.dispute.reason })
            : t("bookings.noReason")}
          {booking.status === BookingStatus.Disputed &&
            !settleable &&
            " " + t("bookings.arbiterRulesBy", { time: at(rulingDeadline(booking, offering)) })}
        </p>
      )}
      {cancellable && (
        <p data-testid="refund-now">
          {t("bookings.refundNow", { amount: fmt(refundNow) })}
          {drop && " " + t("bookings.refundDrops", { time: at(drop.at), share: formatShare(drop.refundBps, locale) })}
        </p>
      )}
      {signNow && <p data-testid="sign-check-in-hint">{t("bookings.signCheckIn")}</p>}
      {settleable && (
        <p data-testid="settle-preview">
          {settleRefund > 0n
            ? t("bookings.settleGives", { amount: fmt(settleRefund) })
            : booking.checkedIn
              ? t("bookings.settleNothingCheckedIn")
              : t("bookings.settleNothing")}
        </p>
      )}
      <div className="actions">
        {pass && <Link href={`/pass/${pass}`}>{t("bookings.showPass")}</Link>}
        {cancellable &&
          (asking === "cancel" ? (
            <>
              <button
                type="button"
                className="primary"
                data-testid="confirm-cancel"
                onClick={() => void act({ functionName: "cancel", args: [booking.bookingId] }, t("bookings.cancel"))}
              >
                {refundNow > 0n ? t("bookings.cancelFor", { amount: fmt(refundNow) }) : t("bookings.cancelNoRefund")}
              </button>
              <button type="button" className="link" onClick={() => setAsking(undefined)}>
                {t("bookings.keep")}
              </button>
            </>
          ) : (
            <button type="button" data-testid="cancel" onClick={() => setAsking("cancel")}>
              {t("bookings.cancel")}
            </button>
          ))}
        {disputable && asking !== "dispute" && (
          <button type="button" data-testid="dispute" onClick={() => setAsking("dispute")}>
            {t("bookings.dispute")}
          </button>
        )}
        {settleable && (
          <button
            type="button"
            className="primary"
            data-testid="settle"
            onClick={() => void act({ functionName: "settle", args: [booking.bookingId] }, t("bookings.settleLabel"))}
          >
            {t("bookings.settle")}
          </button>
        )}
      </div>
      {disputable && asking === "dispute" && (
        <DisputeForm
          onCancel={() => setAsking(undefined)}
          onSubmit={(reason) =>
            void act({ functionName: "dispute", args: [booking.bookingId, reason] }, t("bookings.disputeLabel"))
          }
        />
      )}
    </li>
  );
}

/** Why the customer disputes, for the arbiter: a short text, counted in bytes as the contract counts it. */
export function DisputeForm({ onSubmit, onCancel }: { onSubmit: (reason: string) => void; onCancel: () => void }) {
  const { t } = useTranslation(["customer", "common"]);
  const [reason, setReason] = useState("");
  const bytes = new TextEncoder().encode(reason).length;
  const tooLong = bytes > MAX_DISPUTE_REASON_BYTES;
  const empty = reason.trim() === "";
  return (
    <form
      className="dispute-form"
      data-testid="dispute-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!tooLong && !empty) onSubmit(reason.trim());
      }}
    >
      <label className="field">
        <span>{t("bookings.reason")}</span>
        <textarea
          data-testid="dispute-reason-input"
          value={reason}
          rows={3}
          aria-invalid={tooLong}
          aria-describedby="dispute-reason-count"
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      <p id="dispute-reason-count" className={tooLong ? "problems" : "muted"} data-testid="dispute-reason-count">
        {t("bookings.reasonBytes", { count: bytes, max: MAX_DISPUTE_REASON_BYTES })}
      </p>
      {tooLong && (
        <p role="alert" className="problems" data-testid="dispute-reason-too-long">
          {t("bookings.reasonTooLong", { max: MAX_DISPUTE_REASON_BYTES })}
        </p>
      )}
      <p className="muted">{t("bookings.disputeHelp")}</p>
      <div className="actions">
        <button type="submit" className="primary" data-testid="confirm-dispute" disabled={tooLong || empty}>
          {t("bookings.confirmDispute")}
        </button>
        <button type="button" className="link" onClick={onCancel}>
          {t("bookings.back")}
        </button>
      </div>
    </form>
  );
}
