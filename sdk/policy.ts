// The offering's rules in plain words, in the dApp's two languages. Customers read this before paying, merchants
// preview it while they write an offering, and the auditor shows it: one wording for all three.
import { zeroAddress, type Address } from "viem";
import { BPS as WHOLE_BPS, CHECK_IN_OPENS_BEFORE_START, MAX_FEE_BPS } from "./generated/constants.js";
import { CheckInRule } from "./generated/enums.js";
import type { CancellationTier } from "./settlement.js";

export type PolicyLocale = "en" | "zh-CN";

/** The parts of an offering's terms that decide what a customer gets back. */
export type PolicyTerms = {
  cancellationTiers: readonly CancellationTier[];
  noShowRefundBps: number;
  disputeWindow: number;
  arbiter: Address;
  arbiterTimeout: number;
  checkInRule: number;
  maxFeeBps: number;
};

export type PolicyText = {
  cancellation: string;
  noShow: string;
  checkIn: string;
  disputes: string;
  settlement: string;
  fee: string;
};

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const units = {
  en: { d: "d", h: "h", min: "min", s: "s" },
  "zh-CN": { d: " 天", h: " 小时", min: " 分钟", s: " 秒" },
} as const;

/** A duration in at most two units, largest first: "3 d 4 h", "48 h", "1 h 30 min". Under three days it counts
 *  hours, as people say "48 hours before" rather than "2 days before". */
export function formatDuration(seconds: number, locale: PolicyLocale): string {
  const u = units[locale];
  const space = locale === "en" ? " " : "";
  let rest = Math.max(0, Math.round(seconds));
  const scale: [number, string][] = [
    [HOUR, u.h],
    [MINUTE, u.min],
    [1, u.s],
  ];
  if (rest >= 3 * DAY) scale.unshift([DAY, u.d]);
  const parts: string[] = [];
  for (const [size, unit] of scale) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${space}${unit}`);
      rest %= size;
    } else if (parts.length > 0) {
      break; // two units at most, and never a gap ("1 d 5 s" reads as noise)
    }
  }
  return parts.length === 0 ? `0${space}${u.s}` : parts.join(space);
}

// `toLocaleString` builds a new formatter on every call, which a list of offerings pays for on a phone's main thread.
const percentFormats = new Map<PolicyLocale, Intl.NumberFormat>();

/** A share in basis points as a percentage: 5000 → "50 %" (en) or "50%" (zh-CN). */
export function formatShare(bps: number, locale: PolicyLocale): string {
  let format = percentFormats.get(locale);
  if (!format) percentFormats.set(locale, (format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })));
  const percent = format.format(bps / 100);
  return locale === "en" ? `${percent} %` : `${percent}%`;
}

/** The tiers that can actually pay out, with later tiers of the same share folded into one. */
function effectiveTiers(tiers: readonly CancellationTier[]): CancellationTier[] {
  const result: CancellationTier[] = [];
  for (const tier of tiers) {
    if (tier.refundBps === 0) break; // tiers are non-increasing: nothing after a zero tier pays
    const last = result.at(-1);
    if (last && last.refundBps === tier.refundBps) last.secondsBeforeStart = tier.secondsBeforeStart;
    else result.push({ ...tier });
  }
  return result;
}

/** "Full refund until 48 h before, then 50 % until 24 h before, then none." */
export function describeCancellation(tiers: readonly CancellationTier[], locale: PolicyLocale): string {
  const effective = effectiveTiers(tiers);
  const zh = locale === "zh-CN";
  if (effective.length === 0) return zh ? "取消不退款。" : "No refund on cancellation.";
  const phrases = effective.map((tier, i) => {
    const share =
      tier.refundBps === WHOLE_BPS
        ? zh
          ? "全额退款"
          : "full refund"
        : zh
          ? `退还 ${formatShare(tier.refundBps, locale)}`
          : `${formatShare(tier.refundBps, locale)}`;
    const until =
      tier.secondsBeforeStart === 0
        ? zh
          ? "开始前"
          : "until the start"
        : zh
          ? `开始前 ${formatDuration(tier.secondsBeforeStart, locale)}之前`
          : `until ${formatDuration(tier.secondsBeforeStart, locale)} before`;
    if (zh) return i === 0 ? `${until}取消可${share}` : `此后${until}取消${share}`;
    const text = `${share} ${until}`;
    return i === 0 ? text.charAt(0).toUpperCase() + text.slice(1) : `then ${text}`;
  });
  const last = effective.at(-1)!;
  if (last.secondsBeforeStart > 0) phrases.push(zh ? "之后不退款" : "then none");
  return zh ? `${phrases.join("，")}。` : `${phrases.join(", ")}.`;
}

/** What a customer who neither shows up nor disputes gets back. */
export function describeNoShow(noShowRefundBps: number, locale: PolicyLocale): string {
  const zh = locale === "zh-CN";
  if (noShowRefundBps === 0) return zh ? "未到场：押金归商家。" : "No-show: the deposit goes to the merchant.";
  if (noShowRefundBps === WHOLE_BPS) return zh ? "未到场：押金全额退还。" : "No-show: the whole deposit is refunded.";
  const share = formatShare(noShowRefundBps, locale);
  return zh ? `未到场：退还押金的 ${share}。` : `No-show: ${share} of the deposit is refunded.`;
}

/** Who settles a disagreement, and within what time. */
export function describeDisputes(
  terms: Pick<PolicyTerms, "arbiter" | "arbiterTimeout" | "disputeWindow">,
  locale: PolicyLocale,
): string {
  const zh = locale === "zh-CN";
  if (terms.arbiter === zeroAddress) {
    return zh ? "本项目没有仲裁人，不能发起争议。" : "No disputes: this offering has no arbiter.";
  }
  const window = formatDuration(terms.disputeWindow, locale);
  const timeout = formatDuration(terms.arbiterTimeout, locale);
  return zh
    ? `从时段开始到结束后 ${window}内可以发起争议；仲裁人须在此后 ${timeout}内裁定，否则按无争议结算。`
    : `You can dispute from the start of the slot until ${window} after it ends; the arbiter rules within ${timeout} after that, or the booking settles as if there had been no dispute.`;
}

/** What proves that the customer came, and what that means for their refunds (SPEC §2 Check-in). */
export function describeCheckIn(checkInRule: number, locale: PolicyLocale): string {
  const zh = locale === "zh-CN";
  const lead = formatDuration(CHECK_IN_OPENS_BEFORE_START, locale);
  if (checkInRule === CheckInRule.CustomerSignature) {
    return zh
      ? `只凭您签名的签到码签到：没有它，您将获得未到场退款。您可在开始前 ${lead}起在凭证上签名；场所提交后您不能再取消。`
      : `Check-in by your signed code only: without it you get the no-show refund. You can sign it on your pass from ${lead} before the start; once the venue submits it, you can no longer cancel.`;
  }
  return zh
    ? `您签名的签到码从开始前 ${lead}起可为您签到，并结束您取消的权利；场所也可从您的时段开始起凭自己的确认为您签到。`
    : `Your signed code checks you in from ${lead} before the start and ends your right to cancel; the venue may also check you in on its word from the start of your slot.`;
}

/** That nobody has to wait on the merchant: once the dispute window is over, anyone may settle. */
export function describeSettlement(
  terms: Pick<PolicyTerms, "arbiter" | "disputeWindow">,
  locale: PolicyLocale,
): string {
  const zh = locale === "zh-CN";
  const window = formatDuration(terms.disputeWindow, locale);
  const disputed = terms.arbiter !== zeroAddress;
  if (zh) {
    return `时段结束 ${window}后${disputed ? "（有争议时：仲裁人裁定或期限届满后）" : ""}，任何人（包括您）都可结算这笔预订：您应得的退款不必等商家。`;
  }
  return `${window} after the slot ends${disputed ? " (if disputed, once the arbiter rules or its time runs out)" : ""}, anyone, you included, can settle the booking: what these rules give you never waits on the merchant.`;
}

/** The highest protocol fee the offering accepts; the fee comes out of the merchant's share only. */
export function describeFee(maxFeeBps: number, locale: PolicyLocale): string {
  const zh = locale === "zh-CN";
  if (maxFeeBps >= MAX_FEE_BPS) {
    const cap = formatShare(MAX_FEE_BPS, locale);
    return zh
      ? `协议费只从商家的份额中扣除，不影响您的退款；本项目接受任何协议费（代码上限 ${cap}）。`
      : `The protocol fee comes out of the merchant's share, never your refund; this offering accepts any fee up to the ${cap} cap in code.`;
  }
  const max = formatShare(maxFeeBps, locale);
  return zh
    ? `协议费只从商家的份额中扣除，不影响您的退款；协议费高于 ${max}时，本项目不接受新的预订。`
    : `The protocol fee comes out of the merchant's share, never your refund; this offering takes no new bookings while the fee is above ${max}.`;
}

