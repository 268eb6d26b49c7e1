// sdk/analytics.ts and the console's reads under it: the ledger rebuilt from the chain's events, claims planned
// from it (checked against what `claim` pays), the claim's receipt read back from its logs, cached event reads, and
// the analytics arithmetic.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  encodeAbiParameters,
  encodeEventTopics,
  getAddress,
  hashTypedData,
  zeroAddress,
  type Address,
  type ContractEventName,
  type Hex,
  type Log,
} from "viem";
import {
  analyticsCsv,
  analyze,
  BookingStatus,
  buildLedger,
  claimableBookings,
  claimReceipt,
  couponDomain,
  couponTypes,
  earnestEscrowAbi,
  loyaltyCoupon,
  createRpc,
  periodOf,
  planClaimBatches,
  readEscrowEvents,
  settlesAt,
  split,
  STAFF_CANCEL,
  STAFF_CHECK_IN,
  totalsByToken,
  type CacheData,
  type ClaimableBooking,
  type Ledger,
  type LedgerBooking,
  type LedgerOffering,
  type LogCache,
  type ReceiptLogs,
} from "@earnest/sdk";
import { book } from "../support/booking.js";
import { atTime, ethBalance } from "../support/chain.js";
import {
  ARBITER_TIMEOUT,
  connection,
  DAY,
  deployWithOfferings,
  deployWithStaff,
  ETH_DEPOSIT,
  FEE_BPS,
  HOUR,
  networkHelpers,
  NO_SHOW_BPS,
  slotInDays,
  terms,
  TIMING,
} from "../support/fixture.js";
import { signCheckIn } from "../support/signing.js";

const USD: Address = "0x00000000000000000000000000000000000000d5";
const at = (iso: string) => Date.parse(iso) / 1000;

function offering(id: number, token: Address, metadata: string): LedgerOffering {
  return { ...terms(0, { token, metadata }), id, merchant: zeroAddress, active: true };
}

function booking(
  id: number,
  offeringId: number,
  slotStart: number,
  lead: number,
  fields: Partial<LedgerBooking>,
): LedgerBooking {
  return {
    bookingId: BigInt(id),
    offeringId,
    customer: zeroAddress,
    slotStart,
    seats: 1,
    amount: 1_000n,
    feeBps: 0,
    detailsHash: "0x",
    bookedAt: slotStart - lead,
    checkedIn: false,
    disputed: false,
    status: BookingStatus.Booked,
    ...fields,
  };
}

/** Offering 1 is in Tokyo (UTC+9) and paid in ETH; offering 2 names no time zone and is paid in a token. */
function sampleLedger(): Ledger {
  const mondayTokyo = at("2025-03-02T16:00:00Z"); // Monday 01:00 in Tokyo, still Sunday in UTC
  const tuesdayTokyo = at("2025-03-04T10:00:00Z"); // Tuesday 19:00 in Tokyo
  const bookings = [
    booking(1, 1, mondayTokyo, 2 * HOUR, {
      seats: 2,
      checkedIn: true,
      status: BookingStatus.Fulfilled,
      merchantShare: 100n,
    }),
    booking(2, 1, mondayTokyo, 2 * DAY, { status: BookingStatus.CustomerCancelled, merchantShare: 40n }),
    booking(3, 1, tuesdayTokyo, 30 * 60, { seats: 3 }), // slot over, never checked in: a no-show not yet claimed
    booking(4, 2, at("2025-03-10T08:00:00Z"), 10 * DAY, {
      seats: 4,
      status: BookingStatus.MerchantCancelled,
      merchantShare: 0n,
    }),
    booking(5, 2, at("2025-03-11T08:00:00Z"), 40 * DAY, { status: BookingStatus.NoShow, merchantShare: 60n }),
  ];
  return {
    offerings: new Map([
      [1, offering(1, zeroAddress, JSON.stringify({ name: "Tea", timeZone: "Asia/Tokyo" }))],
      [2, offering(2, USD, "Plain, no JSON")],
    ]),
    bookings: new Map(bookings.map((b) => [b.bookingId, b])),
    claims: [],
    staff: [],
  };
}

