import { useTranslation } from "../i18n";
import { isAddressEqual, type Address } from "viem";
import { Link } from "wouter";
import { earnestEscrowAbi, parseMetadata, describeCancellation, formatDuration } from "@earnest/sdk";
import { useOfferings, useReadChain } from "../lib/chain";
import { formatAmount, formatVenueDateTime } from "../lib/format";
import { openingHoursText } from "../offerings/opening-hours-text";
import { useTransactor } from "../tx/TxProvider";

/** The merchant's offerings, newest first, each with its switch to stop (or resume) taking bookings. */
export function OfferingsList({ account }: { account: Address }) {
  const { t, i18n } = useTranslation("merchant");
  const locale = i18n.language;
  const { data } = useOfferings();
  const { deployment } = useReadChain();
  const transactor = useTransactor();
  if (!data || !deployment) return <p className="muted">{t("loading")}</p>;
  const mine = data.offerings.filter((o) => isAddressEqual(o.merchant, account)).reverse();

  return (
    <section>
      <div className="actions">
        <h2>{t("offerings.title")}</h2>
        <Link href="/offerings/new" className="button primary" data-testid="new-offering">
          {t("offerings.new")}
        </Link>
      </div>
      {mine.length === 0 && <p className="muted">{t("offerings.none")}</p>}
      <ul className="cards">
        {mine.map((o) => {
          const meta = parseMetadata(o.metadata);
          return (
            <li
              key={o.id}
              className="card"
              data-testid="merchant-offering"
              data-offering-id={o.id}
              data-active={o.active}
            >
              <h3>
                <Link href={`~/offerings/${o.id}`}>{meta.name}</Link> <span className="muted">#{o.id}</span>
              </h3>
              <p>
                {t("offerings.summary", {
                  amount: formatAmount(o.depositPerSeat, data.tokens[o.token]),
                  seats: o.seatsPerSlot,
                  length: formatDuration(o.slotLength, locale),
                })}
              </p>
              <p data-testid="first-slot">
                {t("offerings.firstSlot", { time: formatVenueDateTime(o.firstSlotStart, meta.timeZone) })}
              </p>
              <p data-testid="offering-hours">
                {meta.openingHours
                  ? t("offerings.openingHours", {
                      hours: openingHoursText(meta.openingHours, locale, (time) => t("builder.nextDay", { time })).join(
                        " · ",
                      ),
                    })
                  : t("offerings.alwaysOpen")}
              </p>
              <p className="muted">{describeCancellation(o.cancellationTiers, locale)}</p>
              <div className="actions">
                <span className="status">{o.active ? t("offerings.active") : t("offerings.inactive")}</span>
                <button
                  type="button"
                  data-testid="toggle-active"
                  onClick={() =>
                    void transactor.send({
                      label: o.active ? t("offerings.deactivateLabel") : t("offerings.activateLabel"),
                      address: deployment.escrow,
                      abi: earnestEscrowAbi,
                      functionName: "setOfferingActive",
                      args: [o.id, !o.active],
                    })
                  }
                >
                  {o.active ? t("offerings.deactivate") : t("offerings.activate")}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
