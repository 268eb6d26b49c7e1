import { useDeferredValue, useEffect } from "react";
import { useTranslation } from "../i18n";
import { Link } from "wouter";
import { describeCancellation, parseMetadata, formatDuration } from "@earnest/sdk";
import { formatAmount, prepareAmountFormat } from "../lib/format";
import { useOfferings, useReadChain } from "../lib/chain";
import { LazyOfferingRating } from "../reviews/lazy";

export function OfferingsPage() {
  const { t, i18n } = useTranslation(["customer", "common"]);
  const { deployment } = useReadChain();
  const { data: latest, error } = useOfferings();
  // A query's answer re-renders at once, in one task; deferred, the cards render as a transition, which React
  // interrupts to let a phone's browser paint and take taps.
  const data = useDeferredValue(latest);
  const locale = i18n.language;
  useEffect(() => {
    const timer = setTimeout(prepareAmountFormat); // a task of its own, after the first paint
    return () => clearTimeout(timer);
  }, [locale]);

  if (!deployment) return <p role="alert">{t("notDeployed")}</p>;
  if (error) return <p role="alert">{t("loadFailed")}</p>;
  if (!data) return <p className="muted">{t("common:loading")}</p>;

  const open = data.offerings.filter((o) => o.active);
  const byMerchant = Object.groupBy(open, (o) => o.merchant);
  return (
    <section>
      <h1>{t("offerings.title")}</h1>
      {data.paused && <p className="banner warning">{t("offerings.paused")}</p>}
      {open.length === 0 && <p className="muted">{t("offerings.none")}</p>}
      {Object.entries(byMerchant).map(([merchant, offerings]) => (
        <article key={merchant} className="merchant" data-testid="merchant">
          <h2>{data.merchants[merchant as `0x${string}`]?.name}</h2>
          <ul className="cards">
            {offerings!.map((offering) => {
              const meta = parseMetadata(offering.metadata);
              return (
                <li key={offering.id} className="card" data-testid="offering">
                  <h3>
                    <Link href={`/offerings/${offering.id}`}>
                      {meta.name || t("offerings.unnamed", { id: offering.id })}
                    </Link>
                  </h3>
                  <LazyOfferingRating offeringId={offering.id} ifLoaded />
                  {meta.description && <p>{meta.description}</p>}
                  <p>
                    {t("offerings.deposit", {
                      amount: formatAmount(offering.depositPerSeat, data.tokens[offering.token]),
                      length: formatDuration(offering.slotLength, locale),
                    })}
                  </p>
                  <p className="muted">{describeCancellation(offering.cancellationTiers, locale)}</p>
                </li>
              );
            })}
          </ul>
        </article>
      ))}
    </section>
  );
}
