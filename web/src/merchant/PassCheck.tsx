import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useCallback, useState } from "react";
import { useTranslation } from "../i18n";
import { isAddressEqual } from "viem";
import { type LedgerOffering, verifyPass, isOpen, parseMetadata, decodePass, type BookingPass } from "@earnest/sdk";
import { useReadChain } from "../lib/chain";
import { formatDateTime, shortAddress } from "../lib/format";
import { checkInWindow, useBookingActions } from "./booking-actions";
import { canScan, passTokenFrom } from "./pass-link";

const QrScanner = lazy(() => import("./QrScanner"));

function readPass(token: string): BookingPass | undefined {
  try {
    return decodePass(token);
  } catch {
    return undefined;
  }
}

/** Verifies a customer's pass (pasted or scanned) against the booking's on-chain commitment, then checks in. */
export function PassCheck({ offerings, now }: { offerings: Map<number, LedgerOffering>; now: number }) {
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
      {token !== undefined && <PassResult token={token} offerings={offerings} now={now} />}
    </section>
  );
}

function PassResult({ token, offerings, now }: { token: string; offerings: Map<number, LedgerOffering>; now: number }) {
  const { t } = useTranslation("merchant");
  const { client, chainId, deployment } = useReadChain();
  const { checkIn } = useBookingActions();
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
  const checkInHours = checkInWindow(booking.slotStart, offering.slotLength);
  const open = isOpen(booking);
  return (
    <div
      className="card"
      data-testid="pass-result"
      data-result="valid"
      data-booking-id={String(booking.bookingId)}
      data-slot-start={booking.slotStart}
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
        <dd>{formatDateTime(booking.slotStart, venueZone)}</dd>
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
      {open && !booking.checkedIn && (
        <>
          <button
            type="button"
            className="primary"
            data-testid="pass-check-in"
            disabled={now < checkInHours.opensAt || now >= checkInHours.closesAt}
            onClick={() => void checkIn(booking.bookingId)}
          >
            {t("day.checkIn")}
          </button>
          {now < checkInHours.opensAt && (
            <p className="muted">{t("day.checkInOpens", { at: formatDateTime(checkInHours.opensAt, venueZone) })}</p>
          )}
        </>
      )}
    </div>
  );
}
