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

/** The form fields a terms problem is about, the one it is shown beside first. A problem is left out while any of
 *  them cannot be read: a blank deposit is "required", not also "must be more than zero". */
export function termsProblemFields(problem: TermsProblem): FormField[] {
  switch (problem.code) {
    case "outOfRange":
      return [FORM_FIELD[problem.field]];
    case "zeroDeposit":
      return ["deposit"];
    case "zeroSeats":
      return ["seats"];
    case "zeroSlotLength":
    case "slotTooLong":
      return ["slotLength"];
    case "emptyBookingWindow":
      return ["maxAdvance", "minLead"];
    case "noShowShareAboveWhole":
      return ["noShow"];
    case "tooManyTiers":
      return [];
    case "tierOutOfRange":
    case "tierShareAboveWhole":
      return [`tiers.${problem.index}`];
    case "tierOutOfOrder":
      return [`tiers.${problem.index}`, `tiers.${problem.index - 1}`];
    case "tierUnreachable":
      return [`tiers.${problem.index}`, "maxAdvance"];
    case "disputeWindowTooLong":
      return ["disputeWindow"];
    case "arbiterTimeoutInvalid":
      return ["arbiterTimeout", "arbiter"];
    case "arbiterNotIndependent":
      return ["arbiter"];
    case "maxFeeBelowCurrentFee":
      return ["maxFee"];
    case "metadataTooLong":
      return ["description"];
  }
}

function fieldLabel(field: FormField, t: TFunction<"merchant">): string {
  const row = /^(tiers|openingHours)\.(\d+)$/.exec(field);
  if (row) return t(row[1] === "tiers" ? "builder.tierN" : "builder.periodN", { n: Number(row[2]) + 1 });
  return t(`builder.field.${field as Exclude<FormField, `tiers.${number}` | `openingHours.${number}`>}`);
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
