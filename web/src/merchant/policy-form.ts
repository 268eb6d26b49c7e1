// What the merchant types into the policy builder, and the `createOffering` terms it means. Typing problems (not a
// number, not an address) are named here; whether the terms make sense is `validateTerms`'s call.
import { isAddress, parseUnits, zeroAddress, type Address } from "viem";
import { CheckInRule, clockMinutes, slotsBetween, withinOpeningHours, type OfferingTerms } from "@earnest/sdk";
import { knownTimeZone, startOfDay } from "../lib/time-zone";

export const UNITS = { min: 60, h: 3_600, d: 86_400 } as const;
export type Unit = keyof typeof UNITS;
export type Duration = { amount: string; unit: Unit };

export type TierInput = { before: Duration; refund: string };
/** An opening period as typed: ISO weekdays ticked, and two clock times ("HH:MM", as a time input gives them). */
export type OpeningPeriodInput = { days: number[]; opens: string; closes: string };

export type PolicyForm = {
  name: string;
  description: string;
  timeZone: string;
  /** No periods: open around the clock, every slot on the grid is offered. */
  openingHours: OpeningPeriodInput[];
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
export type FormField =
  | Exclude<keyof PolicyForm, "tiers" | "openingHours" | "firstTime" | "checkInRule">
  | `tiers.${number}`
  | `openingHours.${number}`;
export type FormProblem = {
  field: FormField;
  code: "required" | "notANumber" | "notAnAddress" | "unknownTimeZone" | "noDays" | "opensWhenCloses" | "noSlotInHours";
};

/** How far ahead the builder looks for a slot inside the opening hours: a week and a day covers every weekday
 *  whatever the slot length's rhythm. */
const HOURS_CHECK_SPAN = 8 * 86_400;

/** A non-negative decimal, or undefined. */
export function decimal(text: string): number | undefined {
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text)) return undefined;
  return Number(text);
}

/** Parses the form into terms and the typing problems. Terms always come back, with zero for what cannot be read, so
 *  that `validateTerms` can name the problems with the rest at the same time; they are fit to preview or publish
 *  only when `problems` is empty and `validateTerms` finds none. */
export function formToTerms(form: PolicyForm, decimals: number): { terms: OfferingTerms; problems: FormProblem[] } {
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
  const timeZone = knownTimeZone(form.timeZone);
  if (!timeZone) {
    problems.push({ field: "timeZone", code: form.timeZone.trim() === "" ? "required" : "unknownTimeZone" });
  }
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
  form.openingHours.forEach((period, i) => {
    const field: FormField = `openingHours.${i}`;
    const opens = clockMinutes(period.opens);
    const closes = clockMinutes(period.closes);
    if (period.days.length === 0) problems.push({ field, code: "noDays" });
    if (opens === undefined || closes === undefined) problems.push({ field, code: "required" });
    else if (opens === closes) problems.push({ field, code: "opensWhenCloses" });
  });
  const openingHours = form.openingHours.map(({ days, opens, closes }) => ({
    days: [...days].sort((a, b) => a - b),
    opens,
    closes,
  }));

  const terms: OfferingTerms = {
    token: form.token,
    depositPerSeat,
    seatsPerSlot: number("seats", form.seats),
    slotLength: seconds("slotLength", form.slotLength),
    firstSlotStart:
      time && timeZone && problems.every((p) => p.field !== "firstDate")
        ? startOfDay(form.firstDate, timeZone) + Number(time[1]) * 3_600 + Number(time[2]) * 60
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
      timeZone: timeZone ?? form.timeZone,
      ...(openingHours.length > 0 && { openingHours }),
    }),
  };
  // Hours that no slot on the grid starts in would publish an offering nobody is ever offered.
  const gridUnread = problems.some(
    (p) => p.field === "firstDate" || p.field === "slotLength" || p.field.startsWith("openingHours."),
  );
  if (openingHours.length > 0 && timeZone && terms.slotLength > 0 && !gridUnread) {
    const starts = slotsBetween(terms, terms.firstSlotStart, terms.firstSlotStart + HOURS_CHECK_SPAN, 10_000);
    if (!starts.some((start) => withinOpeningHours(openingHours, start, timeZone))) {
      problems.push({ field: "openingHours.0", code: "noSlotInHours" });
    }
  }
  return { terms, problems };
}

/** A sensible start: tomorrow 18:00 in the viewer's zone, 2 h slots, free cancellation until a day before, the
 *  merchant's word for check-in, and the protocol fee in force now (`feeBps`) as the highest accepted: what the
 *  merchant sees is what it agrees to, and a later rise pauses the offering's bookings instead of charging more. */
export function defaultForm(timeZone: string, tomorrow: string, feeBps: number): PolicyForm {
  return {
    name: "",
    description: "",
    timeZone,
    openingHours: [],
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
