// Builder problems in the merchant's words.
import type { TFunction } from "../i18n";
import { formatDuration, formatShare, type PolicyLocale, type NumericField, type TermsProblem } from "@earnest/sdk";
import type { FormField, FormProblem } from "./policy-form";

/** The form field each contract field is typed into. */
const FORM_FIELD: Record<NumericField, FormField> = {
  depositPerSeat: "deposit",
  seatsPerSlot: "seats",
  slotLength: "slotLength",
  firstSlotStart: "firstDate",
  minLeadTime: "minLead",
  maxAdvance: "maxAdvance",
  noShowRefundBps: "noShow",
  disputeWindow: "disputeWindow",
  arbiterTimeout: "arbiterTimeout",
  maxFeeBps: "maxFee",
};

function fieldLabel(field: FormField, t: TFunction<"merchant">): string {
  const tier = /^tiers\.(\d+)$/.exec(field);
  return tier
    ? t("builder.tierN", { n: Number(tier[1]) + 1 })
    : t(`builder.field.${field as Exclude<FormField, `tiers.${number}`>}`);
}

export function formProblemText(problem: FormProblem, t: TFunction<"merchant">): string {
  return t(`builder.formProblem.${problem.code}`, { field: fieldLabel(problem.field, t) });
}

export function termsProblemText(problem: TermsProblem, t: TFunction<"merchant">, locale: PolicyLocale): string {
  switch (problem.code) {
    case "outOfRange":
      return t("builder.problem.outOfRange", { field: fieldLabel(FORM_FIELD[problem.field], t) });
    case "tierOutOfRange":
    case "tierShareAboveWhole":
    case "tierOutOfOrder":
    case "tierUnreachable":
      return t(`builder.problem.${problem.code}`, { n: problem.index + 1 });
    case "tooManyTiers":
      return t("builder.problem.tooManyTiers", { max: problem.max });
    case "slotTooLong":
    case "disputeWindowTooLong":
    case "arbiterTimeoutInvalid":
      return t(`builder.problem.${problem.code}`, { max: formatDuration(problem.max, locale) });
    case "maxFeeBelowCurrentFee":
      return t("builder.problem.maxFeeBelowCurrentFee", {
        fee: formatShare(problem.feeBps, locale),
        max: formatShare(problem.maxFeeBps, locale),
      });
    case "metadataTooLong":
      return t("builder.problem.metadataTooLong", { length: problem.length, max: problem.max });
    default:
      return t(`builder.problem.${problem.code}`);
  }
}
