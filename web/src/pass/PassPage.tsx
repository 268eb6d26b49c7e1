import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useMemo } from "react";
import i18n, { useTranslation, withMessages } from "../i18n";
import { isAddressEqual, zeroAddress, type Address, type Client } from "viem";
import { useAccount, useClient, useConfig } from "wagmi";
import { signTypedData } from "wagmi/actions";
import { useLocation } from "wouter";
import {
  BookingStatus,
  canCheckIn,
  checkInTypedData,
  checkInWindow,
  CheckInRule,
  decodePass,
  earnestEscrowAbi,
  encodePass,
  InvalidPassError,
  nativeToken,
  parseMetadata,
  readMany,
  STAFF_CHECK_IN,
  verifyPass,
  type BookingPass,
  type BookingView,
  type OfferingInfo,
} from "@earnest/sdk";
import { erc20Abi } from "viem";
import { chains, deploymentOn } from "../config";
import { useChainNow, useReadChain } from "../lib/chain";
import { formatAmount, formatVenueDateTime, localTimeZone } from "../lib/format";
import { calendarFile } from "../lib/ics";
import { QrCode } from "../lib/QrCode";
import { useTransactor } from "../tx/TxProvider";
import { loadSnapshot, passUrl, saveSnapshot, savePass, signedPassToken, type PassSnapshot } from "./pass-store";
import "./pass.css";

// The desk's check-in, for the merchant and its check-in staff only: customers never load it.
const PassDeskCheckIn = lazy(() => withMessages(import("./PassDeskCheckIn"), "merchant"));

function read(token: string): BookingPass | InvalidPassError {
  try {
    return decodePass(token);
  } catch (error) {
    if (error instanceof InvalidPassError) return error;
    throw error;
  }
}

/** The booking pass: what the customer shows at the venue. Opening it checks the details against the chain; from
 *  shortly before the slot the customer signs their check-in here, and the pass then carries it. */
export default function PassPage({ token }: { token: string }) {
  const { t } = useTranslation(["pass", "customer", "common"]);
  // One object per link: the pass's effects and its device copy key on it.
  const pass = useMemo(() => read(token), [token]);
  if (pass instanceof InvalidPassError) return <p role="alert">{t("invalid")}</p>;
  return <ValidPass pass={pass} token={token} />;
}

/** The offering a booking belongs to, its merchant's name and its token: what the pass names. */
function useBookingContext(client: Client, pass: BookingPass, booking: BookingView | undefined) {
  return useQuery({
    queryKey: ["passContext", pass.chainId, pass.escrow, booking?.offeringId],
    queryFn: async () => {
      const escrow = { address: pass.escrow, abi: earnestEscrowAbi } as const;
      const [offering] = await readMany(client, [
        { ...escrow, functionName: "getOffering", args: [booking!.offeringId] },
      ]);
      const [merchant, symbol, decimals] = await readMany(client, [
        { ...escrow, functionName: "getMerchant", args: [offering.merchant] },
        ...(offering.token === zeroAddress
          ? []
          : ([
              { address: offering.token, abi: erc20Abi, functionName: "symbol" },
              { address: offering.token, abi: erc20Abi, functionName: "decimals" },
            ] as const)),
      ]);
      const token = offering.token === zeroAddress ? nativeToken : { address: offering.token, symbol, decimals };
      return { offering: { ...offering, id: booking!.offeringId }, merchantName: merchant.name, token };
    },
    enabled: booking !== undefined,
    staleTime: Infinity,
  });
}

/** A booking passes at the door only while it stands: cancelled, settled or ruled, it is over. */
const stillValid = (status: number) => status === BookingStatus.Booked || status === BookingStatus.Disputed;

