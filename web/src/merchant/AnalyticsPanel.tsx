import { useMemo, useState } from "react";
import { useTranslation } from "../i18n";
import { formatUnits, type Address } from "viem";
import {
  analyticsCsv,
  analyze,
  type Analytics,
  type Period,
  type TokenInfo,
  parseMetadata,
  formatDuration,
  formatShare,
  type PolicyLocale,
} from "@earnest/sdk";
import { useChainNow, useOfferings, useReadChain } from "../lib/chain";
import { useReviews } from "../reviews/queries";
import { formatRating } from "../reviews/rating-text";
import { formatAmount, localTimeZone } from "../lib/format";
import { BarChart, HeatMap } from "./charts";
import "./console.css";
import { useEscrowEvents, useLedger } from "./queries";

const PERIODS: Period[] = ["day", "week", "month"];

/** Monday to Sunday in the reader's language (1 January 2024 was a Monday). */
function weekdayNames(language: string): string[] {
  const format = new Intl.DateTimeFormat(language, { weekday: "short", timeZone: "UTC" });
  return Array.from({ length: 7 }, (_, i) => format.format(new Date(Date.UTC(2024, 0, 1 + i))));
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/** A chart's accessible name: its title and every value it shows (a screen reader cannot see the bars). */
function useDescribe() {
  const { t } = useTranslation("merchant");
  return (label: string, values: string[]) =>
    values.length === 0
      ? t("analytics.noValues", { label })
      : t("analytics.chartValues", { label, values: values.join("; ") });
}

/** Peak times, lead times, cancellation, no-show and repeat-customer rates and revenue per token over time, from the
 *  chain's events. */
export default function AnalyticsPanel({ account }: { account: Address }) {
  const { t, i18n } = useTranslation("merchant");
  const ledger = useLedger({ merchant: account });
  const { error } = useEscrowEvents();
  const { data: offerings } = useOfferings();
  const now = useChainNow();
  const { data: reviews } = useReviews();
  const { chainId, deployment } = useReadChain();
  const escrow = deployment?.escrow;
  const [offeringId, setOfferingId] = useState<number>();
  const [period, setPeriod] = useState<Period>("week");
  // The clock moves every render; a minute's precision is plenty for no-show counts.
  const minute = now === undefined ? undefined : Math.floor(now / 60) * 60;
  const analytics = useMemo(
    () =>
      ledger && minute !== undefined
        ? analyze(ledger, {
            now: minute,
            offeringId,
            period,
            fallbackTimeZone: localTimeZone(),
            reviews,
            escrow: escrow && { chainId, address: escrow },
          })
        : undefined,
    [ledger, minute, offeringId, period, reviews, chainId, escrow],
  );
  if (error) return <p role="alert">{t("loadFailed")}</p>;
  if (!ledger || !analytics || !offerings) return <p className="muted">{t("loading")}</p>;

  return (
    <section className="analytics" data-testid="analytics">
      <div className="actions">
        <h2>{t("analytics.title")}</h2>
        <select
          aria-label={t("analytics.offering")}
          data-testid="analytics-offering"
          value={offeringId ?? ""}
          onChange={(e) => setOfferingId(e.target.value === "" ? undefined : Number(e.target.value))}
        >
          <option value="">{t("analytics.all")}</option>
          {[...ledger.offerings.values()].map((o) => (
            <option key={o.id} value={o.id}>
              {parseMetadata(o.metadata).name} #{o.id}
            </option>
          ))}
        </select>
        <select aria-label={t("analytics.period")} value={period} onChange={(e) => setPeriod(e.target.value as Period)}>
          {PERIODS.map((p) => (
            <option key={p} value={p}>
              {t(`analytics.periods.${p}`)}
            </option>
          ))}
        </select>
        <button
          type="button"
          data-testid="analytics-csv"
          onClick={() =>
            download(
              `earnest-analytics-${offeringId ?? "all"}-${period}.csv`,
              analyticsCsv(analytics, offerings.tokens),
            )
          }
        >
          {t("analytics.csv")}
        </button>
      </div>
      <Summary analytics={analytics} locale={i18n.language} />
      <h3>{t("analytics.peak")}</h3>
      <PeakTimes heatMap={analytics.heatMap} days={weekdayNames(i18n.language)} />
      <h3>{t("analytics.leadTime")}</h3>
      <LeadTimes buckets={analytics.leadTime.buckets} locale={i18n.language} />
      <h3>{t("analytics.revenue")}</h3>
      {analytics.revenue.length === 0 && <p className="muted">{t("analytics.noRevenue")}</p>}
      {analytics.revenue.map((series) => (
        <Revenue key={series.token} series={series} token={offerings.tokens[series.token]} />
      ))}
      {analytics.ratings.count > 0 && (
        <>
          <h3>{t("analytics.ratings")}</h3>
          <Ratings points={analytics.ratings.points} locale={i18n.language} />
        </>
      )}
    </section>
  );
}

function PeakTimes({ heatMap, days }: { heatMap: number[][]; days: string[] }) {
  const { t } = useTranslation("merchant");
  const describe = useDescribe();
  const busy = heatMap.flatMap((hours, day) =>
    hours.flatMap((seats, hour) =>
      seats === 0
        ? []
        : [
            t("analytics.seatsAt", {
              day: days[day],
              hour: String(hour).padStart(2, "0"),
              seats: t("analytics.seatsN", { count: seats }),
            }),
          ],
    ),
  );
  return <HeatMap cells={heatMap} dayLabels={days} label={describe(t("analytics.peak"), busy)} />;
}

function LeadTimes({ buckets, locale }: { buckets: Analytics["leadTime"]["buckets"]; locale: PolicyLocale }) {
  const { t } = useTranslation("merchant");
  const describe = useDescribe();
  const bars = buckets.map((b) => {
    const label = b.to === undefined ? `≥ ${formatDuration(b.from, locale)}` : `< ${formatDuration(b.to, locale)}`;
    return { label, value: b.bookings, title: `${label}: ${t("analytics.bookingsN", { count: b.bookings })}` };
  });
  return (
    <BarChart
      testId="lead-time-chart"
      label={describe(
        t("analytics.leadTime"),
        bars.map((b) => b.title),
      )}
      bars={bars}
    />
  );
}

function Summary({ analytics, locale }: { analytics: Analytics; locale: PolicyLocale }) {
  const { t } = useTranslation("merchant");
  const rate = (value: number | undefined) =>
    value === undefined ? "—" : formatShare(Math.round(value * 10_000), locale);
  return (
    <dl className="terms" data-testid="analytics-summary">
      <dt>{t("analytics.bookings")}</dt>
      <dd data-testid="analytics-bookings">
        {t("analytics.bookingsSeats", {
          bookings: t("analytics.bookingsCount", { count: analytics.bookings }),
          seats: t("analytics.seatsCount", { count: analytics.seats }),
        })}
      </dd>
      <dt>{t("analytics.cancellationRate")}</dt>
      <dd data-testid="analytics-cancellation-rate">
        {rate(analytics.cancellations.rate)}{" "}
        <span className="muted">
          {t("analytics.cancelledBy", {
            customer: analytics.cancellations.byCustomer,
            merchant: analytics.cancellations.byMerchant,
          })}
        </span>
      </dd>
      <dt>{t("analytics.noShowRate")}</dt>
      <dd data-testid="analytics-no-show-rate">
        {rate(analytics.noShows.rate)}{" "}
        <span className="muted">
          {t("analytics.noShowsOf", {
            noShows: t("analytics.noShowsN", { count: analytics.noShows.noShows }),
            attended: analytics.noShows.attended,
          })}
        </span>
      </dd>
      <dt>{t("analytics.repeat")}</dt>
      <dd
        data-testid="analytics-repeat"
        data-fulfilled={analytics.repeatCustomers.fulfilled}
        data-from-returning={analytics.repeatCustomers.fromReturning}
      >
        <span className="repeat-customers">{rate(analytics.repeatCustomers.share)}</span>{" "}
        <span className="muted">
          {t("analytics.repeatOf", {
            fromReturning: analytics.repeatCustomers.fromReturning,
            count: analytics.repeatCustomers.fulfilled,
          })}
        </span>
      </dd>
      <dt>{t("analytics.rating")}</dt>
      <dd data-testid="analytics-rating">
        {analytics.ratings.average === undefined
          ? t("analytics.noRatings")
          : t("analytics.ratingOf", {
              average: formatRating(analytics.ratings.average, locale),
              count: analytics.ratings.count,
            })}
      </dd>
      <dt>{t("analytics.rewards")}</dt>
      <dd data-testid="analytics-rewards">
        {analytics.rewards.redeemed === undefined
          ? t("analytics.rewardsIssued", { issued: analytics.rewards.issued })
          : t("analytics.rewardsOf", analytics.rewards)}
      </dd>
      <dt>{t("analytics.medianLead")}</dt>
      <dd>
        {analytics.leadTime.medianSeconds === undefined
          ? "—"
          : formatDuration(analytics.leadTime.medianSeconds, locale)}
      </dd>
    </dl>
  );
}

/** The average rating per period (of the review's date, in the venue's calendar). */
function Ratings({ points, locale }: { points: Analytics["ratings"]["points"]; locale: string }) {
  const { t } = useTranslation("merchant");
  const describe = useDescribe();
  const bars = points.map((p) => ({
    label: p.period,
    value: p.average,
    valueLabel: formatRating(p.average, locale),
    title: t("analytics.ratingPoint", { period: p.period, average: formatRating(p.average, locale), count: p.count }),
  }));
  return (
    <BarChart
      testId="rating-chart"
      label={describe(
        t("analytics.ratings"),
        bars.map((b) => b.title),
      )}
      bars={bars}
    />
  );
}

/** One token's revenue per period (the period picked above, in the venue's calendar), in that token's units. */
function Revenue({ series, token }: { series: Analytics["revenue"][number]; token: TokenInfo }) {
  const { t } = useTranslation("merchant");
  const describe = useDescribe();
  const bars = series.points.map((p) => ({
    label: p.period,
    value: Number(formatUnits(p.amount, token.decimals)),
    // The symbol is in the chart's title; the bar prints the number only, so it fits above a narrow bar.
    valueLabel: formatAmount(p.amount, { ...token, symbol: "" }).trim(),
    title: `${p.period}: ${formatAmount(p.amount, token)}`,
  }));
  const title = t("analytics.revenueOf", { symbol: token.symbol });
  return (
    <div data-testid="revenue" data-token={series.token}>
      <h4>{title}</h4>
      <p>{t("analytics.revenueTotal", { amount: formatAmount(series.total, token) })}</p>
      <BarChart
        testId="revenue-chart"
        label={describe(
          title,
          bars.map((b) => b.title),
        )}
        bars={bars}
      />
    </div>
  );
}
