import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useCallback, useState } from "react";
import { useTranslation } from "../i18n";
import { isAddressEqual } from "viem";
import {
  BookingStatus,
  canCheckIn,
  checkInWindow,
  CheckInRule,
  decodePass,
  isOpen,
  parseMetadata,
  STAFF_CHECK_IN,
  verifyPass,
  type BookingPass,
  type BookingView,
  type LedgerOffering,
} from "@earnest/sdk";
import { useReadChain } from "../lib/chain";
import { formatVenueDateTime, shortAddress } from "../lib/format";
import { useBookingActions } from "./booking-actions";
import { canScan, passTokenFrom } from "./pass-link";

const QrScanner = lazy(() => import("./QrScanner"));

function readPass(token: string): BookingPass | undefined {
  try {
    return decodePass(token);
  } catch {
    return undefined;
  }
}

type Props = {
  offerings: Map<number, LedgerOffering>;
  now: number;
  /** What the account at the desk may do: the merchant every role, its staff the roles granted. */
  roles: number;
};

/** Verifies a customer's pass (pasted or scanned) against the booking's on-chain commitment, then checks in: with
 *  the customer's signed code when the pass carries one, else on the merchant's word where the offering allows it. */
export function PassCheck({ offerings, now, roles }: Props) {
  const { t } = useTranslation("merchant");
  const [input, setInput] = useState("");
  const [token, setToken] = useState<string>();
  const [scanning, setScanning] = useState(false);
  const onScan = useCallback((text: string) => {
    setScanning(false);
    setInput(text);
    setToken(passTokenFrom(text));
  }, []);
  const onScanError = useCallback(() => setScanning(false), []);

  return (
    <section className="pass-check">
      <h2>{t("pass.title")}</h2>
      <form
        className="actions"
        onSubmit={(e) => {
          e.preventDefault();
          setToken(passTokenFrom(input));
        }}
      >
        <input
          className="grow"
          data-testid="pass-input"
          placeholder={t("pass.placeholder")}
          aria-label={t("pass.placeholder")}
          value={input}
          onChange={(e) => setInput(e.target.value)}
        />
        <button type="submit" data-testid="pass-verify">
          {t("pass.verify")}
        </button>
        {canScan() && (
          <button type="button" data-testid="pass-scan" onClick={() => setScanning((s) => !s)}>
            {scanning ? t("pass.stopScan") : t("pass.scan")}
          </button>
        )}
      </form>
      {scanning && (
        <Suspense fallback={null}>
          <QrScanner onResult={onScan} onError={onScanError} />
        </Suspense>
      )}
      {token !== undefined && <PassResult token={token} offerings={offerings} now={now} roles={roles} />}
    </section>
  );
}

