import { useTranslation, withMessages } from "../i18n";
import { Link, useSearchParams } from "wouter";
import { lazy, Suspense, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { isAddress, parseEventLogs, zeroAddress, type Address, type TransactionReceipt } from "viem";
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
  settlesAt,
  split,
} from "@earnest/sdk";
import { useCustomerBookings } from "../lib/customer-bookings";
import { useChainNow, useOfferings, useReadChain } from "../lib/chain";
import { formatAmount, formatVenueDateTime } from "../lib/format";
import { passToken } from "../pass/pass-store";
import { useTransactor } from "../tx/TxProvider";
import { useCredits } from "./queries";
import { bookingGroups, groupBookings, groupOf, type BookingGroup } from "./order";
import { PushToggle } from "./PushToggle";

/** A fulfilled booking's review, loaded with the reviews' messages by the first card that shows one. */
const BookingReview = lazy(() =>
  withMessages(import("./BookingReview"), "reviews").then((m) => ({ default: m.BookingReview })),
);

/** "Your rewards": loyalty progress and the notifier's rewards, loaded lazily with the page. */
const RewardsPanel = lazy(() => import("./RewardsPanel").then((m) => ({ default: m.RewardsPanel })));

/** What an action moved, shown on the booking's card once it is confirmed. */
type Receipt = { kind: "cancel" | "settle" | "dispute"; refund?: bigint; kept?: bigint };

export function MyBookingsPage() {
  const { t } = useTranslation(["customer", "common"]);
  const { address } = useAccount();
  const { data: bookings, isPending, error } = useCustomerBookings(address);
  const { data: offerings } = useOfferings();
  const now = useChainNow();
  // The filter lives in the URL, so a reload (or a shared link) shows the same list.
  const [params, setParams] = useSearchParams();
  const shown = (bookingGroups as readonly string[]).includes(params.get("show") ?? "")
    ? (params.get("show") as BookingGroup)
    : undefined;
  // Receipts kept by booking, above the cards: a cancelled booking moves from "upcoming" to "past", a new card.
  const [receipts, setReceipts] = useState<Record<string, Receipt>>({});

  if (!address) return <p>{t("bookings.connect")}</p>;
  if (error) return <p role="alert">{t("loadFailed")}</p>;
  if (isPending || !offerings || now === undefined) return <p className="muted">{t("common:loading")}</p>;
  const slotLength = (id: number) => offerings.offerings.find((o) => o.id === id)?.slotLength;
  const groups = groupBookings(bookings, slotLength, now);
  return (
    <section>
      <h1>{t("bookings.title")}</h1>
      <p className="muted" data-testid="bookings-count">
        {t("bookings.count", { count: bookings.length })}
      </p>
      <PushToggle />
      <Credits account={address} offerings={offerings} />
      <Suspense fallback={null}>
        <RewardsPanel account={address} bookings={bookings} offerings={offerings} now={now} />
      </Suspense>
      {bookings.length === 0 && (
        <p className="muted">
          {t("bookings.none")} <Link href="/">{t("bookings.browse")}</Link>
        </p>
      )}
      {bookings.length > 0 && (
        <nav className="filters" aria-label={t("bookings.filter")}>
          {([undefined, ...bookingGroups] as const).map((group) => (
            <button
              key={group ?? "all"}
              type="button"
              aria-pressed={shown === group}
              data-testid={`show-${group ?? "all"}`}
              onClick={() =>
                setParams(
                  (p) => {
                    if (group) p.set("show", group);
                    else p.delete("show");
                    return p;
                  },
                  { replace: true },
                )
              }
            >
              {group
                ? t(`bookings.group.${group}`, { count: groups[group].length })
                : t("bookings.group.all", { count: bookings.length })}
            </button>
          ))}
        </nav>
      )}
      {bookingGroups
        .filter((group) => (shown === undefined || shown === group) && groups[group].length > 0)
        .map((group) => (
          <section key={group} data-testid={`group-${group}`} aria-labelledby={`group-${group}`}>
            <h2 id={`group-${group}`}>{t(`bookings.group.${group}`, { count: groups[group].length })}</h2>
            <ul className="bookings">
              {groups[group].map((booking) => (
                <BookingRow
                  key={String(booking.bookingId)}
                  booking={booking}
                  offerings={offerings}
                  now={now}
                  receipt={receipts[String(booking.bookingId)]}
                  onReceipt={(receipt) => setReceipts((r) => ({ ...r, [String(booking.bookingId)]: receipt }))}
                />
              ))}
            </ul>
          </section>
        ))}
    </section>
  );
}