function ValidPass({ pass, token }: { pass: BookingPass; token: string }) {
  const { t } = useTranslation(["pass", "customer", "common"]);
  const deploymentOfPass = deploymentOn(pass.chainId);
  // Only Earnest's own escrow counts: any contract could emit a matching event.
  const known = chains.some((c) => c.id === pass.chainId) && deploymentOfPass?.escrow === pass.escrow;
  const client = useClient({ chainId: known ? pass.chainId : undefined }) as Client;
  const verification = useQuery({
    queryKey: ["pass", token],
    queryFn: () => verifyPass(client, { pass, fromBlock: deploymentOfPass?.deployBlock ?? 0n }),
    enabled: known,
    // While a signed code waits at the front desk, the pass shows the check-in as soon as it lands.
    refetchInterval: (query) =>
      pass.checkIn && query.state.data?.result === "valid" && !query.state.data.booking.checkedIn ? 10_000 : false,
  });
  const booking =
    verification.data && verification.data.result !== "unknownBooking" ? verification.data.booking : undefined;
  const context = useBookingContext(client, pass, booking);
  const link = passUrl(token);
  const result = verification.data?.result;
  const meta = useMemo(
    () => (context.data ? parseMetadata(context.data.offering.metadata) : undefined),
    [context.data],
  );

  // What the chain says now, else what it said when this device last read it.
  const live = useMemo((): PassSnapshot | undefined => {
    if (!booking || !context.data || !meta || (result !== "valid" && result !== "mismatch")) return undefined;
    return {
      offering: meta.name,
      venue: context.data.merchantName,
      timeZone: meta.timeZone,
      slotStart: booking.slotStart,
      slotLength: context.data.offering.slotLength,
      seats: booking.seats,
      amount: String(booking.amount),
      token: { symbol: context.data.token.symbol, decimals: context.data.token.decimals },
      status: booking.status,
      checkedIn: booking.checkedIn,
      result,
      verifiedAt: Math.floor(Date.now() / 1000),
    };
  }, [booking, context.data, meta, result]);
  useEffect(() => {
    if (live) saveSnapshot(pass, live);
  }, [live, pass]);
  const kept = useMemo(() => loadSnapshot(pass), [pass]);
  const facts = live ?? kept;
  const unreachable = verification.isError || context.isError;
  const signedToken = signedPassToken(pass);

  const over = facts !== undefined && !stillValid(facts.status);
  const refused = result === "mismatch" || result === "unknownBooking" || (!live && facts?.result === "mismatch");
  const showCode = !over && !refused;
  const zone = facts?.timeZone;

  return (
    <section className="pass" data-testid="pass" data-source={live ? "chain" : facts ? "device" : "none"}>
      <h1>{t("title")}</h1>
      {facts && (
        <div className="pass-head">
          <p className="pass-offering" data-testid="pass-offering">
            {facts.offering}
          </p>
          <p className="pass-venue" data-testid="pass-venue">
            {facts.venue}
          </p>
          <p className="pass-when" data-testid="pass-slot">
            {formatVenueDateTime(facts.slotStart, zone)}
          </p>
        </div>
      )}
      {!live && facts && (
        <p className="banner info" data-testid="pass-as-of" data-offline={unreachable}>
          {t(unreachable ? "asOfOffline" : "asOf", { time: formatVenueDateTime(facts.verifiedAt, zone) })}
        </p>
      )}
      {over && (
        <p className="banner warning pass-over" role="status" data-testid="pass-not-valid">
          {t("notValidStatus", { status: t(`common:status.${facts.status}` as "common:status.1") })}
        </p>
      )}
      {showCode && signedToken && (
        <p>
          <a className="button primary" data-testid="pass-show-signed" href={`#/pass/${signedToken}`}>
            {t("showSignedCode")}
          </a>
        </p>
      )}
      {booking && context.data && result === "valid" && (
        <CheckInStep pass={pass} booking={booking} offering={context.data.offering} venueZone={meta?.timeZone} />
      )}
      {showCode && (
        <>
          <QrCode text={link} label={pass.checkIn ? t("checkInQrLabel") : t("qrLabel")} />
          <p className="muted">{pass.checkIn ? t("showSigned") : t("show")}</p>
        </>
      )}
      <p
        data-testid="pass-verification"
        data-result={over ? "ended" : (result ?? (known ? "pending" : "unknownChain"))}
      >
        {!known
          ? t("unknownChain", { chainId: pass.chainId })
          : verification.isPending
            ? t("verifying")
            : verification.error
              ? t("verifyFailed")
              : over && result === "valid"
                ? t("resultEnded")
                : t(`result.${result!}`)}
      </p>
      {booking && context.data && result === "valid" && (
        <DeskCheckIn pass={pass} booking={booking} offering={context.data.offering} venueZone={meta?.timeZone} />
      )}
      <dl className="terms">
        {facts && (
          <>
            <dt>{t("seats")}</dt>
            <dd data-testid="pass-seats">{facts.seats}</dd>
            <dt>{t("amount")}</dt>
            <dd data-testid="pass-amount">{formatAmount(BigInt(facts.amount), facts.token)}</dd>
            <dt>{t("status")}</dt>
            <dd data-testid="pass-status" data-status={facts.status} data-checked-in={facts.checkedIn}>
              {t(`common:status.${facts.status}` as "common:status.1")}
              {facts.checkedIn && ` · ${t("checkedIn")}`}
            </dd>
          </>
        )}
        <dt>{t("customer:book.name")}</dt>
        <dd>{pass.details.name}</dd>
        {pass.details.contact && (
          <>
            <dt>{t("customer:book.contact")}</dt>
            <dd>{pass.details.contact}</dd>
          </>
        )}
        {pass.details.notes && (
          <>
            <dt>{t("customer:book.notes")}</dt>
            <dd>{pass.details.notes}</dd>
          </>
        )}
        <dt>{t("booking")}</dt>
        <dd data-testid="pass-booking-id">{String(pass.bookingId)}</dd>
      </dl>
      <p className="actions pass-actions">
        {facts && !over && (
          <button type="button" data-testid="pass-calendar" onClick={() => downloadCalendar(pass, facts, link)}>
            {t("addToCalendar")}
          </button>
        )}
        {showCode && (
          <button type="button" onClick={() => void navigator.clipboard?.writeText(link)}>
            {t("copy")}
          </button>
        )}
      </p>
      {showCode && (
        <p className="pass-code">
          <input
            readOnly
            data-testid="pass-code"
            aria-label={pass.checkIn ? t("checkInCodeText") : t("codeText")}
            value={link}
            onFocus={(e) => e.target.select()}
          />
        </p>
      )}
    </section>
  );
}

