import { useState } from "react";
import { useTranslation } from "../i18n";
import type { Address } from "viem";
import { useLocation } from "wouter";
import { earnestEscrowAbi, parseMetadata, type OfferingTerms } from "@earnest/sdk";
import { useChainNow, useOfferings, useReadChain } from "../lib/chain";
import { localTimeZone } from "../lib/format";
import { dateIn, nextDate } from "../lib/time-zone";
import { useTransactor } from "../tx/TxProvider";
import { PolicyBuilder } from "./PolicyBuilder";
import { defaultForm } from "./policy-form";
import { useTokenOptions } from "./queries";

/** Publishing an offering. `payout` is where the merchant is paid (an offering's arbiter may not be it). */
export function NewOfferingPage({ account, payout }: { account: Address; payout: Address }) {
  const { t } = useTranslation("merchant");
  const { data: tokens } = useTokenOptions();
  const { data: offerings } = useOfferings();
  const { deployment } = useReadChain();
  const now = useChainNow();
  const transactor = useTransactor();
  const [, navigate] = useLocation();
  const [busy, setBusy] = useState(false);
  if (!tokens || !offerings || !deployment || now === undefined) return <p className="muted">{t("loading")}</p>;

  const publish = async (terms: OfferingTerms) => {
    setBusy(true);
    const result = await transactor.send({
      label: t("builder.publishLabel"),
      done: t("builder.published", { name: parseMetadata(terms.metadata).name }),
      address: deployment.escrow,
      abi: earnestEscrowAbi,
      functionName: "createOffering",
      args: [terms],
    });
    setBusy(false);
    if (result.ok) navigate("/");
  };

  return (
    <section>
      <h2>{t("builder.title")}</h2>
      <PolicyBuilder
        initial={defaultForm(localTimeZone(), nextDate(dateIn(now, localTimeZone())), offerings.feeBps)}
        tokens={tokens}
        merchant={account}
        payout={payout}
        feeBps={offerings.feeBps}
        busy={busy}
        onPublish={(terms) => void publish(terms)}
      />
    </section>
  );
}