function PassResult({ token, offerings, now, roles }: Props & { token: string }) {
  const { t } = useTranslation("merchant");
  const { client, chainId, deployment } = useReadChain();
  const pass = readPass(token);
  const here =
    pass !== undefined &&
    deployment !== undefined &&
    pass.chainId === chainId &&
    isAddressEqual(pass.escrow, deployment.escrow);
  const verification = useQuery({
    queryKey: ["merchantPass", chainId, token],
    queryFn: () => verifyPass(client, { pass: pass!, fromBlock: deployment!.deployBlock }),
    enabled: here,
  });

  if (!pass)
    return (
      <p role="alert" data-testid="pass-result" data-result="invalid">
        {t("pass.invalid")}
      </p>
    );
  if (!here)
    return (
      <p role="alert" data-testid="pass-result" data-result="elsewhere">
        {t("pass.elsewhere")}
      </p>
    );
  if (verification.isPending) return <p className="muted">{t("pass.verifying")}</p>;
  if (verification.error) return <p role="alert">{t("loadFailed")}</p>;
  const { result } = verification.data;
  if (result === "unknownBooking") {
    return (
      <p role="alert" data-testid="pass-result" data-result={result}>
        {t("pass.unknownBooking")}
      </p>
    );
  }
  const { booking } = verification.data;
  const offering = offerings.get(booking.offeringId);
  if (!offering)
    return (
      <p role="alert" data-testid="pass-result" data-result="notYours">
        {t("pass.notYours")}
      </p>
    );
  if (result === "mismatch")
    return (
      <p role="alert" data-testid="pass-result" data-result={result}>
        {t("pass.mismatch")}
      </p>
    );

  const venueZone = parseMetadata(offering.metadata).timeZone;
  return (
    <div
      className="card"
      data-testid="pass-result"
      data-result="valid"
      data-booking-id={String(booking.bookingId)}
      data-slot-start={booking.slotStart}
      data-signed={pass.checkIn !== undefined}
    >
      <p className="ok">{t("pass.valid")}</p>
      <dl className="terms">
        <dt>{t("pass.name")}</dt>
        <dd data-testid="pass-name">{pass.details.name}</dd>
        <dt>{t("pass.contact")}</dt>
        <dd>{pass.details.contact || "—"}</dd>
        <dt>{t("pass.notes")}</dt>
        <dd>{pass.details.notes || "—"}</dd>
        <dt>{t("pass.offering")}</dt>
        <dd>{parseMetadata(offering.metadata).name}</dd>
        <dt>{t("pass.slot")}</dt>
        <dd>{formatVenueDateTime(booking.slotStart, venueZone)}</dd>
        <dt>{t("pass.seats")}</dt>
        <dd>{booking.seats}</dd>
        <dt>{t("pass.customer")}</dt>
        <dd className="address" title={booking.customer}>
          {shortAddress(booking.customer)}
        </dd>
        <dt>{t("pass.status")}</dt>
        <dd data-testid="pass-status">
          {t(`status.${booking.status}` as "status.1")}
          {booking.checkedIn && ` · ${t("day.checkedIn")}`}
        </dd>
      </dl>
      {(roles & STAFF_CHECK_IN) !== 0 && (
        <CheckInAction pass={pass} booking={booking} offering={offering} now={now} venueZone={venueZone} />
      )}
    </div>
  );
}

/** The check-in a verified pass allows now, or when it will: the customer's signed code from shortly before the
 *  slot; without one, the merchant's word from the slot's start, and never on an offering that takes only signed
 *  codes. A dispute freezes the check-in state. */
function CheckInAction({
  pass,
  booking,
  offering,
  now,
  venueZone,
}: {
  pass: BookingPass;
  booking: BookingView;
  offering: LedgerOffering;
  now: number;
  venueZone: string | undefined;
}) {
  const { t } = useTranslation("merchant");
  const { checkIn, checkInWithSignature } = useBookingActions();
  if (!isOpen(booking) || booking.checkedIn) return null;
  if (booking.status === BookingStatus.Disputed) {
    return <p className="muted">{t("pass.disputed")}</p>;
  }
  const signature = pass.checkIn;
  if (signature === undefined && offering.checkInRule === CheckInRule.CustomerSignature) {
    return (
      <p className="banner warning" data-testid="check-in-needs-signature">
        {t("pass.needsSignature")}
      </p>
    );
  }
  const kind = signature === undefined ? "merchantWord" : "customerSigned";
  const { opensAt, closesAt } = checkInWindow(booking, offering, kind);
  const allowed = canCheckIn(booking, offering, kind, now);
  const at = (time: number) => formatVenueDateTime(time, venueZone);
  return (
    <>
      {signature !== undefined && <p className="ok">{t("pass.signedByCustomer")}</p>}
      <button
        type="button"
        className="primary"
        data-testid="pass-check-in"
        data-kind={kind}
        disabled={!allowed}
        onClick={() =>
          void (signature === undefined
            ? checkIn(booking.bookingId)
            : checkInWithSignature(booking.bookingId, signature))
        }
      >
        {signature === undefined ? t("pass.checkInWord") : t("pass.checkInSigned")}
      </button>
      {now < opensAt && (
        <p className="muted" data-testid="check-in-opens">
          {signature === undefined
            ? t("pass.wordOpens", {
                at: at(opensAt),
                signedAt: at(checkInWindow(booking, offering, "customerSigned").opensAt),
              })
            : t("pass.signedOpens", { at: at(opensAt) })}
        </p>
      )}
      {now >= closesAt && <p className="muted">{t("pass.checkInEnded", { at: at(closesAt) })}</p>}
    </>
  );
}
