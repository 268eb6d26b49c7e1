import { useMemo, useState } from "react";
import { zeroAddress } from "viem";
import { useTranslation } from "../i18n";
import { Link, useLocation, useSearchParams } from "wouter";
import { useAccount, useConfig } from "wagmi";
import { getAccount, switchChain } from "wagmi/actions";
import {
  decodeCouponLink,
  InvalidCouponLinkError,
  type SignedCoupon,
  parseMetadata,
  hashDetails,
  newSalt,
  type BookingDetails,
  describePolicy,
  formatDuration,
  formatShare,
} from "@earnest/sdk";
import { useChainNow, useOfferings, useReadChain } from "../lib/chain";
import { formatAmount, formatTime, localTimeZone } from "../lib/format";
import { dateIn } from "../lib/time-zone";
import { LazyOfferingRating, LazyOfferingReviews } from "../reviews/lazy";
import { savePass } from "../pass/pass-store";
import { useTransactor } from "../tx/TxProvider";
import { bookAndPay } from "./book-flow";
import { chooseBookingPath, confirmations, gaslessPath, isGasless, type GasChoice as Choice } from "./booking-path";
import { GasChoice } from "./GasChoice";
import { usePaymentOptions } from "./payment-options";
import { openingHoursText } from "./opening-hours-text";
import { firstOfferedSlot, useDaySlots } from "./slots";

function readCoupon(token: string | undefined): SignedCoupon | InvalidCouponLinkError | undefined {
  if (!token) return undefined;
  try {
    return decodeCouponLink(token);
  } catch (error) {
    return error as InvalidCouponLinkError;
  }
}

