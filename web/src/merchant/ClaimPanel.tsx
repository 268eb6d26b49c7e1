import { useState } from "react";
import { useTranslation } from "../i18n";
import type { Address, TransactionReceipt } from "viem";
import {
  BookingStatus,
  claimableBookings,
  claimReceipt,
  planClaimBatches,
  totalsByToken,
  earnestEscrowAbi,
  parseMetadata,
  type ClaimReceipt,
  type TokenInfo,
} from "@earnest/sdk";
import { chains, explorerTxUrl } from "../config";
import { useChainNow, useOfferings, useReadChain } from "../lib/chain";
import { formatAmount, formatVenueDateTime } from "../lib/format";
import { useTransactor } from "../tx/TxProvider";
import "./console.css";
import { useBlockGasLimit, useEscrowEvents, useLedger } from "./queries";

/** What the receipt shows of a claimed booking beside the logs: which offering and slot, as the merchant saw it. */
type ClaimedInfo = { name: string; slotStart: number; timeZone: string | undefined };

/** A finished claim: what its transactions' logs say, with the names of what was claimed. */
type Receipt = ClaimReceipt & { info: Map<bigint, ClaimedInfo> };

/** Every booking that can be claimed now with what it pays, one click that claims them all, and the receipt of the
 *  last claim (read back from its logs) until the merchant leaves the page. */
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
  const [receipt, setReceipt] = useState<Receipt>();
  if (error) return <p role="alert">{t("loadFailed")}</p>;
  if (!ledger || !offerings || gasLimit === undefined || now === undefined || !deployment) {
    return <p className="muted">{t("loading")}</p>;
  }

  const claimable = claimableBookings(ledger, now);
  const totals = totalsByToken(claimable);
  const batches = planClaimBatches(claimable, gasLimit);
  const token = (address: Address) => offerings.tokens[address];
  const infoOf = (offeringId: number) => {
    const meta = parseMetadata(ledger.offerings.get(offeringId)!.metadata);
    return { name: meta.name, timeZone: meta.timeZone };
  };

  const claimAll = async () => {
    // Snapshot now: once claimed, the bookings leave the claimable list the names come from.
    const info = new Map(
      claimable.map((c) => [c.booking.bookingId, { ...infoOf(c.booking.offeringId), slotStart: c.booking.slotStart }]),
    );
    const receipts: TransactionReceipt[] = [];
    setReceipt(undefined);
    for (const [i, batch] of batches.entries()) {
      setProgress({ done: i, total: batches.length });
      const result = await transactor.send({
        label: t("claim.label", { n: i + 1, total: batches.length }),
        done: t("claim.done", { count: batch.length }),
        address: deployment.escrow,
        abi: earnestEscrowAbi,
        functionName: "claim",
        args: [batch],
      });
      if (!result.ok) break;
      receipts.push(result.receipt);
    }
    if (receipts.length > 0) {
      setReceipt({ ...claimReceipt(receipts, { escrow: deployment.escrow, merchant: account }), info });
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
      {receipt && <ClaimReceiptView receipt={receipt} token={token} onDismiss={() => setReceipt(undefined)} />}
      {claimable.length === 0 ? (
        !receipt && (
          <p className="muted" data-testid="claim-none">
            {t("claim.none")}
          </p>
        )
      ) : (
        <>
          <div className="table-scroll">
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
                  const { name, timeZone } = infoOf(c.booking.offeringId);
                  return (
                    <tr
                      key={String(c.booking.bookingId)}
                      data-testid="claimable"
                      data-booking-id={String(c.booking.bookingId)}
                    >
                      <td>{name}</td>
                      <td>{formatVenueDateTime(c.booking.slotStart, timeZone)}</td>
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
          </div>
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
              ? t("claim.one", { count: claimable.length })
              : t("claim.many", { count: claimable.length, batches: batches.length })}
          </button>
          {progress && <p className="muted">{t("claim.progress", { done: progress.done, total: progress.total })}</p>}
        </>
      )}
    </section>
  );
}

function ClaimReceiptView({
  receipt,
  token,
  onDismiss,
}: {
  receipt: Receipt;
  token: (address: Address) => TokenInfo;
  onDismiss: () => void;
}) {
  const { t } = useTranslation("merchant");
  const { chainId } = useReadChain();
  const chain = chains.find((c) => c.id === chainId);
  return (
    <section className="card claim-receipt" data-testid="claim-receipt" aria-labelledby="claim-receipt-title">
      <h3 id="claim-receipt-title">{t("claim.receipt.title")}</h3>
      <p data-testid="receipt-count" data-count={receipt.bookings.length}>
        {t("claim.receipt.bookings", { count: receipt.bookings.length })}
      </p>
      <ul className="receipt-bookings">
        {receipt.bookings.map((b) => {
          const info = receipt.info.get(b.bookingId);
          return (
            <li key={String(b.bookingId)} data-testid="receipt-booking" data-booking-id={String(b.bookingId)}>
              {info
                ? t("claim.receipt.booking", {
                    name: info.name,
                    slot: formatVenueDateTime(info.slotStart, info.timeZone),
                  })
                : t("claim.receipt.bookingId", { id: String(b.bookingId) })}{" "}
              <span className="muted">
                {b.outcome === BookingStatus.NoShow ? t("claim.receipt.noShow") : t("claim.receipt.fulfilled")}
              </span>
            </li>
          );
        })}
      </ul>
      <ul className="totals">
        {receipt.payouts.map((p) => (
          <li
            key={`${p.token}:${p.payout}`}
            data-testid="receipt-total"
            data-token={p.token}
            data-amount={String(p.amount)}
            data-payout={p.payout}
          >
            {t("claim.receipt.paid", { amount: formatAmount(p.amount, token(p.token)) })}{" "}
            <span className="address" data-testid="receipt-payout">
              {p.payout}
            </span>
            {p.credited > 0n && (
              <p className="muted" data-testid="receipt-credited">
                {t("claim.receipt.credited", { amount: formatAmount(p.credited, token(p.token)) })}
              </p>
            )}
          </li>
        ))}
      </ul>
      <p>{t("claim.receipt.transactions", { count: receipt.transactions.length })}</p>
      <ul className="receipt-txs">
        {receipt.transactions.map((hash) => {
          const link = explorerTxUrl(chain, hash);
          return (
            <li key={hash} data-testid="receipt-tx" data-hash={hash}>
              <code className="address">{hash}</code>{" "}
              {link && (
                <a href={link} target="_blank" rel="noreferrer">
                  {t("claim.receipt.explorer")}
                </a>
              )}
            </li>
          );
        })}
      </ul>
      <button type="button" onClick={onDismiss} data-testid="receipt-dismiss">
        {t("claim.receipt.dismiss")}
      </button>
    </section>
  );
}
