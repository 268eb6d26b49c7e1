import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { useTranslation } from "../i18n";
import { isAddressEqual } from "viem";
import { decodePass, parseMetadata, verifyPass, type BookingPass, type LedgerOffering } from "@earnest/sdk";
import { useReadChain } from "../lib/chain";
import { formatVenueDateTime, shortAddress } from "../lib/format";
import { deskPermissions } from "./front-desk";
import { CheckInAction } from "./front-desk-check-in";
import { rememberGuest } from "./front-desk-guests";
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
  const [cameraFailed, setCameraFailed] = useState(false);
  const onScan = useCallback((text: string) => {
    setScanning(false);
    setInput(text);
    setToken(passTokenFrom(text));
  }, []);
  const onScanError = useCallback(() => {
    setScanning(false);
    setCameraFailed(true);
  }, []);

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
          <button
            type="button"
            data-testid="pass-scan"
            onClick={() => {
              setCameraFailed(false);
              setScanning((s) => !s);
            }}
          >
            {scanning ? t("pass.stopScan") : t("pass.scan")}
          </button>
        )}
      </form>
      {cameraFailed && (
        <p role="alert" data-testid="camera-failed">
          {t("pass.cameraFailed")}
        </p>
      )}
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
  const verified = verification.data?.result === "valid" ? verification.data.booking : undefined;
  const name = pass?.details.name;
  useEffect(() => {
    if (verified && name && offerings.has(verified.offeringId)) rememberGuest(verified.bookingId, name);
  }, [verified, name, offerings]);

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
      {deskPermissions(roles).checkIn && (
        <CheckInAction pass={pass} booking={booking} offering={offering} now={now} venueZone={venueZone} />
      )}
    </div>
  );
}