export function describePolicy(terms: PolicyTerms, locale: PolicyLocale): PolicyText {
  return {
    cancellation: describeCancellation(terms.cancellationTiers, locale),
    noShow: describeNoShow(terms.noShowRefundBps, locale),
    checkIn: describeCheckIn(terms.checkInRule, locale),
    disputes: describeDisputes(terms, locale),
    settlement: describeSettlement(terms, locale),
    fee: describeFee(terms.maxFeeBps, locale),
  };
}

/** When the refund for cancelling next gets smaller, and what it becomes; undefined when it never drops again. */
export function nextRefundDrop(
  tiers: readonly CancellationTier[],
  slotStart: number,
  now: number,
): { at: number; refundBps: number } | undefined {
  if (now >= slotStart) return undefined;
  const remaining = slotStart - now;
  const current = tiers.findIndex((tier) => remaining >= tier.secondsBeforeStart);
  if (current === -1) return undefined; // already no refund
  const currentBps = tiers[current].refundBps;
  if (currentBps === 0) return undefined;
  // The tier ends when less than its secondsBeforeStart remains; the next matching tier (or none) applies then.
  for (let i = current; i < tiers.length; i++) {
    const next = tiers[i + 1];
    if (!next || next.refundBps < currentBps) {
      // A last tier that runs to the start ends with the start itself: cancelling closes then.
      return { at: Math.min(slotStart - tiers[i].secondsBeforeStart + 1, slotStart), refundBps: next?.refundBps ?? 0 };
    }
  }
  return undefined;
}