export function OfferingPage({ id, couponToken }: { id: number; couponToken?: string }) {
  const { t, i18n } = useTranslation(["customer", "common"]);
  const locale = i18n.language;
  const { data, isPending } = useOfferings();
  const { chainId, deployment } = useReadChain();
  const now = useChainNow();
  const offering = data?.offerings.find((o) => o.id === id);
  const meta = offering ? parseMetadata(offering.metadata) : undefined;
  const venueZone = meta?.timeZone ?? localTimeZone();
  // The chosen date and slot live in the URL, so a reload (or a link sent to a friend) keeps them.
  const [params, setParams] = useSearchParams();
  const date = params.get("date") ?? "";
  const slotParam = Number(params.get("slot"));
  const slotStart = Number.isInteger(slotParam) && slotParam > 0 ? slotParam : undefined;
  const choose = (next: { date?: string; slot?: number }) =>
    setParams(
      (p) => {
        if (next.date !== undefined) p.set("date", next.date);
        if (next.slot !== undefined) p.set("slot", String(next.slot));
        else p.delete("slot");
        return p;
      },
      { replace: true },
    );
  // Open on the first day that has a slot on offer, not on a day whose slots have all gone by or fall outside the
  // opening hours.
  const firstOffered =
    offering && now !== undefined ? firstOfferedSlot(offering, meta?.openingHours, venueZone, now) : undefined;
  const bookable = (d: string) =>
    offering !== undefined &&
    now !== undefined &&
    d >= dateIn(now + offering.minLeadTime, venueZone) &&
    d <= dateIn(now + offering.maxAdvance, venueZone);
  // A date from the URL outside what can be booked (an old link) falls back to the first day with a slot.
  const day = (bookable(date) ? date : "") || (firstOffered !== undefined ? dateIn(firstOffered, venueZone) : "");
  const slots = useDaySlots(offering, meta?.openingHours, day, venueZone, now);
  const coupon = useMemo(() => readCoupon(couponToken), [couponToken]);

  if (isPending) return <p className="muted">{t("common:loading")}</p>;
  if (!offering || !meta || !data || !deployment) return <p role="alert">{t("offering.notFound", { id })}</p>;

  const token = data.tokens[offering.token];
  const policy = describePolicy(offering, locale);
  const merchant = data.merchants[offering.merchant];
  const chosen = slots.data?.find((s) => s.start === slotStart);
  const lastDay = now !== undefined ? dateIn(now + offering.maxAdvance, venueZone) : undefined;
  const firstDay = now !== undefined ? dateIn(now + offering.minLeadTime, venueZone) : undefined;

  return (
    <section className="offering">
      <p>
        <Link href="/">{t("offering.back")}</Link>
      </p>
      <h1>{meta.name}</h1>
      <p className="muted">
        {merchant?.name} · {t("offering.timeZone", { zone: venueZone })}
      </p>
      <LazyOfferingRating offeringId={id} />
      {meta.description && <p>{meta.description}</p>}
      {meta.openingHours && (
        <p data-testid="opening-hours">
          {t("offering.openingHours", {
            hours: openingHoursText(meta.openingHours, locale, (time) => t("offering.nextDay", { time })).join(" · "),
            zone: venueZone,
          })}
        </p>
      )}
      {meta.hours && <p>{t("offering.hours", { hours: meta.hours })}</p>}
      <dl className="terms">
        <dt>{t("offering.deposit")}</dt>
        <dd>{t("offering.perSeat", { amount: formatAmount(offering.depositPerSeat, token) })}</dd>
        <dt>{t("offering.slotLength")}</dt>
        <dd>{formatDuration(offering.slotLength, locale)}</dd>
        <dt>{t("offering.cancellation")}</dt>
        <dd data-testid="policy-cancellation">{policy.cancellation}</dd>
        <dt>{t("offering.noShow")}</dt>
        <dd>{policy.noShow}</dd>
        <dt>{t("offering.checkIn")}</dt>
        <dd data-testid="policy-check-in">{policy.checkIn}</dd>
        <dt>{t("offering.disputes")}</dt>
        <dd>{policy.disputes}</dd>
        <dt>{t("offering.settlement")}</dt>
        <dd data-testid="policy-settlement">{policy.settlement}</dd>
        <dt>{t("offering.fee")}</dt>
        <dd>{policy.fee}</dd>
        {meta.loyalty && (
          <>
            <dt>{t("offering.loyalty")}</dt>
            <dd data-testid="policy-loyalty">
              {t("offering.loyaltyRule", {
                count: meta.loyalty.visits,
                share: formatShare(meta.loyalty.discountBps, locale),
              })}
            </dd>
          </>
        )}
      </dl>

      {coupon instanceof InvalidCouponLinkError && <p role="alert">{t("coupon.invalid")}</p>}
      {coupon && !(coupon instanceof InvalidCouponLinkError) && coupon.coupon.offeringId !== id && (
        <p role="alert">{t("coupon.otherOffering")}</p>
      )}

      {!offering.active ? (
        <p className="banner warning">{t("offering.closed")}</p>
      ) : (
        <>
          <h2>{t("offering.pickSlot")}</h2>
          <label>
            {t("offering.date")}{" "}
            <input
              type="date"
              value={day}
              min={firstDay}
              max={lastDay}
              onChange={(e) => choose({ date: e.target.value })}
              data-testid="date"
            />
          </label>
          {slots.isPending && slots.fetchStatus !== "idle" && <p className="muted">{t("common:loading")}</p>}
          {slots.data?.length === 0 || (slots.fetchStatus === "idle" && !slots.data) ? (
            <p className="muted">{t("offering.noSlots")}</p>
          ) : null}
          <ul className="slots">
            {slots.data?.map((slot) => (
              <li key={slot.start}>
                <button
                  type="button"
                  className={slot.start === slotStart ? "slot selected" : "slot"}
                  disabled={slot.seatsLeft === 0}
                  aria-pressed={slot.start === slotStart}
                  data-testid="slot"
                  onClick={() => choose({ date: day, slot: slot.start })}
                >
                  <strong>{formatTime(slot.start, venueZone)}</strong>
                  {venueZone !== localTimeZone() && (
                    <span className="muted"> {t("offering.yourTime", { time: formatTime(slot.start) })}</span>
                  )}
                  <span>
                    {slot.seatsLeft === 0 ? t("offering.full") : t("offering.seatsLeft", { count: slot.seatsLeft })}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {chosen && (
            <BookingForm
              key={chosen.start}
              escrow={deployment.escrow}
              chainId={chainId}
              offeringId={id}
              slotStart={chosen.start}
              seatsLeft={chosen.seatsLeft}
              depositPerSeat={offering.depositPerSeat}
              token={token}
              relayer={meta.relayer}
              coupon={coupon instanceof InvalidCouponLinkError || coupon?.coupon.offeringId !== id ? undefined : coupon}
            />
          )}
        </>
      )}
      <LazyOfferingReviews offeringId={id} venueZone={meta.timeZone} />
    </section>
  );
}

type FormProps = {
  escrow: `0x${string}`;
  chainId: number;
  offeringId: number;
  slotStart: number;
  seatsLeft: number;
  depositPerSeat: bigint;
  token: { address: `0x${string}`; symbol: string; decimals: number };
  /** The merchant's relayer, from the offering's metadata. */
  relayer?: string;
  coupon?: SignedCoupon;
};

function BookingForm(props: FormProps) {
  const { escrow, chainId, offeringId, slotStart, seatsLeft, depositPerSeat, token, relayer, coupon } = props;
  const { t } = useTranslation(["customer", "common"]);
  const config = useConfig();
  const transactor = useTransactor();
  const { address, isConnected } = useAccount();
  const [, navigate] = useLocation();
  // What the customer typed, kept as typed: a number out of range is said so, not silently changed.
  const [seatsText, setSeatsText] = useState("1");
  const seatsNumber = Number(seatsText);
  const seatsValid = Number.isInteger(seatsNumber) && seatsNumber >= 1 && seatsNumber <= seatsLeft;
  const seats = seatsValid ? seatsNumber : 1;
  const [details, setDetails] = useState<BookingDetails>({ name: "", contact: "", notes: "" });
  const [busy, setBusy] = useState(false);
  const [choice, setChoice] = useState<Choice>();
  const payment = usePaymentOptions({ chainId, token: token.address, customer: address, relayer });
  // The allowance is read when paying; before that the choice shown assumes none (it decides only the permit).
  const facts = {
    native: token.address === zeroAddress,
    allowanceCovers: false,
    relayer,
    authorization: payment.options.authorizationDomain !== undefined,
    permit: payment.options.permitDomain !== undefined,
    atomicBatch: payment.options.atomicBatch,
    enoughEth: payment.options.enoughEth,
  };
  const gasless = gaslessPath(facts);
  const path = chooseBookingPath(facts, choice);
  const gross = depositPerSeat * BigInt(seats);
  const discount = coupon ? (coupon.coupon.discount < gross ? coupon.coupon.discount : gross) : 0n;
  const amount = gross - discount;
  const fmt = (value: bigint) => formatAmount(value, token);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!address || !seatsValid) return;
    setBusy(true);
    // A wallet on another network is asked to switch, and the booking carries on; if it will not, the transactor
    // says so in its toast.
    if (getAccount(config).chainId !== chainId) await switchChain(config, { chainId }).catch(() => undefined);
    const salt = newSalt();
    const bookingId = await bookAndPay(
      {
        escrow,
        customer: address,
        offeringId,
        slotStart,
        seats,
        detailsHash: hashDetails(details, salt),
        token: token.address,
        amount,
        coupon,
        chainId,
      },
      {
        config,
        transactor,
        labels: {
          book: t("book.label"),
          approve: t("book.approve"),
          permit: t("book.permit"),
          batch: t("book.batch"),
          authorize: t("book.authorize"),
          intent: t("book.intent"),
          relay: t("book.relay"),
          done: t("book.done", { amount: fmt(amount) }),
        },
        formatAmount: fmt,
      },
      { ...payment.options, choice },
    );
    setBusy(false);
    if (bookingId !== undefined) {
      const passToken = savePass({ chainId, escrow, bookingId, details, salt });
      navigate(`/pass/${passToken}`);
    }
  };

  const field = (name: keyof BookingDetails, label: string, required: boolean) => (
    <label>
      {label}
      <input
        value={details[name]}
        required={required}
        maxLength={200}
        onChange={(e) => setDetails({ ...details, [name]: e.target.value })}
        data-testid={`details-${name}`}
      />
    </label>
  );

  return (
    <form className="booking-form" onSubmit={(e) => void submit(e)}>
      <h2>{t("book.title")}</h2>
      <label>
        {t("book.seats")}
        <input
          type="number"
          inputMode="numeric"
          min={1}
          max={seatsLeft}
          value={seatsText}
          onChange={(e) => setSeatsText(e.target.value)}
          aria-invalid={!seatsValid}
          aria-describedby={seatsValid ? undefined : "seats-error"}
          data-testid="seats"
        />
      </label>
      {!seatsValid && (
        <p id="seats-error" role="alert" className="field-error" data-testid="seats-error">
          {t("book.seatsRange", { count: seatsLeft })}
        </p>
      )}
      {field("name", t("book.name"), true)}
      {field("contact", t("book.contact"), false)}
      {field("notes", t("book.notes"), false)}
      <p className="muted">{t("book.privacy")}</p>
      {coupon && <p data-testid="coupon-applied">{t("coupon.applied", { discount: fmt(discount) })}</p>}
      <p>
        <strong data-testid="total">{t("book.total", { amount: fmt(amount) })}</strong>
      </p>
      {isConnected && payment.ready && gasless && (
        <GasChoice
          gasless={gasless}
          signatures={confirmations(gasless, facts)}
          path={path}
          enoughEth={facts.enoughEth}
          onChoose={setChoice}
        />
      )}
      {isConnected && payment.ready && !gasless && !facts.enoughEth && (
        <p className="muted" data-testid="need-eth">
          {t("book.gas.needEth")}
        </p>
      )}
      <button
        type="submit"
        className="primary"
        disabled={!isConnected || busy || !payment.ready || !seatsValid}
        data-testid="pay"
        data-path={payment.ready ? path : undefined}
      >
        {busy
          ? t("book.paying")
          : isGasless(path)
            ? t("book.payGasless", { amount: fmt(amount) })
            : t("book.pay", { amount: fmt(amount) })}
      </button>
      {!isConnected && <p className="muted">{t("book.connectFirst")}</p>}
    </form>
  );
}