/** The customer's and the rest's shares from a confirmed transaction's `Settled` event for this booking. */
function settledShares(receipt: TransactionReceipt, bookingId: bigint): { refund: bigint; kept: bigint } | undefined {
  const event = parseEventLogs({ abi: earnestEscrowAbi, logs: receipt.logs, eventName: "Settled" }).find(
    (e) => e.args.bookingId === bookingId,
  );
  if (!event) return undefined;
  return { refund: event.args.customerShare, kept: event.args.merchantShare + event.args.fee };
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
  receipt,
  onReceipt,
}: {
  booking: CustomerBooking;
  offerings: GetOfferingsReturnType;
  now: number;
  receipt: Receipt | undefined;
  onReceipt: (receipt: Receipt) => void;
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
  const venue = offerings.merchants[offering.merchant]?.name;
  const fmt = (value: bigint) => formatAmount(value, token);
  const at = (time: number) => formatVenueDateTime(time, meta.timeZone);
  const cancellable = canCancel(booking, now);
  const disputable = canDispute(booking, offering, now);
  const settleable = canSettle(booking, offering, now);
  const awaiting = groupOf(booking, offering.slotLength, now) === "awaiting";
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
  const act = async (
    request:
      | { functionName: "cancel" | "settle"; args: readonly [bigint] }
      | { functionName: "dispute"; args: readonly [bigint, string] },
    label: string,
    done: string,
    expected: Receipt,
  ) => {
    const result = await send({
      label,
      done,
      address: deployment.escrow,
      abi: earnestEscrowAbi,
      ...request,
      formatAmount: fmt,
    });
    if (!result.ok) return;
    setAsking(undefined);
    // What moved, as the chain says it in the `Settled` event; the preview's numbers if the event is not found.
    onReceipt({
      ...expected,
      ...(expected.kind === "dispute" ? {} : settledShares(result.receipt, booking.bookingId)),
    });
  };

  return (
    <li className="card" data-testid="booking" data-booking-id={String(booking.bookingId)}>
      <h3>
        {meta.name}
        {venue && (
          <span className="venue" data-testid="venue">
            {" "}
            · {venue}
          </span>
        )}
      </h3>
      <p>
        <span data-testid="booking-time">{at(booking.slotStart)}</span> ·{" "}
        {t("bookings.seats", { count: booking.seats })} · {fmt(booking.amount)}
      </p>
      <p>
        <span className={`status status-${booking.status}`} data-testid="status">
          {awaiting ? t("bookings.awaiting") : t(`common:status.${booking.status}` as "common:status.1")}
        </span>
        {booking.checkedIn && <span className="status"> {t("bookings.checkedIn")}</span>}
      </p>
      {receipt && (
        <p className="receipt" role="status" data-testid="receipt">
          {receipt.kind === "dispute"
            ? t("bookings.receipt.dispute", { time: at(rulingDeadline(booking, offering)) })
            : t(`bookings.receipt.${receipt.kind}`, {
                refund: fmt(receipt.refund ?? 0n),
                kept: fmt(receipt.kept ?? 0n),
              })}
        </p>
      )}
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
      {awaiting && !settleable && booking.status === BookingStatus.Booked && (
        <p className="muted" data-testid="settles-at">
          {t("bookings.settlesAt", { time: at(settlesAt(booking, offering)) })}
        </p>
      )}
      {settleable && (
        <p data-testid="settle-preview">
          {settleRefund > 0n
            ? t("bookings.settleGives", { amount: fmt(settleRefund) })
            : booking.checkedIn
              ? t("bookings.settleNothingCheckedIn")
              : t("bookings.settleNothing")}
        </p>
      )}
      {booking.status === BookingStatus.Fulfilled && deployment.reviews && (
        <Suspense fallback={null}>
          <BookingReview booking={booking} name={meta.name} venueZone={meta.timeZone} now={now} />
        </Suspense>
      )}
      <div className="actions">
        {pass && <Link href={`/pass/${pass}`}>{t("bookings.showPass")}</Link>}
        {cancellable && (
          <button type="button" data-testid="cancel" onClick={() => setAsking("cancel")}>
            {t("bookings.cancel")}
          </button>
        )}
        {disputable && (
          <button type="button" data-testid="dispute" onClick={() => setAsking("dispute")}>
            {t("bookings.dispute")}
          </button>
        )}
        {settleable && (
          <button
            type="button"
            className="primary"
            data-testid="settle"
            onClick={() =>
              void act(
                { functionName: "settle", args: [booking.bookingId] },
                t("bookings.settleLabel"),
                t("bookings.settleDone", { amount: fmt(settleRefund) }),
                { kind: "settle", refund: settleRefund, kept: booking.amount - settleRefund },
              )
            }
          >
            {t("bookings.settle")}
          </button>
        )}
      </div>
      {cancellable && asking === "cancel" && (
        <CancelDialog
          refund={fmt(refundNow)}
          kept={fmt(booking.amount - refundNow)}
          hasRefund={refundNow > 0n}
          keptNothing={refundNow === booking.amount}
          onClose={() => setAsking(undefined)}
          onConfirm={() => {
            // Closed at once, so the toast under it shows the transaction's progress.
            setAsking(undefined);
            void act(
              { functionName: "cancel", args: [booking.bookingId] },
              t("bookings.cancel"),
              t("bookings.cancelDone", { amount: fmt(refundNow) }),
              { kind: "cancel", refund: refundNow, kept: booking.amount - refundNow },
            );
          }}
        />
      )}
      {disputable && asking === "dispute" && (
        <ConfirmDialog title={t("bookings.disputeTitle", { name: meta.name })} onClose={() => setAsking(undefined)}>
          <DisputeForm
            onCancel={() => setAsking(undefined)}
            onSubmit={(reason) =>
              void act(
                { functionName: "dispute", args: [booking.bookingId, reason] },
                t("bookings.disputeLabel"),
                t("bookings.disputeDone"),
                { kind: "dispute" },
              )
            }
          />
        </ConfirmDialog>
      )}
    </li>
  );
}

