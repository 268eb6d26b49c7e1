import { useState } from "react";
import { useTranslation } from "../i18n";
import type { Address } from "viem";
import {
  type LedgerBooking,
  type LedgerOffering,
  rulingDeadline,
  earnestEscrowAbi,
  parseMetadata,
  formatShare,
  split,
} from "@earnest/sdk";
import { useChainNow, useOfferings, useReadChain } from "../lib/chain";
import { formatAmount, formatVenueDateTime, shortAddress } from "../lib/format";
import { useTransactor } from "../tx/TxProvider";
import { decimal } from "./policy-form";
import { useArbiterDocket, useEscrowEvents } from "./queries";

/** The disputes this account judges as an arbiter, how many are open, each with the customer's reason and its
 *  ruling form while the arbiter may still rule. */
export function DisputesPanel({ account }: { account: Address }) {
  const { t } = useTranslation("merchant");
  const docket = useArbiterDocket(account);
  const { error } = useEscrowEvents();
  const now = useChainNow();
  if (error) return <p role="alert">{t("loadFailed")}</p>;
  if (!docket || now === undefined) return <p className="muted">{t("loading")}</p>;
  const { ledger, arbitrates, open } = docket;

  return (
    <section>
      <h2>{t("disputes.title")}</h2>
      {!arbitrates && <p className="muted">{t("disputes.notArbiter")}</p>}
      {arbitrates && (
        <p data-testid="disputes-count" data-count={open.length}>
          <strong>{t("disputes.open", { count: open.length })}</strong>
        </p>
      )}
      {arbitrates && open.length === 0 && (
        <p className="muted" data-testid="disputes-none">
          {t("disputes.none")}
        </p>
      )}
      <ul className="bookings">
        {open.map((booking) => (
          <DisputeCard
            key={String(booking.bookingId)}
            booking={booking}
            offering={ledger.offerings.get(booking.offeringId)!}
            now={now}
          />
        ))}
      </ul>
    </section>
  );
}

function DisputeCard({ booking, offering, now }: { booking: LedgerBooking; offering: LedgerOffering; now: number }) {
  const { t, i18n } = useTranslation("merchant");
  const locale = i18n.language;
  const { data: offerings } = useOfferings();
  const { deployment } = useReadChain();
  const transactor = useTransactor();
  const [share, setShare] = useState("");
  const token = offerings?.tokens[offering.token];
  const meta = parseMetadata(offering.metadata);
  const deadline = rulingDeadline(booking, offering);
  const percent = decimal(share);
  const bps = percent === undefined || percent > 100 ? undefined : Math.round(percent * 100);
  const preview = bps === undefined ? undefined : split(booking.amount, bps, booking.feeBps);

  return (
    <li className="card" data-testid="dispute" data-booking-id={String(booking.bookingId)}>
      <h3>
        {meta.name} · {formatVenueDateTime(booking.slotStart, meta.timeZone)}
      </h3>
      <p>
        {t("disputes.summary", {
          customer: shortAddress(booking.customer),
          seats: t("disputes.seats", { count: booking.seats }),
          amount: token ? formatAmount(booking.amount, token) : String(booking.amount),
          checkedIn: booking.checkedIn ? t("disputes.checkedIn") : t("disputes.notCheckedIn"),
        })}
      </p>
      <figure className="reason">
        <figcaption>{t("disputes.reason")}</figcaption>
        <blockquote data-testid="dispute-reason">{booking.dispute?.reason || t("disputes.noReason")}</blockquote>
      </figure>
      {now >= deadline ? (
        <p className="muted">{t("disputes.timedOut", { at: formatVenueDateTime(deadline, meta.timeZone) })}</p>
      ) : (
        <form
          className="actions"
          onSubmit={(e) => {
            e.preventDefault();
            if (bps === undefined || !deployment) return;
            void transactor.send({
              label: t("disputes.resolveLabel"),
              done: t("disputes.resolved", { share: formatShare(bps, locale) }),
              address: deployment.escrow,
              abi: earnestEscrowAbi,
              functionName: "resolve",
              args: [booking.bookingId, bps],
            });
          }}
        >
          <label>
            {t("disputes.refundShare")}{" "}
            <input
              inputMode="decimal"
              size={6}
              data-testid="dispute-share"
              value={share}
              onChange={(e) => setShare(e.target.value)}
            />{" "}
            %
          </label>
          <button type="submit" className="primary" data-testid="dispute-resolve" disabled={bps === undefined}>
            {t("disputes.resolve")}
          </button>
          <span className="muted">{t("disputes.deadline", { at: formatVenueDateTime(deadline, meta.timeZone) })}</span>
        </form>
      )}
      {preview && token && bps !== undefined && (
        <p data-testid="dispute-preview">
          {t("disputes.preview", {
            share: formatShare(bps, locale),
            customer: formatAmount(preview.customerShare, token),
            merchant: formatAmount(preview.merchantShare, token),
            fee: formatAmount(preview.fee, token),
          })}
        </p>
      )}
      {share.trim() !== "" && bps === undefined && <p role="alert">{t("disputes.badShare")}</p>}
    </li>
  );
}
