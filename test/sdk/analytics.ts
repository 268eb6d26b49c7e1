// sdk/analytics.ts and the console's reads under it: the ledger rebuilt from the chain's events, claims planned
// from it (checked against what `claim` pays), cached event reads, and the analytics arithmetic.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, zeroAddress, type Address } from "viem";
import {
  analyticsCsv,
  analyze,
  BookingStatus,
  buildLedger,
  claimableBookings,
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
    await f.escrow.write.claim([batches[0]], { account: f.merchant.account });
    assert.equal((await ethBalance(f, f.payout.account.address)) - ethBefore, totals.get(zeroAddress));
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