const NOW = at("2025-04-01T00:00:00Z");
const C_ADDRESS: Address = "0x00000000000000000000000000000000000000cc";

describe("sdk analytics", () => {
  it("counts bookings by weekday and hour in each venue's time zone", () => {
    const a = analyze(sampleLedger(), { now: NOW, period: "week", fallbackTimeZone: "UTC" });
    assert.equal(a.bookings, 5);
    assert.equal(a.seats, 11);
    const cells = a.heatMap
      .flatMap((hours, day) => hours.map((seats, hour) => ({ day, hour, seats })))
      .filter((c) => c.seats);
    assert.deepEqual(cells, [
      { day: 0, hour: 1, seats: 3 }, // Monday 01:00 Tokyo
      { day: 0, hour: 8, seats: 4 }, // Monday 08:00 UTC
      { day: 1, hour: 8, seats: 1 },
      { day: 1, hour: 19, seats: 3 },
    ]);
  });

  it("buckets lead times and finds their median", () => {
    const { leadTime } = analyze(sampleLedger(), { now: NOW, period: "week", fallbackTimeZone: "UTC" });
    assert.deepEqual(
      leadTime.buckets.map((b) => b.bookings),
      [1, 1, 0, 1, 0, 1, 1],
    );
    assert.equal(leadTime.buckets.at(-1)!.to, undefined);
    assert.equal(leadTime.medianSeconds, 2 * DAY);
  });

  it("rates cancellations over all bookings and no-shows over the slots that happened", () => {
    const a = analyze(sampleLedger(), { now: NOW, period: "week", fallbackTimeZone: "UTC" });
    assert.deepEqual(a.cancellations, { byCustomer: 1, byMerchant: 1, rate: 0.4 });
    assert.deepEqual(a.noShows, { noShows: 2, attended: 1, rate: 2 / 3 });
    // Before the Tuesday slot ends it is not a no-show yet.
    const early = analyze(sampleLedger(), { now: at("2025-03-04T10:30:00Z"), period: "week", fallbackTimeZone: "UTC" });
    assert.deepEqual(early.noShows, { noShows: 1, attended: 1, rate: 0.5 });
  });

  it("sums the merchant's net share per token and period of the slot, in the venue's calendar", () => {
    const weekly = analyze(sampleLedger(), { now: NOW, period: "week", fallbackTimeZone: "UTC" });
    assert.deepEqual(weekly.revenue, [
      { token: zeroAddress, total: 140n, points: [{ period: "2025-03-03", amount: 140n }] },
      { token: USD, total: 60n, points: [{ period: "2025-03-10", amount: 60n }] },
    ]);
    const daily = analyze(sampleLedger(), { now: NOW, period: "day", fallbackTimeZone: "UTC" });
    assert.deepEqual(daily.revenue[0].points, [{ period: "2025-03-03", amount: 140n }]);
    assert.equal(periodOf(at("2025-03-02T16:00:00Z"), "UTC", "week"), "2025-02-24");
    assert.equal(periodOf(at("2025-03-31T23:00:00Z"), "Asia/Tokyo", "month"), "2025-04");
  });

  it("narrows to one offering", () => {
    const a = analyze(sampleLedger(), { now: NOW, period: "month", offeringId: 2, fallbackTimeZone: "UTC" });
    assert.equal(a.bookings, 2);
    assert.deepEqual(a.cancellations, { byCustomer: 0, byMerchant: 1, rate: 0.5 });
    assert.deepEqual(a.revenue, [{ token: USD, total: 60n, points: [{ period: "2025-03", amount: 60n }] }]);
    const none = analyze(sampleLedger(), { now: NOW, period: "month", offeringId: 9, fallbackTimeZone: "UTC" });
    assert.equal(none.cancellations.rate, undefined);
    assert.equal(none.noShows.rate, undefined);
    assert.equal(none.leadTime.medianSeconds, undefined);
  });

  it("exports CSV with amounts in token units", () => {
    const a = analyze(sampleLedger(), { now: NOW, period: "week", fallbackTimeZone: "UTC" });
    const csv = analyticsCsv(a, {
      [zeroAddress]: { symbol: "ETH", decimals: 2 },
      [USD]: { symbol: "mUSD, test", decimals: 0 },
    });
    const lines = csv.trimEnd().split("\n");
    assert.equal(lines[0], "metric,key,token,value");
    assert.ok(lines.includes("seatsByWeekdayHour,Mon 01:00,,3"));
    assert.ok(lines.includes("cancellationRate,,,0.4"));
    assert.ok(lines.includes("revenue,2025-03-03,ETH,1.4"));
    assert.ok(lines.includes('revenueTotal,,"mUSD, test",60'));
    assert.ok(lines.includes("fulfilled,,,1"));
    assert.ok(lines.includes("fulfilledFromReturningCustomers,,,0"));
    assert.ok(lines.includes("repeatCustomerShare,,,0"));
  });

  it("averages verified ratings overall and by the review's period in the venue's zone, the merchant's only", () => {
    const review = (offeringId: number, rating: number, iso: string) => ({
      bookingId: 1n,
      offeringId,
      customer: C_ADDRESS,
      rating,
      text: "",
      reviewedAt: at(iso),
      blockNumber: 1n,
      transactionHash: "0x" as Hex,
    });
    const reviews = [
      review(1, 5, "2025-03-02T16:00:00Z"), // Monday 3 March in Tokyo, still Sunday in UTC
      review(1, 2, "2025-03-03T01:00:00Z"),
      review(2, 4, "2025-03-12T09:00:00Z"),
      review(9, 1, "2025-03-12T09:00:00Z"), // another merchant's offering
    ];
    const a = analyze(sampleLedger(), { now: NOW, period: "week", fallbackTimeZone: "UTC", reviews });
    assert.deepEqual(a.ratings, {
      count: 3,
      average: 11 / 3,
      points: [
        { period: "2025-03-03", count: 2, average: 3.5 },
        { period: "2025-03-10", count: 1, average: 4 },
      ],
    });
    const one = analyze(sampleLedger(), { now: NOW, period: "week", offeringId: 2, fallbackTimeZone: "UTC", reviews });
    assert.deepEqual(one.ratings, { count: 1, average: 4, points: [{ period: "2025-03-10", count: 1, average: 4 }] });
    assert.deepEqual(analyze(sampleLedger(), { now: NOW, period: "week", fallbackTimeZone: "UTC" }).ratings, {
      count: 0,
      points: [],
    });
    const csv = analyticsCsv(a, {}).trimEnd().split("\n");
    assert.ok(csv.includes("reviews,,,3"));
    assert.ok(csv.includes("averageRatingByPeriod,2025-03-03,,3.5"));
  });

  it("counts loyalty rewards earned by fulfilled visits and those a booking redeemed", () => {
    const merchant: Address = "0x00000000000000000000000000000000000000aa";
    const escrow = { chainId: 31337, address: "0x00000000000000000000000000000000000000e5" as Address };
    const rule = { visits: 2, discountBps: 2_000 };
    const tea = { ...offering(1, USD, JSON.stringify({ name: "Tea", loyalty: rule })), merchant };
    const plain = { ...offering(2, USD, JSON.stringify({ name: "No rule" })), merchant };
    const slot = (day: number) => at("2025-03-01T10:00:00Z") + day * DAY;
    const fulfilled = { status: BookingStatus.Fulfilled, checkedIn: true };
    // The reward of C's second visit, signed by the merchant: what the notifier would issue.
    const reward = loyaltyCoupon({
      offeringId: 1,
      depositPerSeat: tea.depositPerSeat,
      rule,
      customer: C_ADDRESS,
      rewardNumber: 1,
      earnedAtSlotStart: slot(2),
      signer: merchant,
    });
    const digest = hashTypedData({
      domain: couponDomain(escrow.chainId, escrow.address),
      types: couponTypes,
      primaryType: "Coupon",
      message: reward,
    });
    const other: Address = "0x00000000000000000000000000000000000000dd";
    const bookings = [
      booking(1, 1, slot(1), HOUR, { customer: C_ADDRESS, ...fulfilled }),
      booking(2, 1, slot(2), HOUR, { customer: C_ADDRESS, ...fulfilled }),
      booking(3, 1, slot(3), HOUR, { customer: C_ADDRESS, ...fulfilled, couponDigest: digest }),
      booking(4, 1, slot(4), HOUR, { customer: other, ...fulfilled }),
      booking(5, 1, slot(5), HOUR, { customer: other, status: BookingStatus.NoShow }),
      booking(6, 2, slot(1), HOUR, { customer: other, ...fulfilled }),
      booking(7, 2, slot(2), HOUR, { customer: other, ...fulfilled, couponDigest: `0x${"11".repeat(32)}` }),
    ];
    const ledger: Ledger = {
      offerings: new Map([
        [1, tea],
        [2, plain],
      ]),
      bookings: new Map(bookings.map((b) => [b.bookingId, b])),
      claims: [],
      staff: [],
    };
    const options = { now: NOW, period: "week" as const, fallbackTimeZone: "UTC" };
    assert.deepEqual(analyze(ledger, { ...options, escrow }).rewards, { issued: 1, redeemed: 1 });
    assert.deepEqual(analyze(ledger, options).rewards, { issued: 1 });
    // In another escrow's domain the same coupon is another digest: not this reward.
    assert.deepEqual(analyze(ledger, { ...options, escrow: { ...escrow, chainId: 1 } }).rewards, {
      issued: 1,
      redeemed: 0,
    });
    const csv = analyticsCsv(analyze(ledger, { ...options, escrow }), {})
      .trimEnd()
      .split("\n");
    assert.ok(csv.includes("rewardsIssued,,,1"));
    assert.ok(csv.includes("rewardsRedeemed,,,1"));
  });

  it("counts the fulfilled bookings of customers who came back after an earlier fulfilled visit", () => {
    const ada = "0x000000000000000000000000000000000000ada0";
    const bob = "0x000000000000000000000000000000000000b0b0";
    const day = (n: number) => at("2025-03-01T19:00:00Z") + n * DAY;
    const attended = { checkedIn: true, status: BookingStatus.Fulfilled };
    const bookings = [
      // Ada: first visit on day 1 (two bookings in that slot are still one visit), back on day 5 at offering 2.
      booking(1, 1, day(1), HOUR, { customer: ada, ...attended }),
      booking(2, 1, day(1), HOUR, { customer: ada, ...attended }),
      booking(3, 2, day(5), HOUR, { customer: getAddress(ada), ...attended }), // casing does not make a new customer
      // Bob: a no-show first, so day 4 is his first fulfilled visit; his day-6 booking was cancelled after check-in.
      booking(4, 1, day(2), HOUR, { customer: bob, status: BookingStatus.NoShow }),
      booking(5, 1, day(4), HOUR, { customer: bob, checkedIn: true }), // checked in, not settled yet
      booking(6, 1, day(6), HOUR, { customer: bob, checkedIn: true, status: BookingStatus.MerchantCancelled }),
      booking(7, 2, day(7), HOUR, { customer: bob, ...attended }),
    ];
    const ledger: Ledger = { ...sampleLedger(), bookings: new Map(bookings.map((b) => [b.bookingId, b])) };
    const all = analyze(ledger, { now: NOW, period: "week", fallbackTimeZone: "UTC" });
    assert.deepEqual(all.repeatCustomers, { fulfilled: 5, fromReturning: 2, share: 2 / 5 });
    // Narrowed to offering 2, both of its bookings are returns: the visits before were at offering 1.
    const second = analyze(ledger, { now: NOW, period: "week", offeringId: 2, fallbackTimeZone: "UTC" });
    assert.deepEqual(second.repeatCustomers, { fulfilled: 2, fromReturning: 2, share: 1 });
    const none = analyze(ledger, { now: NOW, period: "week", offeringId: 9, fallbackTimeZone: "UTC" });
    assert.deepEqual(none.repeatCustomers, { fulfilled: 0, fromReturning: 0 });
  });

  it("sums revenue per token by week and by month of the slot in the venue's zone", () => {
    const monthly = analyze(sampleLedger(), { now: NOW, period: "month", fallbackTimeZone: "UTC" });
    assert.deepEqual(monthly.revenue, [
      { token: zeroAddress, total: 140n, points: [{ period: "2025-03", amount: 140n }] },
      { token: USD, total: 60n, points: [{ period: "2025-03", amount: 60n }] },
    ]);
    // 31 March 23:30 UTC is already April in Tokyo, and its Monday's week.
    const late = booking(9, 1, at("2025-03-31T15:30:00Z"), HOUR, { merchantShare: 7n, status: BookingStatus.NoShow });
    const ledger = sampleLedger();
    ledger.bookings.set(late.bookingId, late);
    const byMonth = analyze(ledger, { now: NOW, period: "month", fallbackTimeZone: "UTC" });
    assert.deepEqual(byMonth.revenue[0].points, [
      { period: "2025-03", amount: 140n },
      { period: "2025-04", amount: 7n },
    ]);
    const byWeek = analyze(ledger, { now: NOW, period: "week", fallbackTimeZone: "UTC" });
    assert.deepEqual(byWeek.revenue[0], {
      token: zeroAddress,
      total: 147n,
      points: [
        { period: "2025-03-03", amount: 140n },
        { period: "2025-03-31", amount: 7n },
      ],
    });
  });
});