/** Saves the booking as an .ics file on the venue's clock (its zone named, so calendars show the venue's time). */
function downloadCalendar(pass: BookingPass, facts: PassSnapshot, link: string): void {
  const text = calendarFile({
    uid: `${pass.chainId}-${pass.escrow.toLowerCase()}-${pass.bookingId}@earnest`,
    start: facts.slotStart,
    end: facts.slotStart + facts.slotLength,
    timeZone: facts.timeZone ?? localTimeZone(),
    summary: `${facts.offering} · ${facts.venue}`,
    location: facts.venue,
    description: i18n.t("pass:calendarDescription", {
      seats: facts.seats,
      amount: formatAmount(BigInt(facts.amount), facts.token),
      booking: String(pass.bookingId),
    }),
    url: link,
    stamp: Math.floor(Date.now() / 1000),
  });
  const url = URL.createObjectURL(new Blob([text], { type: "text/calendar;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = `earnest-booking-${pass.bookingId}.ics`;
  a.click();
  // Revoked after the click has been handled: the download has its own copy by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Whether the connected account checks guests in for the offering's merchant: the merchant itself, or staff it
 *  granted the check-in role (read live: a revoked role stops at once). */
function useChecksInFor(client: Client, pass: BookingPass, merchant: Address) {
  const { address } = useAccount();
  const isMerchant = address !== undefined && isAddressEqual(address, merchant);
  const roles = useQuery({
    queryKey: ["staffRoles", pass.chainId, pass.escrow, merchant, address],
    queryFn: async () => {
      const [roles] = await readMany(client, [
        { address: pass.escrow, abi: earnestEscrowAbi, functionName: "staffRoles", args: [merchant, address!] },
      ]);
      return roles;
    },
    enabled: address !== undefined && !isMerchant,
  });
  return isMerchant || ((roles.data ?? 0) & STAFF_CHECK_IN) !== 0;
}

/** The front desk's check-in on the pass itself, for whoever checks guests in for this merchant, on the chain the
 *  wallet sends to. */
function DeskCheckIn({
  pass,
  booking,
  offering,
  venueZone,
}: {
  pass: BookingPass;
  booking: BookingView;
  offering: OfferingInfo;
  venueZone: string | undefined;
}) {
  const client = useClient({ chainId: pass.chainId }) as Client;
  const checksIn = useChecksInFor(client, pass, offering.merchant);
  const { chainId } = useReadChain();
  const now = useChainNow();
  if (!checksIn || chainId !== pass.chainId || now === undefined) return null;
  return (
    <Suspense fallback={null}>
      <PassDeskCheckIn pass={pass} booking={booking} offering={offering} now={now} venueZone={venueZone} />
    </Suspense>
  );
}

/** "I am here": the customer signs the EIP-712 check-in for this booking in their wallet, from shortly before the
 *  slot; the pass then carries the signature, and staff submit it by scanning the code. */
function CheckInStep({
  pass,
  booking,
  offering,
  venueZone,
}: {
  pass: BookingPass;
  booking: BookingView;
  offering: OfferingInfo;
  venueZone: string | undefined;
}) {
  const { t } = useTranslation(["pass", "customer", "common"]);
  const { address } = useAccount();
  const config = useConfig();
  const transactor = useTransactor();
  const [, navigate] = useLocation();
  const now = useChainNow();
  if (booking.checkedIn) {
    return (
      <p className="ok" data-testid="pass-checked-in">
        {t("checkedInDone")}
      </p>
    );
  }
  if (booking.status !== BookingStatus.Booked || now === undefined) return null;
  const { opensAt, closesAt } = checkInWindow(booking, offering, "customerSigned");
  if (now >= closesAt) return null;
  if (pass.checkIn) {
    return (
      <p className="ok" data-testid="pass-signed">
        {t("signed")}
      </p>
    );
  }
  const signOnly = offering.checkInRule === CheckInRule.CustomerSignature;
  if (!canCheckIn(booking, offering, "customerSigned", now)) {
    return (
      <p className="muted" data-testid="pass-sign-opens">
        {t(signOnly ? "signOpensRequired" : "signOpens", { at: formatVenueDateTime(opensAt, venueZone) })}
      </p>
    );
  }
  const isCustomer = address !== undefined && isAddressEqual(address, booking.customer);
  const sign = async () => {
    const signed = await transactor.sign(t("signLabel"), () => signTypedData(config, checkInTypedData(pass)));
    if (!signed.ok) return;
    const withCheckIn = { ...pass, checkIn: signed.value };
    savePass(withCheckIn);
    navigate(`/pass/${encodePass(withCheckIn)}`, { replace: true });
  };
  return (
    <div className="card check-in-step" data-testid="pass-check-in-step">
      <p>{t(signOnly ? "signHelpRequired" : "signHelp")}</p>
      <button
        type="button"
        className="primary"
        data-testid="pass-sign-check-in"
        disabled={!isCustomer}
        onClick={() => void sign()}
      >
        {t("sign")}
      </button>
      {!isCustomer && <p className="muted">{t("signConnect")}</p>}
    </div>
  );
}
