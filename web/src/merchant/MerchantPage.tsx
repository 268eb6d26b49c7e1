import { lazy, Suspense } from "react";
import { useTranslation, withMessages } from "../i18n";
import type { Address } from "viem";
import { useAccount } from "wagmi";
import { Link, Route, Switch } from "wouter";
import { STAFF_CANCEL, STAFF_CHECK_IN, STAFF_COUPONS } from "@earnest/sdk";
import { ClaimPanel } from "./ClaimPanel";
import { CouponsPanel } from "./CouponsPanel";
import { DayView } from "./DayView";
import { DisputesPanel } from "./DisputesPanel";
import { FrontDesk } from "./FrontDesk";
import "./merchant.css";
import "./console.css";
import { NewOfferingPage } from "./NewOfferingPage";
import { OfferingsList } from "./OfferingsList";
import { ProfileForm } from "./ProfileForm";
import { useArbiterDocket, useEmployers, useMerchant } from "./queries";
import { StaffPanel } from "./StaffPanel";

// Charts and their arithmetic are the console's heaviest part and the least urgent on a busy evening.
const AnalyticsPanel = lazy(() => import("./AnalyticsPanel"));
const ReviewsPanel = lazy(() => withMessages(import("./ReviewsPanel"), "reviews"));

/** The merchant acts in every role. */
const ALL_ROLES = STAFF_CHECK_IN | STAFF_CANCEL | STAFF_COUPONS;

const MERCHANT_TABS = [
  ["/", "tabs.overview"],
  ["/day", "tabs.day"],
  ["/desk", "tabs.desk"],
  ["/claim", "tabs.claim"],
  ["/coupons", "tabs.coupons"],
  ["/staff", "tabs.staff"],
  ["/analytics", "tabs.analytics"],
  ["/disputes", "tabs.disputes"],
  ["/reviews", "tabs.reviews"],
] as const;

/** An account that is not a merchant: register, judge disputes, and run the front desk of merchants it is staff of. */
const VISITOR_TABS = [
  ["/", "tabs.overview"],
  ["/desk", "tabs.desk"],
  ["/disputes", "tabs.disputes"],
] as const;

/** The merchant console (nested under `/merchant`); an arbiter that is not a merchant lands on its disputes, with
 *  registering one click away (`#/arbiter` is the arbiter's own page). */
export default function MerchantPage() {
  const { t } = useTranslation("merchant");
  const { address } = useAccount();
  return (
    <section className="merchant-console">
      <h1>{t("title")}</h1>
      {address ? <Console account={address} /> : <p data-testid="merchant-connect">{t("connect")}</p>}
    </section>
  );
}

function Console({ account }: { account: Address }) {
  const { t } = useTranslation("merchant");
  const { data: merchant, isPending } = useMerchant(account);
  // Only an account that is not a merchant looks for merchants it is staff of.
  const employers = useEmployers(account, merchant === null);
  const docket = useArbiterDocket(account);
  if (isPending) return <p className="muted">{t("loading")}</p>;
  const tabs: readonly ((typeof MERCHANT_TABS)[number] | (typeof VISITOR_TABS)[number])[] = merchant
    ? MERCHANT_TABS
    : VISITOR_TABS.filter(([href]) => href !== "/desk" || (employers?.length ?? 0) > 0);
  return (
    <>
      <nav className="tabs">
        {tabs.map(([href, key]) => (
          <Link
            key={href}
            href={href}
            className={(active) => (active ? "active" : "")}
            data-testid={`tab-${href.slice(1) || "overview"}`}
          >
            {href === "/disputes" && docket?.arbitrates
              ? t("tabs.disputesOpen", { count: docket.open.length })
              : t(key)}
          </Link>
        ))}
      </nav>
      <Switch>
        <Route path="/disputes">
          <DisputesPanel account={account} />
        </Route>
        <Route path="/desk">
          {merchant ? (
            <FrontDesk account={account} employers={[{ merchant: account, name: merchant.name, roles: ALL_ROLES }]} />
          ) : employers ? (
            <FrontDesk account={account} employers={employers} />
          ) : (
            <p className="muted">{t("loading")}</p>
          )}
        </Route>
        <Route path="/">
          {merchant ? (
            <>
              <ProfileForm account={account} current={merchant} />
              <OfferingsList account={account} />
            </>
          ) : docket === undefined ? (
            <p className="muted">{t("loading")}</p>
          ) : docket.arbitrates ? (
            // An arbiter came to judge: its disputes first, registering as a merchant only if it asks to.
            <>
              <DisputesPanel account={account} />
              <details className="arbiter-register" data-testid="arbiter-register">
                <summary>{t("disputes.registerToo")}</summary>
                <ProfileForm account={account} current={null} />
              </details>
            </>
          ) : (
            <ProfileForm account={account} current={null} />
          )}
        </Route>
        <Route>
          {merchant ? (
            <Switch>
              <Route path="/offerings/new">
                <NewOfferingPage account={account} payout={merchant.payout} />
              </Route>
              <Route path="/day">
                <DayView merchant={account} roles={ALL_ROLES} />
              </Route>
              <Route path="/claim">
                <ClaimPanel account={account} payout={merchant.payout} />
              </Route>
              <Route path="/coupons">
                <CouponsPanel merchant={account} signer={account} />
              </Route>
              <Route path="/staff">
                <StaffPanel account={account} />
              </Route>
              <Route path="/analytics">
                <Suspense fallback={<p className="muted">{t("loading")}</p>}>
                  <AnalyticsPanel account={account} />
                </Suspense>
              </Route>
              <Route path="/reviews">
                <Suspense fallback={<p className="muted">{t("loading")}</p>}>
                  <ReviewsPanel account={account} />
                </Suspense>
              </Route>
            </Switch>
          ) : (
            <p data-testid="register-first">
              {t("registerFirst")} <Link href="/">{t("tabs.overview")}</Link>
            </p>
          )}
        </Route>
      </Switch>
    </>
  );
}
