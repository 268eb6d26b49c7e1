import { useTranslation } from "../i18n";
import { Link } from "wouter";
import { useState } from "react";
import { isAddress, zeroAddress, type Address } from "viem";
import { useAccount } from "wagmi";
import {
  type CustomerBooking,
  type GetOfferingsReturnType,
  canCancel,
  canDispute,
  earnestEscrowAbi,
  parseMetadata,
  formatShare,
  nextRefundDrop,
  refundAt,
} from "@earnest/sdk";
import { useChainNow, useCustomerBookings, useOfferings, useReadChain } from "../lib/chain";
import { formatAmount, formatDateTime } from "../lib/format";
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
  const offering = offerings.offerings.find((o) => o.id === booking.offeringId);
  if (!offering || !deployment) return null;
  const token = offerings.tokens[offering.token];
  const meta = parseMetadata(offering.metadata);
  const fmt = (value: bigint) => formatAmount(value, token);
  const cancellable = canCancel(booking, now);
  const disputable = canDispute(booking, offering, now);
  const refundNow = cancellable ? refundAt(booking, offering.cancellationTiers, now) : 0n;
  const drop = cancellable ? nextRefundDrop(offering.cancellationTiers, booking.slotStart, now) : undefined;
  const pass = passToken(chainId, deployment.escrow, booking.bookingId);
  const action = (functionName: "cancel" | "dispute", label: string) =>
    void send({
      label,
      address: deployment.escrow,
      abi: earnestEscrowAbi,
      functionName,
      args: [booking.bookingId],
      formatAmount: fmt,
    });

  return (
    <li className="card" data-testid="booking" data-booking-id={String(booking.bookingId)}>
      <h3>{meta.name}</h3>
      <p>
        {formatDateTime(booking.slotStart, meta.timeZone)} · {t("bookings.seats", { count: booking.seats })} ·{" "}
        {fmt(booking.amount)}
      </p>
      <p>
        <span className={`status status-${booking.status}`} data-testid="status">
          {t(`common:status.${booking.status}` as "common:status.1")}
        </span>
        {booking.checkedIn && <span className="status"> {t("bookings.checkedIn")}</span>}
      </p>
      {cancellable && (
        <p data-testid="refund-now">
          {t("bookings.refundNow", { amount: fmt(refundNow) })}
          {drop &&
            " " +
              t("bookings.refundDrops", {
                time: formatDateTime(drop.at),
                share: formatShare(drop.refundBps, locale),
              })}
        </p>
      )}
      <div className="actions">
        {pass && <Link href={`/pass/${pass}`}>{t("bookings.showPass")}</Link>}
        {cancellable && (
          <button type="button" data-testid="cancel" onClick={() => action("cancel", t("bookings.cancel"))}>
            {refundNow > 0n ? t("bookings.cancelFor", { amount: fmt(refundNow) }) : t("bookings.cancelNoRefund")}
          </button>
        )}
        {disputable && (
          <button type="button" data-testid="dispute" onClick={() => action("dispute", t("bookings.dispute"))}>
            {t("bookings.dispute")}
          </button>
        )}
      </div>
    </li>
  );
}
