// Merchant analytics from the chain's events (through `buildLedger`): when customers come (weekday × hour, in each
// venue's time zone), how far ahead they book, how often bookings are cancelled or not attended, how many of the
// attended bookings came from returning customers, what the merchant earned per token over time, and how guests rate
// the visits (verified reviews) over time. Pure functions: the same ledger, reviews and clock give the same numbers.
import { formatUnits, hashTypedData, type Address, type Hex } from "viem";
import { STAFF_COUPONS } from "./generated/constants.js";
import { BookingStatus } from "./generated/enums.js";
import { loyaltyCoupon } from "./loyalty.js";
import { parseMetadata } from "./offering.js";
import { couponDomain, couponTypes } from "./typed-data.js";
import type { Review } from "./actions/read-reviews.js";
import type { Ledger } from "./ledger/build-ledger.js";
import { wallClock, WEEKDAYS } from "./wall-clock.js";

export type Period = "day" | "week" | "month";

export type AnalyticsOptions = {
  /** The chain's time (Unix seconds): slots that ended before it without a check-in count as no-shows. */
  now: number;
  /** One offering, or all of the ledger's when omitted. */
  offeringId?: number;
  period: Period;
  /** Time zone for offerings whose metadata names none (the viewer's). */
  fallbackTimeZone: string;
  /** The verified reviews of the merchant's offerings (`readReviews`); others' are left out. */
  reviews?: readonly Review[];
  /** The escrow, whose EIP-712 domain a reward's coupon is signed in: without it, redemptions are not counted. */
  escrow?: { chainId: number; address: Address };
};

export type RatingPoint = { period: string; count: number; average: number };

/** Upper bounds of the lead-time buckets, in seconds; the last bucket is open-ended. */
export const LEAD_TIME_BOUNDS = [3_600, 6 * 3_600, 86_400, 3 * 86_400, 7 * 86_400, 30 * 86_400] as const;

export type LeadTimeBucket = { from: number; to?: number; bookings: number };

export type RevenueSeries = { token: Address; total: bigint; points: { period: string; amount: bigint }[] };

export type Analytics = {
  bookings: number;
  seats: number;
  /** Seats booked per weekday (0 = Monday) and hour of the slot's start, in the venue's time zone. */
  heatMap: number[][];
  leadTime: { buckets: LeadTimeBucket[]; medianSeconds?: number };
  cancellations: { byCustomer: number; byMerchant: number; rate?: number };
  noShows: { noShows: number; attended: number; rate?: number };
  /** Fulfilled (checked-in, not cancelled) bookings, and those of them whose customer had an earlier fulfilled booking
   *  at this merchant (any of its offerings, even when narrowed to one); `share` is the second over the first. */
  repeatCustomers: { fulfilled: number; fromReturning: number; share?: number };
  /** The merchant's net share (after fee) of settled bookings, by the slot's period in the venue's time zone. */
  revenue: RevenueSeries[];
  /** Verified reviews: their count and average rating, overall and by the review's period in the venue's zone. */
  ratings: { count: number; average?: number; points: RatingPoint[] };
  /** Loyalty rewards (offerings whose metadata has a rule): earned by fulfilled visits, each issued as a coupon by
   *  the notifier, and those redeemed by a booking (counted only when `escrow` is given). */
  rewards: { issued: number; redeemed?: number };
};

const pad = (n: number) => String(n).padStart(2, "0");

/** "2025-03-07" (day), the Monday starting its week (week), or "2025-03" (month). */
export function periodOf(seconds: number, timeZone: string, period: Period): string {
  const wall = wallClock(seconds, timeZone);
  if (period === "month") return `${wall.year}-${pad(wall.month)}`;
  const date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day - (period === "week" ? wall.weekday : 0)));
  return date.toISOString().slice(0, 10);
}

const isFulfilled = (booking: { status: BookingStatus; checkedIn: boolean }) =>
  booking.checkedIn &&
  booking.status !== BookingStatus.CustomerCancelled &&
  booking.status !== BookingStatus.MerchantCancelled;

/** Each customer's (lower-case) earliest fulfilled slot at the merchant of `ledger`. */
function firstVisits(ledger: Ledger): Map<string, number> {
  const first = new Map<string, number>();
  for (const booking of ledger.bookings.values()) {
    if (!ledger.offerings.has(booking.offeringId) || !isFulfilled(booking)) continue;
    const customer = booking.customer.toLowerCase();
    const earliest = first.get(customer);
    if (earliest === undefined || booking.slotStart < earliest) first.set(customer, booking.slotStart);
  }
  return first;
}

