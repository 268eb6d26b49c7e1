import type { TFunction } from "../i18n";
import { earnestEscrowAbi, isRelayerRefusalCode, verifiedReviewsAbi } from "@earnest/sdk";
import type { AbiParameter } from "viem";
import { formatDateTime } from "../lib/format";
import type { TxFailure } from "./run-transaction";

const TIME_ARGS = /^(slotStart|firstSlotStart|opensAt|closesAt|closedAt|deadline|settlesAt|expiresAt|earliest|latest)$/;
const DURATION_ARGS = /^(maxDisputeWindow|maxArbiterTimeout|maxSlotLength)$/;

/** The contracts the dApp writes to, whose custom errors it words. */
const ERROR_ABIS = [...earnestEscrowAbi, ...verifiedReviewsAbi];

/** Values for an error sentence's placeholders, by the error's parameter names; `amount` formats token amounts
 *  when the caller knows the token. */
function errorValues(
  name: string,
  args: readonly unknown[],
  t: TFunction,
  amount?: (value: bigint) => string,
): Record<string, string> {
  const item = ERROR_ABIS.find((e) => e.type === "error" && e.name === name) as
    { inputs: readonly AbiParameter[] } | undefined;
  const values: Record<string, string> = {};
  item?.inputs.forEach((input, i) => {
    const value = args[i];
    const key = input.name ?? String(i);
    if (TIME_ARGS.test(key)) values[key] = formatDateTime(Number(value));
    else if (DURATION_ARGS.test(key)) values[key] = t("time.days", { count: Math.round(Number(value) / 86_400) });
    else if (key === "status") values[key] = t(`status.${Number(value)}` as "status.1");
    else if (key === "role") values[key] = t(`staffRole.${Number(value)}` as "staffRole.1");
    else if (/^(expected|sent|allowance|needed|received|amount|discount|deposit)$/.test(key) && amount) {
      values[key] = amount(value as bigint);
    } else if (/Bps$/.test(key)) values[key] = `${Number(value) / 100} %`;
    else values[key] = String(value);
  });
  return values;
}

/** A wait in seconds, in the largest unit that keeps it a whole number of at least 2 (rounded up). */
export function waitText(seconds: number, t: TFunction): string {
  if (seconds < 120) return t("time.seconds", { count: Math.max(1, Math.ceil(seconds)) });
  if (seconds < 2 * 3600) return t("time.minutes", { count: Math.ceil(seconds / 60) });
  return t("time.hours", { count: Math.ceil(seconds / 3600) });
}

/** Values for a relayer refusal's sentence, from the details of its error object. */
function refusalValues(code: string, details: Record<string, unknown>, t: TFunction): Record<string, string> {
  const retryAfter = Number(details.retryAfter);
  return {
    code,
    field: typeof details.field === "string" ? details.field : "?",
    wait: waitText(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 60, t),
  };
}

/** The sentence a person reads for a failed transaction or signature. */
export function failureMessage(failure: TxFailure, t: TFunction, amount?: (value: bigint) => string): string {
  switch (failure.kind) {
    case "rejected":
      return t("tx.rejected");
    case "notConnected":
      return t("tx.notConnected");
    case "wrongNetwork":
      return t("tx.wrongNetwork");
    case "insufficientFunds":
      return t("tx.insufficientFunds");
    case "failedOnChain":
      return t("tx.failedOnChain");
    case "reverted":
      return failure.reason ? t("tx.revertedWithReason", { reason: failure.reason }) : t("tx.reverted");
    case "contract": {
      // The error name comes from the chain, so the key is only known at run time (a test checks that every
      // error in the ABI has a sentence).
      const lookup = t as unknown as (key: string, values: Record<string, string>) => string;
      // Role 0 is no staff role at all (a claim): only the merchant may.
      const name =
        failure.name === "NotMerchantOrStaff" && Number(failure.args[2]) === 0 ? "NotOfferingMerchant" : failure.name;
      return lookup(`errors:${name}`, errorValues(failure.name, failure.args, t, amount));
    }
    case "relayerRefused": {
      // The code comes from the relayer: a code this dApp does not know is shown as it is.
      const lookup = t as unknown as (key: string, values: Record<string, string>) => string;
      const key = isRelayerRefusalCode(failure.code) ? `relayer.${failure.code}` : "relayer.unknown";
      return lookup(key, refusalValues(failure.code, failure.details, t));
    }
    case "relayerUnreachable":
      return t("relayer.unreachable");
    case "signatureIncomplete":
      return t("tx.signatureIncomplete");
    case "unknown":
      return t("tx.unknown", { message: failure.message });
  }
}
