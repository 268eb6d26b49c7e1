import { useState } from "react";
import { useTranslation } from "../i18n";
import type { Address } from "viem";
import { claimableBookings, planClaimBatches, totalsByToken, earnestEscrowAbi, parseMetadata } from "@earnest/sdk";
import { useChainNow, useOfferings, useReadChain } from "../lib/chain";
import { formatAmount, formatVenueDateTime } from "../lib/format";
import { useTransactor } from "../tx/TxProvider";
import { useBlockGasLimit, useEscrowEvents, useLedger } from "./queries";

/** Every booking that can be claimed now with what it pays, and one click that claims them all. */
export function ClaimPanel({ account, payout }: { account: Address; payout: Address }) {
  const { t } = useTranslation("merchant");
  const ledger = useLedger({ merchant: account });
  const { error } = useEscrowEvents();
  const { data: offerings } = useOfferings();
  const { data: gasLimit } = useBlockGasLimit();
  const { deployment } = useReadChain();
  const now = useChainNow();
  const transactor = useTransactor();
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  if (error) return <p role="alert">{t("loadFailed")}</p>;
  if (!ledger || !offerings || gasLimit === undefined || now === undefined || !deployment) {
    return <p className="muted">{t("loading")}</p>;
  }

  const claimable = claimableBookings(ledger, now);
  const totals = totalsByToken(claimable);
  const batches = planClaimBatches(claimable, gasLimit);
  const token = (address: Address) => offerings.tokens[address];

  const claimAll = async () => {
    for (const [i, batch] of batches.entries()) {
      setProgress({ done: i, total: batches.length });
      const result = await transactor.send({
        label: t("claim.label", { n: i + 1, total: batches.length }),
        address: deployment.escrow,
        abi: earnestEscrowAbi,
        functionName: "claim",
        args: [batch],
      });
      if (!result.ok) break;
    }
    setProgress(undefined);
  };

  return (
    <section>
      <h2>{t("claim.title")}</h2>
      <p>
        {t("claim.payout")}{" "}
        <span className="address" data-testid="claim-payout">
          {payout}
        </span>
      </p>
      {claimable.length === 0 ? (
        <p className="muted" data-testid="claim-none">
          {t("claim.none")}
        </p>
      ) : (
        <>
          <table className="table">
            <thead>
              <tr>
                <th>{t("claim.offering")}</th>
                <th>{t("claim.slot")}</th>
                <th>{t("claim.outcome")}</th>
                <th>{t("claim.net")}</th>
              </tr>
            </thead>
            <tbody>
              {claimable.map((c) => {
                const offering = ledger.offerings.get(c.booking.offeringId)!;
                return (
                  <tr
                    key={String(c.booking.bookingId)}
                    data-testid="claimable"
                    data-booking-id={String(c.booking.bookingId)}
                  >
                    <td>{parseMetadata(offering.metadata).name}</td>
                    <td>{formatVenueDateTime(c.booking.slotStart, parseMetadata(offering.metadata).timeZone)}</td>
                    <td>
                      {c.booking.checkedIn
                        ? t("claim.fulfilled")
                        : t("claim.noShow", { refund: formatAmount(c.refund, token(c.token)) })}
                    </td>
                    <td data-net={String(c.net)}>{formatAmount(c.net, token(c.token))}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <ul className="totals">
            {[...totals].map(([address, amount]) => (
              <li key={address} data-testid="claim-total" data-token={address} data-amount={String(amount)}>
                {t("claim.total", { amount: formatAmount(amount, token(address)) })}
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="primary"
            data-testid="claim-all"
            disabled={progress !== undefined}
            onClick={() => void claimAll()}
          >
            {batches.length === 1
              ? t("claim.one", { n: claimable.length })
              : t("claim.many", { n: claimable.length, batches: batches.length })}
          </button>
          {progress && <p className="muted">{t("claim.progress", { done: progress.done, total: progress.total })}</p>}
        </>
      )}
    </section>
  );
}