function median(sorted: number[]): number | undefined {
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function analyze(ledger: Ledger, options: AnalyticsOptions): Analytics {
  const heatMap = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const buckets: LeadTimeBucket[] = [0, ...LEAD_TIME_BOUNDS].map((from, i) => ({
    from,
    to: LEAD_TIME_BOUNDS[i],
    bookings: 0,
  }));
  const leadTimes: number[] = [];
  const revenue = new Map<Address, Map<string, bigint>>();
  const result: Analytics = {
    bookings: 0,
    seats: 0,
    heatMap,
    leadTime: { buckets },
    cancellations: { byCustomer: 0, byMerchant: 0 },
    noShows: { noShows: 0, attended: 0 },
    repeatCustomers: { fulfilled: 0, fromReturning: 0 },
    revenue: [],
    ratings: { count: 0, points: [] },
    rewards: { issued: 0 },
  };
  const visits = firstVisits(ledger);

  for (const booking of ledger.bookings.values()) {
    const offering = ledger.offerings.get(booking.offeringId);
    if (!offering || (options.offeringId !== undefined && booking.offeringId !== options.offeringId)) continue;
    const zone = parseMetadata(offering.metadata).timeZone ?? options.fallbackTimeZone;
    result.bookings++;
    result.seats += booking.seats;
    const wall = wallClock(booking.slotStart, zone);
    heatMap[wall.weekday][wall.hour] += booking.seats;

    if (booking.bookedAt !== undefined) {
      const lead = Math.max(0, booking.slotStart - booking.bookedAt);
      leadTimes.push(lead);
      buckets.find((b) => b.to === undefined || lead < b.to)!.bookings++;
    }

    if (booking.status === BookingStatus.CustomerCancelled) result.cancellations.byCustomer++;
    else if (booking.status === BookingStatus.MerchantCancelled) result.cancellations.byMerchant++;
    else if (booking.checkedIn) result.noShows.attended++;
    else if (booking.status === BookingStatus.NoShow || booking.slotStart + offering.slotLength <= options.now) {
      result.noShows.noShows++;
    }

    if (isFulfilled(booking)) {
      result.repeatCustomers.fulfilled++;
      // A customer returns when an earlier slot of theirs was fulfilled; two bookings in one slot are one visit.
      if (visits.get(booking.customer.toLowerCase())! < booking.slotStart) result.repeatCustomers.fromReturning++;
    }

    if (booking.merchantShare) {
      const series = revenue.get(offering.token) ?? new Map<string, bigint>();
      revenue.set(offering.token, series);
      const period = periodOf(booking.slotStart, zone, options.period);
      series.set(period, (series.get(period) ?? 0n) + booking.merchantShare);
    }
  }

  const cancelled = result.cancellations.byCustomer + result.cancellations.byMerchant;
  if (result.bookings > 0) result.cancellations.rate = cancelled / result.bookings;
  const judged = result.noShows.noShows + result.noShows.attended;
  if (judged > 0) result.noShows.rate = result.noShows.noShows / judged;
  const { fulfilled, fromReturning } = result.repeatCustomers;
  if (fulfilled > 0) result.repeatCustomers.share = fromReturning / fulfilled;
  result.ratings = ratingsOf(ledger, options);
  result.rewards = rewardsOf(ledger, options);
  result.leadTime.medianSeconds = median(leadTimes.sort((a, b) => a - b));
  result.revenue = [...revenue].map(([token, series]) => {
    const points = [...series].sort(([a], [b]) => (a < b ? -1 : 1)).map(([period, amount]) => ({ period, amount }));
    return { token, total: points.reduce((sum, p) => sum + p.amount, 0n), points };
  });
  return result;
}

/** The rewards the loyalty rules gave, and how many a booking redeemed. A reward's coupon is rebuilt from the
 *  chain (loyalty.ts); which visit earned it and who signed it (the merchant or its coupon staff now) are tried in
 *  turn, so a redemption is recognised whichever order the visits settled in within a block. */
function rewardsOf(ledger: Ledger, options: AnalyticsOptions): Analytics["rewards"] {
  const signers = [
    ...new Set(
      [...ledger.offerings.values()]
        .map((o) => o.merchant.toLowerCase() as Address)
        .concat(
          ledger.staff.filter((s) => (s.roles & STAFF_COUPONS) !== 0).map((s) => s.staff.toLowerCase() as Address),
        ),
    ),
  ];
  type Visits = { offeringId: number; customer: Address; slots: number[]; couponDigests: Set<Hex> };
  const visits = new Map<string, Visits>();
  for (const booking of ledger.bookings.values()) {
    if (options.offeringId !== undefined && booking.offeringId !== options.offeringId) continue;
    const key = `${booking.offeringId}:${booking.customer.toLowerCase()}`;
    const entry = visits.get(key) ?? {
      offeringId: booking.offeringId,
      customer: booking.customer,
      slots: [],
      couponDigests: new Set<Hex>(),
    };
    visits.set(key, entry);
    if (booking.couponDigest) entry.couponDigests.add(booking.couponDigest);
    if (booking.status === BookingStatus.Fulfilled) entry.slots.push(booking.slotStart);
  }
  let issued = 0;
  let redeemed = 0;
  for (const { offeringId, customer, slots, couponDigests } of visits.values()) {
    const offering = ledger.offerings.get(offeringId);
    const rule = offering && parseMetadata(offering.metadata).loyalty;
    if (!offering || !rule) continue;
    const earned = Math.floor(slots.length / rule.visits);
    issued += earned;
    // Only a customer who redeemed a coupon here can have redeemed a reward: the digests are worked out for them.
    if (!options.escrow || couponDigests.size === 0) continue;
    const domain = couponDomain(options.escrow.chainId, options.escrow.address);
    for (let rewardNumber = 1; rewardNumber <= earned; rewardNumber++) {
      const found = slots.some((earnedAtSlotStart) =>
        signers.some((signer) => {
          const message = loyaltyCoupon({
            offeringId,
            depositPerSeat: offering.depositPerSeat,
            rule,
            customer,
            rewardNumber,
            earnedAtSlotStart,
            signer,
          });
          return couponDigests.has(hashTypedData({ domain, types: couponTypes, primaryType: "Coupon", message }));
        }),
      );
      if (found) redeemed++;
    }
  }
  return options.escrow ? { issued, redeemed } : { issued };
}

function ratingsOf(ledger: Ledger, options: AnalyticsOptions): Analytics["ratings"] {
  const byPeriod = new Map<string, { count: number; sum: number }>();
  let count = 0;
  let sum = 0;
  for (const review of options.reviews ?? []) {
    const offering = ledger.offerings.get(review.offeringId);
    if (!offering || (options.offeringId !== undefined && review.offeringId !== options.offeringId)) continue;
    const zone = parseMetadata(offering.metadata).timeZone ?? options.fallbackTimeZone;
    const period = periodOf(review.reviewedAt, zone, options.period);
    const point = byPeriod.get(period) ?? { count: 0, sum: 0 };
    byPeriod.set(period, { count: point.count + 1, sum: point.sum + review.rating });
    count++;
    sum += review.rating;
  }
  const points = [...byPeriod]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([period, p]) => ({ period, count: p.count, average: p.sum / p.count }));
  return count === 0 ? { count, points } : { count, average: sum / count, points };
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The analytics as CSV in long form (`metric,key,token,value`), amounts in token units, rates as fractions. */
export function analyticsCsv(
  analytics: Analytics,
  tokens: Record<Address, { symbol: string; decimals: number }>,
): string {
  const rows: (string | number)[][] = [["metric", "key", "token", "value"]];
  rows.push(["bookings", "", "", analytics.bookings], ["seats", "", "", analytics.seats]);
  analytics.heatMap.forEach((hours, day) =>
    hours.forEach((seats, hour) => {
      if (seats > 0) rows.push(["seatsByWeekdayHour", `${WEEKDAYS[day]} ${pad(hour)}:00`, "", seats]);
    }),
  );
  for (const bucket of analytics.leadTime.buckets) {
    rows.push(["bookingsByLeadTime", `${bucket.from}-${bucket.to ?? ""}s`, "", bucket.bookings]);
  }
  if (analytics.leadTime.medianSeconds !== undefined) {
    rows.push(["medianLeadTimeSeconds", "", "", analytics.leadTime.medianSeconds]);
  }
  rows.push(
    ["cancelledByCustomer", "", "", analytics.cancellations.byCustomer],
    ["cancelledByMerchant", "", "", analytics.cancellations.byMerchant],
    ["cancellationRate", "", "", analytics.cancellations.rate ?? ""],
    ["noShows", "", "", analytics.noShows.noShows],
    ["attended", "", "", analytics.noShows.attended],
    ["noShowRate", "", "", analytics.noShows.rate ?? ""],
    ["fulfilled", "", "", analytics.repeatCustomers.fulfilled],
    ["fulfilledFromReturningCustomers", "", "", analytics.repeatCustomers.fromReturning],
    ["repeatCustomerShare", "", "", analytics.repeatCustomers.share ?? ""],
    ["reviews", "", "", analytics.ratings.count],
    ["averageRating", "", "", analytics.ratings.average ?? ""],
    ["rewardsIssued", "", "", analytics.rewards.issued],
    ["rewardsRedeemed", "", "", analytics.rewards.redeemed ?? ""],
  );
  for (const point of analytics.ratings.points) rows.push(["averageRatingByPeriod", point.period, "", point.average]);
  for (const series of analytics.revenue) {
    const token = tokens[series.token] ?? { symbol: series.token, decimals: 0 };
    for (const point of series.points) {
      rows.push(["revenue", point.period, token.symbol, formatUnits(point.amount, token.decimals)]);
    }
    rows.push(["revenueTotal", "", token.symbol, formatUnits(series.total, token.decimals)]);
  }
  return rows.map((row) => row.map(csvCell).join(",")).join("\n") + "\n";
}
