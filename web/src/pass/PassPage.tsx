import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { useTranslation, withMessages } from "../i18n";
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
import { formatAmount, formatVenueDateTime } from "../lib/format";
import { QrCode } from "../lib/QrCode";
import { useTransactor } from "../tx/TxProvider";
import { passUrl, savePass } from "./pass-store";

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
  const pass = read(token);
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
  const meta = context.data ? parseMetadata(context.data.offering.metadata) : undefined;

  return (
    <section className="pass" data-testid="pass">
      <h1>{t("title")}</h1>
      {context.data && meta && (
        <p className="pass-venue">
          <strong data-testid="pass-offering">{meta.name}</strong> · {context.data.merchantName}
        </p>
      )}
      <QrCode text={link} label={pass.checkIn ? t("checkInQrLabel") : t("qrLabel")} />
      <p className="muted">{pass.checkIn ? t("showSigned") : t("show")}</p>
      {booking && context.data && result === "valid" && (
        <>
          <CheckInStep pass={pass} booking={booking} offering={context.data.offering} venueZone={meta?.timeZone} />
          <DeskCheckIn pass={pass} booking={booking} offering={context.data.offering} venueZone={meta?.timeZone} />
        </>
      )}
      <dl className="terms">
        <dt>{t("booking")}</dt>
        <dd data-testid="pass-booking-id">{String(pass.bookingId)}</dd>
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
        {booking && (
          <>
            <dt>{t("slot")}</dt>
            <dd data-testid="pass-slot">{formatVenueDateTime(booking.slotStart, meta?.timeZone)}</dd>
            <dt>{t("seats")}</dt>
            <dd>{booking.seats}</dd>
            {context.data && (
              <>
                <dt>{t("amount")}</dt>
                <dd>{formatAmount(booking.amount, context.data.token)}</dd>
              </>
            )}
            <dt>{t("status")}</dt>
            <dd data-testid="pass-status" data-status={booking.status} data-checked-in={booking.checkedIn}>
              {t(`common:status.${booking.status}` as "common:status.1")}
              {booking.checkedIn && ` · ${t("checkedIn")}`}
            </dd>
          </>
        )}
      </dl>
      {booking && booking.status !== BookingStatus.Booked && booking.status !== BookingStatus.Disputed && (
        <p className="banner warning" data-testid="pass-not-valid">
          {t("notValid")}
        </p>
      )}
      <p data-testid="pass-verification" data-result={result ?? (known ? "pending" : "unknownChain")}>
        {!known
          ? t("unknownChain", { chainId: pass.chainId })
          : verification.isPending
            ? t("verifying")
            : verification.error
              ? t("verifyFailed")
              : t(`result.${result!}`)}
      </p>
      <p className="actions pass-code">
        <input
          readOnly
          className="grow"
          data-testid="pass-code"
          aria-label={pass.checkIn ? t("checkInCodeText") : t("codeText")}
          value={link}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" onClick={() => void navigator.clipboard?.writeText(link)}>
          {t("copy")}
        </button>
      </p>
    </section>
  );
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
