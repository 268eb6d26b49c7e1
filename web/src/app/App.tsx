import { lazy, Suspense } from "react";
import { useAccount } from "wagmi";
import { useTranslation, withMessages } from "../i18n";
import { Link, Route, Router, Switch } from "wouter";
import { useHashLocation } from "wouter/use-hash-location";
import { LedgerOverlay } from "../ledger";
import { OfferingsPage } from "../offerings/OfferingsPage";
import { NetworkBanner } from "../wallet/NetworkBanner";
import { WalletButton } from "../wallet/WalletButton";
import { LanguageSwitch } from "./LanguageSwitch";
import { PageQuery } from "./PageQuery";

// Pages a customer does not need on first visit load on demand, so the first load stays small: a first visit lands
// on the offerings, and booking (wallet writes, signatures) loads with the offering it is for.
const OfferingPage = lazy(() => import("../offerings/OfferingPage").then((m) => ({ default: m.OfferingPage })));
const ReminderBanner = lazy(() => import("../bookings/ReminderBanner").then((m) => ({ default: m.ReminderBanner })));
const MyBookingsPage = lazy(() => import("../bookings/MyBookingsPage").then((m) => ({ default: m.MyBookingsPage })));
const PassPage = lazy(() => withMessages(import("../pass/PassPage"), "pass"));
const MerchantPage = lazy(() => withMessages(import("../merchant/MerchantPage"), "merchant"));
const ArbiterPage = lazy(() => withMessages(import("./ArbiterPage"), "merchant"));
const AuditPage = lazy(() => withMessages(import("../audit/AuditPage"), "audit"));

/** Reminders are about the connected wallet's bookings: nothing to load (the bookings' history, its fold) before
 *  a wallet is connected. */
function Reminders() {
  const { address } = useAccount();
  if (!address) return null;
  return (
    <Suspense fallback={null}>
      <ReminderBanner />
    </Suspense>
  );
}

export function App() {
  const { t } = useTranslation();
  return (
    <Router hook={useHashLocation}>
      <PageQuery />
      <header className="top">
        <Link href="/" className="brand">
          Earnest
        </Link>
        <nav>
          <Link href="/">{t("nav.offerings")}</Link>
          <Link href="/bookings">{t("nav.bookings")}</Link>
          <Link href="/merchant">{t("nav.merchant")}</Link>
          <Link href="/audit">{t("nav.audit")}</Link>
        </nav>
        <LanguageSwitch />
        <WalletButton />
      </header>
      <NetworkBanner />
      <Reminders />
      <main>
        <Suspense fallback={<p className="muted">{t("loading")}</p>}>
          <Switch>
            <Route path="/" component={OfferingsPage} />
            <Route path="/offerings/:id">{(params) => <OfferingPage id={Number(params.id)} />}</Route>
            <Route path="/offerings/:id/coupon/:coupon">
              {(params) => <OfferingPage id={Number(params.id)} couponToken={params.coupon} />}
            </Route>
            <Route path="/bookings" component={MyBookingsPage} />
            <Route path="/pass/:token">{(params) => <PassPage token={params.token} />}</Route>
            <Route path="/merchant" nest>
              <MerchantPage />
            </Route>
            <Route path="/arbiter" component={ArbiterPage} />
            <Route path="/audit" component={AuditPage} />
            <Route>
              <p>{t("notFound")}</p>
            </Route>
          </Switch>
        </Suspense>
      </main>
      <LedgerOverlay />
    </Router>
  );
}
