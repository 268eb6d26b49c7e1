// What the merchant types into the policy builder, and the `createOffering` terms it means. Typing problems (not a
// number, not an address) are named here; whether the terms make sense is `validateTerms`'s call.
import { isAddress, parseUnits, zeroAddress, type Address } from "viem";
import { CheckInRule, type OfferingTerms } from "@earnest/sdk";
import { startOfDay } from "../lib/time-zone";

export const UNITS = { min: 60, h: 3_600, d: 86_400 } as const;
export type Unit = keyof typeof UNITS;
export type Duration = { amount: string; unit: Unit };

export type TierInput = { before: Duration; refund: string };

export type PolicyForm = {
  name: string;
  description: string;
  timeZone: string;
  hours: string;
  token: Address;
  deposit: string;
  seats: string;
  slotLength: Duration;
  firstDate: string;
  firstTime: string;
  minLead: Duration;
  maxAdvance: Duration;
  tiers: TierInput[];
  noShow: string;
  disputeWindow: Duration;
  arbiter: string;
  arbiterTimeout: Duration;
  checkInRule: CheckInRule;
  /** The highest protocol fee accepted, in percent. */
  maxFee: string;
};

// A first slot's date and time are one field to the merchant: problems with either are reported on the date.
export type FormField = Exclude<keyof PolicyForm, "tiers" | "firstTime" | "checkInRule"> | `tiers.${number}`;
export type FormProblem = { field: FormField; code: "required" | "notANumber" | "notAnAddress" | "unknownTimeZone" };

export function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone !== "";
  } catch {
    return false;
  }
}

/** A non-negative decimal, or undefined. */
export function decimal(text: string): number | undefined {
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text)) return undefined;
  return Number(text);
}

/** Parses the form. Terms come back whenever every field can be read, so the preview shows as early as possible. */
export function formToTerms(form: PolicyForm, decimals: number): { terms?: OfferingTerms; problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  const number = (field: FormField, text: string, scale = 1): number => {
    const value = decimal(text);
    if (value === undefined) {
      problems.push({ field, code: text.trim() === "" ? "required" : "notANumber" });
      return 0;
    }
    return Math.round(value * scale);
  };
  const seconds = (field: FormField, d: Duration) => number(field, d.amount, UNITS[d.unit]);
  const percent = (field: FormField, text: string) => number(field, text, 100);

  if (form.name.trim() === "") problems.push({ field: "name", code: "required" });
  if (!validTimeZone(form.timeZone)) problems.push({ field: "timeZone", code: "unknownTimeZone" });
  let depositPerSeat = 0n;
  if (decimal(form.deposit) === undefined) {
    problems.push({ field: "deposit", code: form.deposit.trim() === "" ? "required" : "notANumber" });
  } else {
    depositPerSeat = parseUnits(form.deposit.trim(), decimals);
  }
  const time = /^(\d{2}):(\d{2})$/.exec(form.firstTime);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.firstDate) || !time) problems.push({ field: "firstDate", code: "required" });
  const arbiter = form.arbiter.trim();
  if (arbiter !== "" && !isAddress(arbiter)) problems.push({ field: "arbiter", code: "notAnAddress" });

  const terms: OfferingTerms = {
    token: form.token,
    depositPerSeat,
    seatsPerSlot: number("seats", form.seats),
    slotLength: seconds("slotLength", form.slotLength),
    firstSlotStart:
      time && problems.every((p) => p.field !== "timeZone" && p.field !== "firstDate")
        ? startOfDay(form.firstDate, form.timeZone) + Number(time[1]) * 3_600 + Number(time[2]) * 60
        : 0,
    minLeadTime: seconds("minLead", form.minLead),
    maxAdvance: seconds("maxAdvance", form.maxAdvance),
    noShowRefundBps: percent("noShow", form.noShow),
    disputeWindow: seconds("disputeWindow", form.disputeWindow),
    arbiter: arbiter === "" || !isAddress(arbiter) ? zeroAddress : arbiter,
    arbiterTimeout: arbiter === "" ? 0 : seconds("arbiterTimeout", form.arbiterTimeout),
    checkInRule: form.checkInRule,
    maxFeeBps: percent("maxFee", form.maxFee),
    cancellationTiers: form.tiers.map((tier, i) => ({
      secondsBeforeStart: seconds(`tiers.${i}`, tier.before),
      refundBps: percent(`tiers.${i}`, tier.refund),
    })),
    metadata: JSON.stringify({
      name: form.name.trim(),
      ...(form.description.trim() && { description: form.description.trim() }),
      timeZone: form.timeZone,
      ...(form.hours.trim() && { hours: form.hours.trim() }),
    }),
  };
  return problems.length === 0 ? { terms, problems } : { problems };
}

/** A sensible start: tomorrow 18:00 in the viewer's zone, 2 h slots, free cancellation until a day before, the
 *  merchant's word for check-in, and the protocol fee in force now (`feeBps`) as the highest accepted: what the
 *  merchant sees is what it agrees to, and a later rise pauses the offering's bookings instead of charging more. */
export function defaultForm(timeZone: string, tomorrow: string, feeBps: number): PolicyForm {
  return {
    name: "",
    description: "",
    timeZone,
    hours: "",
    token: zeroAddress,
    deposit: "",
    seats: "4",
    slotLength: { amount: "2", unit: "h" },
    firstDate: tomorrow,
    firstTime: "18:00",
    minLead: { amount: "1", unit: "h" },
    maxAdvance: { amount: "60", unit: "d" },
    tiers: [{ before: { amount: "24", unit: "h" }, refund: "100" }],
    noShow: "0",
    disputeWindow: { amount: "1", unit: "d" },
    arbiter: "",
    arbiterTimeout: { amount: "3", unit: "d" },
    checkInRule: CheckInRule.MerchantWord,
    maxFee: String(feeBps / 100),
  };
}