const ESCROW: Address = "0x00000000000000000000000000000000000e5c00";
const MERCHANT: Address = "0x000000000000000000000000000000000000a11c";
const PAYOUT: Address = "0x000000000000000000000000000000000000fa11";

/** An escrow log as a receipt carries it, encoded from the ABI (so the decoding is tested, not assumed). */
function escrowLog<const name extends ContractEventName<typeof earnestEscrowAbi>>(
  eventName: name,
  args: Record<string, unknown>,
  address: Address = ESCROW,
): Log {
  const event = earnestEscrowAbi.find((item) => item.type === "event" && item.name === eventName)!;
  const inputs = (event as { inputs: readonly { name: string; type: string; indexed?: boolean }[] }).inputs;
  // The args are checked against the ABI by encoding them; the helper takes any event's.
  const encode = encodeEventTopics as (p: { abi: typeof earnestEscrowAbi; eventName: string; args: object }) => Hex[];
  const topics = encode({ abi: earnestEscrowAbi, eventName, args });
  const data = inputs.filter((i) => !i.indexed);
  return {
    address,
    topics: topics as [Hex, ...Hex[]],
    data: encodeAbiParameters(
      data,
      data.map((i) => args[i.name]),
    ),
  } as unknown as Log;
}

describe("claim receipt", () => {
  it("reads bookings, totals per token and payout address, credits and transactions from the claim's logs", () => {
    const settled = (bookingId: bigint, outcome: BookingStatus, merchantShare: bigint, customerShare = 0n) =>
      escrowLog("Settled", { bookingId, outcome, refundBps: 0n, customerShare, merchantShare, fee: 5n });
    const first: ReceiptLogs = {
      transactionHash: `0x${"01".repeat(32)}`,
      logs: [
        settled(1n, BookingStatus.Fulfilled, 95n),
        settled(2n, BookingStatus.NoShow, 76n, 19n),
        // The same event from another contract is not the escrow's.
        escrowLog("Claimed", { merchant: MERCHANT, token: zeroAddress, payout: MERCHANT, amount: 999n }, USD),
        escrowLog("Claimed", { merchant: MERCHANT, token: zeroAddress, payout: PAYOUT, amount: 171n }),
      ],
    };
    const second: ReceiptLogs = {
      transactionHash: `0x${"02".repeat(32)}`,
      logs: [
        settled(3n, BookingStatus.Fulfilled, 40n),
        settled(4n, BookingStatus.Fulfilled, 50n),
        escrowLog("Claimed", { merchant: MERCHANT, token: zeroAddress, payout: PAYOUT, amount: 40n }),
        escrowLog("Claimed", { merchant: MERCHANT, token: USD, payout: PAYOUT, amount: 50n }),
        // The payout address refused the token transfer: it holds the share as a credit.
        escrowLog("Credited", { token: USD, account: PAYOUT, amount: 50n }),
        // A customer's refused refund is not the merchant's.
        escrowLog("Credited", { token: zeroAddress, account: C_ADDRESS, amount: 19n }),
      ],
    };
    const receipt = claimReceipt([first, second], { escrow: ESCROW, merchant: MERCHANT });
    assert.deepEqual(
      receipt.bookings.map((b) => [b.bookingId, b.outcome, b.merchantShare, b.customerShare, b.transactionHash]),
      [
        [1n, BookingStatus.Fulfilled, 95n, 0n, first.transactionHash],
        [2n, BookingStatus.NoShow, 76n, 19n, first.transactionHash],
        [3n, BookingStatus.Fulfilled, 40n, 0n, second.transactionHash],
        [4n, BookingStatus.Fulfilled, 50n, 0n, second.transactionHash],
      ],
    );
    assert.deepEqual(receipt.payouts, [
      { token: zeroAddress, payout: getAddress(PAYOUT), amount: 211n, credited: 0n },
      { token: getAddress(USD), payout: getAddress(PAYOUT), amount: 50n, credited: 50n },
    ]);
    assert.deepEqual(receipt.transactions, [first.transactionHash, second.transactionHash]);
    // Another merchant's claim in the same logs is not this merchant's.
    const other = claimReceipt([first], { escrow: ESCROW, merchant: PAYOUT });
    assert.deepEqual(other.payouts, []);
    assert.equal(other.bookings.length, 2);
  });
});

