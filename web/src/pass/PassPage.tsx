import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "../i18n";
import type { Client } from "viem";
import { useClient } from "wagmi";
import { verifyPass, decodePass, InvalidPassError, type BookingPass } from "@earnest/sdk";
import { chains, deploymentOn } from "../config";
import { formatDateTime } from "../lib/format";
import { QrCode } from "../lib/QrCode";
import { passUrl } from "./pass-store";

function read(token: string): BookingPass | InvalidPassError {
  try {
    return decodePass(token);
  } catch (error) {
    if (error instanceof InvalidPassError) return error;
    throw error;
  }
}

/** The booking pass: what the customer shows at the venue. Opening it checks the details against the chain. */
export default function PassPage({ token }: { token: string }) {
  const { t } = useTranslation(["customer", "common"]);
  const pass = read(token);
  if (pass instanceof InvalidPassError) return <p role="alert">{t("pass.invalid")}</p>;
  return <ValidPass pass={pass} token={token} />;
}

function ValidPass({ pass, token }: { pass: BookingPass; token: string }) {
  const { t } = useTranslation(["customer", "common"]);
  const deploymentOfPass = deploymentOn(pass.chainId);
  // Only Earnest's own escrow counts: any contract could emit a matching event.
  const known = chains.some((c) => c.id === pass.chainId) && deploymentOfPass?.escrow === pass.escrow;
  const client = useClient({ chainId: known ? pass.chainId : undefined }) as Client;
  const verification = useQuery({
    queryKey: ["pass", token],
    queryFn: () => verifyPass(client, { pass, fromBlock: deploymentOfPass?.deployBlock ?? 0n }),
    enabled: known,
  });
  const link = passUrl(token);
  const result = verification.data?.result;

  return (
    <section className="pass" data-testid="pass">
      <h1>{t("pass.title")}</h1>
      <QrCode text={link} label={t("pass.qrLabel")} />
      <p className="muted">{t("pass.show")}</p>
      <dl className="terms">
        <dt>{t("pass.booking")}</dt>
        <dd data-testid="pass-booking-id">{String(pass.bookingId)}</dd>
        <dt>{t("book.name")}</dt>
        <dd>{pass.details.name}</dd>
        {pass.details.contact && (
          <>
            <dt>{t("book.contact")}</dt>
            <dd>{pass.details.contact}</dd>
          </>
        )}
        {pass.details.notes && (
          <>
            <dt>{t("book.notes")}</dt>
            <dd>{pass.details.notes}</dd>
          </>
        )}
        {verification.data && verification.data.result !== "unknownBooking" && (
          <>
            <dt>{t("pass.slot")}</dt>
            <dd>{formatDateTime(verification.data.booking.slotStart)}</dd>
            <dt>{t("pass.status")}</dt>
            <dd>{t(`common:status.${verification.data.booking.status}` as "common:status.1")}</dd>
          </>
        )}
      </dl>
      <p data-testid="pass-verification" data-result={result ?? (known ? "pending" : "unknownChain")}>
        {!known
          ? t("pass.unknownChain", { chainId: pass.chainId })
          : verification.isPending
            ? t("pass.verifying")
            : verification.error
              ? t("pass.verifyFailed")
              : t(`pass.result.${result!}`)}
      </p>
      <p>
        <button type="button" onClick={() => void navigator.clipboard?.writeText(link)}>
          {t("pass.copy")}
        </button>
      </p>
    </section>
  );
}