/** A modal confirmation: the native <dialog>, which traps focus, closes on Escape and is announced as a dialog. */
export function ConfirmDialog({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    // jsdom has no showModal; there the dialog is simply open.
    if (dialog && !dialog.open) {
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
    }
    return () => dialog?.close?.();
  }, []);
  return (
    <dialog ref={ref} className="confirm" aria-labelledby={titleId} onClose={onClose} data-testid="confirm-dialog">
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

/** Says what cancelling does before it is sent: the refund under the policy now, what the merchant keeps. */
export function CancelDialog({
  refund,
  kept,
  hasRefund,
  keptNothing = false,
  onConfirm,
  onClose,
}: {
  refund: string;
  kept: string;
  hasRefund: boolean;
  /** The whole amount comes back (a full-refund tier). */
  keptNothing?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation(["customer", "common"]);
  return (
    <ConfirmDialog title={t("bookings.cancelTitle")} onClose={onClose}>
      <p data-testid="cancel-outcome">
        {!hasRefund
          ? t("bookings.cancelOutcomeNothing", { kept })
          : keptNothing
            ? t("bookings.cancelOutcomeAll", { refund })
            : t("bookings.cancelOutcome", { refund, kept })}
      </p>
      <p className="muted">{t("bookings.cannotUndo")}</p>
      <div className="actions">
        <button type="button" className="primary" data-testid="confirm-cancel" onClick={onConfirm}>
          {hasRefund ? t("bookings.cancelFor", { amount: refund }) : t("bookings.cancelNoRefund")}
        </button>
        <button type="button" data-testid="keep-booking" onClick={onClose}>
          {t("bookings.keep")}
        </button>
      </div>
    </ConfirmDialog>
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
        <button type="button" onClick={onCancel}>
          {t("bookings.back")}
        </button>
      </div>
    </form>
  );
}