describe("merchant reads from the chain's events", () => {
  it("rebuilds the merchant's bookings, plans a claim that pays exactly the predicted net, and reads only new blocks", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const attended = await book(f, f.ethOffering, slot, 2);
    const noShow = await book(f, f.ethOffering, slot, 1, f.customer2);
    const cancelled = await book(f, f.ethOffering, slot, 1);
    const tokenNoShow = await book(f, f.tokenOffering, slot, 3, f.customer2);
    await f.escrow.write.cancel([cancelled.id], { account: f.customer.account });
    await atTime(slot);
    await f.escrow.write.checkIn([attended.id], { account: f.merchant.account });

    let stored: CacheData | undefined;
    const cache: LogCache = {
      load: () => Promise.resolve(stored),
      save: (data) => {
        stored = data;
        return Promise.resolve();
      },
    };
    const rpc = createRpc(connection.provider);
    const params = { escrow: f.escrow.address, fromBlock: 0n, cache };
    const first = await readEscrowEvents(rpc, params);
    const ledger = buildLedger(first.events, { merchant: f.merchant.account.address });
    assert.equal(ledger.offerings.size, 2);
    assert.deepEqual(
      [...ledger.bookings.values()].map((b) => [b.bookingId, b.status, b.checkedIn]),
      [
        [attended.id, BookingStatus.Booked, true],
        [noShow.id, BookingStatus.Booked, false],
        [cancelled.id, BookingStatus.CustomerCancelled, false],
        [tokenNoShow.id, BookingStatus.Booked, false],
      ],
    );
    assert.ok([...ledger.bookings.values()].every((b) => b.bookedAt !== undefined && b.bookedAt < slot));
    assert.equal(claimableBookings(ledger, slot).length, 0, "nothing is claimable before the dispute window ends");

    await atTime(settlesAt({ slotStart: slot }, TIMING));
    await networkHelpers.mine();
    const now = settlesAt({ slotStart: slot }, TIMING);
    const claimable = claimableBookings(ledger, now);
    assert.deepEqual(
      new Set(claimable.map((c) => c.booking.bookingId)),
      new Set([attended.id, noShow.id, tokenNoShow.id]),
    );
    const batches = planClaimBatches(claimable, 30_000_000n);
    assert.equal(batches.length, 1);

    const totals = totalsByToken(claimable);
    const ethBefore = await ethBalance(f, f.payout.account.address);
    const usdBefore = await f.stablecoin.read.balanceOf([f.payout.account.address]);
    const hash = await f.escrow.write.claim([batches[0]], { account: f.merchant.account });
    assert.equal((await ethBalance(f, f.payout.account.address)) - ethBefore, totals.get(zeroAddress));
    // The receipt, read back from the claim's logs, says the same: which bookings, how much, to whom.
    const receipt = claimReceipt([await f.publicClient.getTransactionReceipt({ hash })], {
      escrow: f.escrow.address,
      merchant: f.merchant.account.address,
    });
    assert.deepEqual(
      new Set(receipt.bookings.map((b) => b.bookingId)),
      new Set(claimable.map((c) => c.booking.bookingId)),
    );
    assert.deepEqual(receipt.bookings.find((b) => b.bookingId === noShow.id)?.outcome, BookingStatus.NoShow);
    assert.deepEqual(
      receipt.payouts.map((p) => [p.token, p.payout, p.amount, p.credited]),
      [...totals].map(([token, amount]) => [token, getAddress(f.payout.account.address), amount, 0n]),
    );
    assert.deepEqual(receipt.transactions, [hash]);
    assert.equal(
      (await f.stablecoin.read.balanceOf([f.payout.account.address])) - usdBefore,
      totals.get(getAddress(f.stablecoin.address)),
    );

    const second = await readEscrowEvents(rpc, params);
    assert.ok(second.fetchedBlocks <= 2, `read ${second.fetchedBlocks} blocks again`);
    assert.equal(second.events.length, first.events.length + 5); // 3 Settled + 2 Claimed
    const after = buildLedger(second.events, { merchant: f.merchant.account.address });
    assert.equal(after.bookings.get(noShow.id)!.status, BookingStatus.NoShow);
    assert.equal(after.claims.length, 2);
    assert.equal(claimableBookings(after, now).length, 0);
    const analytics = analyze(after, { now, period: "day", fallbackTimeZone: "UTC" });
    assert.deepEqual(analytics.noShows, { noShows: 2, attended: 1, rate: 2 / 3 });
  });

  it("shows the arbiter each dispute's reason and the merchant its staff, and claims only what nobody settled", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaff);
    const slot = await slotInDays(f.grid, 3);
    const attended = await book(f, f.ethOffering, slot, 1);
    const disputed = await book(f, f.ethOffering, slot, 1, f.customer2);
    await atTime(slot - HOUR / 2);
    const signature = await signCheckIn(f.customer, attended.id, f.escrow.address);
    await f.escrow.write.checkInWithSignature([attended.id, signature], { account: f.checkInStaff.account });
    await atTime(slot + 1);
    await f.escrow.write.dispute([disputed.id, "Our table was given away"], { account: f.customer2.account });
    await f.escrow.write.setStaffRoles([f.couponStaff.account.address, 0], { account: f.merchant.account });

    const rpc = createRpc(connection.provider);
    const read = async () => (await readEscrowEvents(rpc, { escrow: f.escrow.address, fromBlock: 0n })).events;
    const merchant = { merchant: f.merchant.account.address };
    const ledger = buildLedger(await read(), merchant);
    assert.deepEqual(
      ledger.staff.map((s) => [s.staff, s.roles]),
      [
        [getAddress(f.checkInStaff.account.address), STAFF_CHECK_IN],
        [getAddress(f.cancelStaff.account.address), STAFF_CANCEL],
      ],
    );
    const checkIn = ledger.bookings.get(attended.id)!.checkIn!;
    assert.deepEqual([checkIn.by, checkIn.customerSigned], [getAddress(f.checkInStaff.account.address), true]);
    const arbiters = buildLedger(await read(), { arbiter: f.arbiter.account.address });
    assert.equal(arbiters.bookings.get(disputed.id)!.dispute!.reason, "Our table was given away");
    assert.deepEqual([arbiters.claims, arbiters.staff], [[], []]);

    // A stranger settles the checked-in booking as soon as it can settle: nothing of it is left to claim, and its
    // merchant share shows among the merchant's payouts.
    const settles = settlesAt({ slotStart: slot }, TIMING);
    await atTime(settles);
    await networkHelpers.mine();
    assert.deepEqual(
      claimableBookings(ledger, settles).map((c) => c.booking.bookingId),
      [attended.id],
    );
    await f.escrow.write.settle([attended.id], { account: f.stranger.account });
    const afterSettle = buildLedger(await read(), merchant);
    assert.deepEqual(claimableBookings(afterSettle, settles), []);
    assert.deepEqual(
      afterSettle.claims.map((c) => c.amount),
      [split(ETH_DEPOSIT, 0, FEE_BPS).merchantShare],
    );

    // Once the arbiter's time ran out the dispute settles as a no-show; the claim skips the settled booking.
    const ruling = settles + ARBITER_TIMEOUT;
    await atTime(ruling);
    await networkHelpers.mine();
    const claimable = claimableBookings(afterSettle, ruling);
    assert.deepEqual(
      claimable.map((c) => [c.booking.bookingId, c.refund]),
      [[disputed.id, split(ETH_DEPOSIT, NO_SHOW_BPS, FEE_BPS).customerShare]],
    );
    const before = await ethBalance(f, f.payout.account.address);
    await f.escrow.write.claim([[attended.id, disputed.id]], { account: f.merchant.account });
    assert.equal((await ethBalance(f, f.payout.account.address)) - before, totalsByToken(claimable).get(zeroAddress));
  });

  it("drops a cache whose last block is no longer on the chain", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const rpc = createRpc(connection.provider);
    const head = await f.publicClient.getBlock();
    let stored: CacheData | undefined = {
      version: 1,
      chainId: 31337,
      escrow: f.escrow.address.toLowerCase(),
      fromBlock: "0",
      toBlock: head.number.toString(),
      toBlockHash: `0x${"ab".repeat(32)}`,
      logs: [],
      timestamps: {},
    };
    const cache: LogCache = {
      load: () => Promise.resolve(stored),
      save: (data) => {
        stored = data;
        return Promise.resolve();
      },
    };
    const { events, fetchedBlocks } = await readEscrowEvents(rpc, { escrow: f.escrow.address, fromBlock: 0n, cache });
    assert.equal(fetchedBlocks, Number(head.number) + 1);
    assert.ok(events.some((e) => e.eventName === "OfferingCreated"));
    assert.equal(stored?.toBlockHash, head.hash);
  });

  it("splits a large claim into batches that each fit half a block", () => {
    const many: ClaimableBooking[] = Array.from({ length: 3_000 }, (_, i) => ({
      booking: booking(i + 1, 1, 0, 0, {}),
      token: i % 2 === 0 ? zeroAddress : USD,
      net: 1n,
      refund: i % 3 === 0 ? 1n : 0n,
      fee: 0n,
    }));
    const batches = planClaimBatches(many, 30_000_000n);
    assert.ok(batches.length > 1);
    assert.deepEqual(
      batches.flat(),
      many.map((c) => c.booking.bookingId),
    );
    // A 50-booking claim took 635k gas (bench/gas.json): each batch must stay well inside a 15M budget.
    assert.ok(batches.every((b) => b.length * 12_000 + 60_000 < 15_000_000));
    assert.ok(
      batches.slice(0, -1).every((b) => b.length >= 200),
      "batches are not needlessly small",
    );
    // The transaction gas cap (2^24) limits a batch even when the block allows more.
    assert.deepEqual(planClaimBatches(many, 1_000_000_000n).length, planClaimBatches(many, 16_777_216n).length);
    assert.deepEqual(planClaimBatches([], 30_000_000n), []);
  });
});
