// The sdk's settlement arithmetic and booking-id encoding must agree with the contract to the wei.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createPublicClient, custom, getAddress, parseEther, type EIP1193Provider } from "viem";
import { hardhat } from "viem/chains";
import {
  getCustomerBookings,
  decodeBookingId,
  encodeBookingId,
  InvalidBookingIdError,
  refundAt,
  refundBps,
  split,
  canCancel,
  canCheckIn,
  canDispute,
  canSettle,
  checkInWindow,
  CheckInRule,
  rulingDeadline,
  settlesAt,
} from "@earnest/sdk";
import { book as bookSeats } from "../support/booking.js";
import { atTime } from "../support/chain.js";
import {
  ARBITER_TIMEOUT,
  connection,
  createOffering,
  DAY,
  DEFAULT_TIERS,
  deployWithOfferings,
  deployWithStaff,
  detailsHash,
  HOUR,
  networkHelpers,
  SLOT_LENGTH,
  slotInDays,
  type Fixture,
} from "../support/fixture.js";
import { signCheckIn } from "../support/signing.js";

/** Whether `send` succeeds in a block at `t`; the chain is put back as it was either way. */
async function succeedsAt(t: number, send: () => Promise<unknown>): Promise<boolean> {
  const snapshot = await networkHelpers.takeSnapshot();
  try {
    await atTime(t);
    await send();
    return true;
  } catch {
    return false;
  } finally {
    await snapshot.restore();
  }
}

/** Asserts that canCancel and canDispute say what the contract does at each of `times`. */
async function agreeWithContract(f: Fixture, id: bigint, times: number[]): Promise<void> {
  const view = await f.escrow.read.getBooking([id]);
  const offering = await f.escrow.read.getOffering([view.offeringId]);
  const booking = { status: view.status, checkedIn: view.checkedIn, slotStart: Number(view.slotStart) };
  for (const t of times) {
    const account = f.customer.account;
    const cancels = await succeedsAt(t, () => f.escrow.write.cancel([id], { account }));
    const disputes = await succeedsAt(t, () => f.escrow.write.dispute([id, "late"], { account }));
    const when = `${t - booking.slotStart} s from the start, checked in: ${booking.checkedIn}`;
    assert.equal(canCancel(booking, t), cancels, `cancel ${when}`);
    assert.equal(canDispute(booking, offering, t), disputes, `dispute ${when}`);
  }
}

type StaffFixture = Awaited<ReturnType<typeof deployWithStaff>>;

/** Asserts that canSettle (a stranger's `settle`) and canCheckIn of both kinds (check-in staff's `checkIn` and
 *  `checkInWithSignature`) say what the contract does at each of `times`. */
async function agreeOnSettleAndCheckIn(f: StaffFixture, id: bigint, times: number[]): Promise<void> {
  const view = await f.escrow.read.getBooking([id]);
  const offering = await f.escrow.read.getOffering([view.offeringId]);
  const booking = { status: view.status, checkedIn: view.checkedIn, slotStart: Number(view.slotStart) };
  const staff = { account: f.checkInStaff.account };
  const signature = await signCheckIn(f.customer, id, f.escrow.address);
  for (const t of times) {
    const settles = await succeedsAt(t, () => f.escrow.write.settle([id], { account: f.stranger.account }));
    const word = await succeedsAt(t, () => f.escrow.write.checkIn([id], staff));
    const signed = await succeedsAt(t, () => f.escrow.write.checkInWithSignature([id, signature], staff));
    const when = `${t - booking.slotStart} s from the start, status ${booking.status}, checked in: ${booking.checkedIn}`;
    assert.equal(canSettle(booking, offering, t), settles, `settle ${when}`);
    assert.equal(canCheckIn(booking, offering, "merchantWord", t), word, `merchant's word ${when}`);
    assert.equal(canCheckIn(booking, offering, "customerSigned", t), signed, `signed check-in ${when}`);
  }
}

describe("sdk", () => {
  it("encodes booking ids as the contract numbers them", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    for (const customer of [f.customer, f.customer2]) {
      await f.escrow.write.book([f.ethOffering, slot, 1, detailsHash(customer.account.address)], {
        account: customer.account,
        value: parseEther("0.01"),
      });
    }
    const second = encodeBookingId({ offeringId: f.ethOffering, slotStart: slot, n: 2 });
    const view = await f.escrow.read.getBooking([second]);
    assert.equal(view.customer.toLowerCase(), f.customer2.account.address.toLowerCase());
    assert.deepEqual(decodeBookingId(second), { offeringId: f.ethOffering, slotStart: slot, n: 2 });
  });

  it("rejects ids that no booking can have", () => {
    assert.throws(() => decodeBookingId(0n), InvalidBookingIdError);
    assert.throws(() => decodeBookingId(1n << 104n), InvalidBookingIdError);
    assert.throws(
      () => decodeBookingId(encodeBookingId({ offeringId: 1, slotStart: 1000, n: 0 })),
      InvalidBookingIdError,
    );
  });

  it("splits exactly, rounding for the merchant", () => {
    assert.deepEqual(split(1001n, 3_333, 250), { customerShare: 333n, merchantShare: 652n, fee: 16n });
    const { customerShare, merchantShare, fee } = split(parseEther("1"), 5_000, 1_000);
    assert.equal(customerShare + merchantShare + fee, parseEther("1"));
    assert.equal(fee, parseEther("0.05"));
  });

  it("picks the first matching tier", () => {
    assert.equal(refundBps(DEFAULT_TIERS, 48 * HOUR), 10_000);
    assert.equal(refundBps(DEFAULT_TIERS, 48 * HOUR - 1), 5_000);
    assert.equal(refundBps(DEFAULT_TIERS, 24 * HOUR - 1), 0);
    assert.equal(refundBps([], 100 * DAY), 0);
  });

  it("previews the same refund as refundAt on-chain, at every tier boundary", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 4);
    await f.stablecoin.write.approve([f.escrow.address, 75_000_000n], { account: f.customer.account });
    await f.escrow.write.book([f.tokenOffering, slot, 3, detailsHash("preview")], { account: f.customer.account });
    const id = encodeBookingId({ offeringId: f.tokenOffering, slotStart: slot, n: 1 });
    const booking = await f.escrow.read.getBooking([id]);
    for (const before of [72 * HOUR, 48 * HOUR, 48 * HOUR - 1, 30 * HOUR, 24 * HOUR, 24 * HOUR - 1, 1, 0]) {
      const at = slot - before;
      const onChain = await f.escrow.read.refundAt([id, BigInt(at)]);
      assert.equal(refundAt(booking, DEFAULT_TIERS, at), onChain, `${before} s before the start`);
    }
  });

  it("reads a customer's bookings, newest first, in the log ranges the provider accepts", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const fromBlock = await f.publicClient.getBlockNumber();
    const slot = await slotInDays(f.grid, 3);
    const book = (who: typeof f.customer, seats: number) =>
      f.escrow.write.book([f.ethOffering, slot, seats, detailsHash(`${who.account.address}:${seats}`)], {
        account: who.account,
        value: parseEther("0.01") * BigInt(seats),
      });
    await book(f.customer, 1);
    await networkHelpers.mine(10);
    await book(f.customer2, 1);
    await networkHelpers.mine(10);
    await book(f.customer, 2);

    // A provider that refuses log ranges over 4 blocks, as public RPCs refuse theirs.
    const ranges: number[] = [];
    const provider = connection.provider as EIP1193Provider;
    const limited = {
      request: (async (args: { method: string; params?: unknown }) => {
        if (args.method === "eth_getLogs") {
          const [{ fromBlock: from, toBlock: to }] = args.params as [{ fromBlock: string; toBlock: string }];
          const size = Number(to) - Number(from) + 1;
          if (size > 4) throw Object.assign(new Error(`block range too large: ${size} > 4`), { code: -32602 });
          ranges.push(size);
        }
        return provider.request(args as Parameters<typeof provider.request>[0]);
      }) as EIP1193Provider["request"],
    };
    const client = createPublicClient({ chain: hardhat, transport: custom(limited, { retryCount: 0 }) });
    const bookings = await getCustomerBookings(client, {
      escrow: f.escrow.address,
      customer: f.customer.account.address,
      fromBlock,
      initialChunk: 64,
    });

    assert.deepEqual(
      bookings.map((b) => [b.bookingId, b.seats]),
      [
        [encodeBookingId({ offeringId: f.ethOffering, slotStart: slot, n: 3 }), 2],
        [encodeBookingId({ offeringId: f.ethOffering, slotStart: slot, n: 1 }), 1],
      ],
    );
    assert.equal(bookings[0].detailsHash, detailsHash(`${f.customer.account.address}:2`));
    assert.ok(ranges.length > 0 && ranges.every((size) => size <= 4), `ranges ${ranges.join(", ")}`);
  });

  it("reads how a customer's booking was checked in and what the customer's dispute says", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const booked = await bookSeats(f, f.ethOffering, slot, 1);
    await atTime(slot - HOUR / 2);
    const signature = await signCheckIn(f.customer, booked.id, f.escrow.address);
    await f.escrow.write.checkInWithSignature([booked.id, signature], { account: f.merchant.account });
    await atTime(slot + 1);
    await f.escrow.write.dispute([booked.id, "Half the menu was missing"], { account: f.customer.account });

    const client = createPublicClient({ chain: hardhat, transport: custom(connection.provider as EIP1193Provider) });
    const [booking] = await getCustomerBookings(client, {
      escrow: f.escrow.address,
      customer: f.customer.account.address,
      fromBlock: 0n,
    });
    assert.deepEqual(
      [booking.checkIn?.by, booking.checkIn?.customerSigned, booking.dispute?.reason, booking.dispute?.checkedIn],
      [getAddress(f.merchant.account.address), true, "Half the menu was missing", true],
    );
  });

  it("says when the customer may cancel and dispute exactly as the contract decides", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    await f.escrow.write.book([f.ethOffering, slot, 1, detailsHash("rules")], {
      account: f.customer.account,
      value: parseEther("0.01"),
    });
    const id = encodeBookingId({ offeringId: f.ethOffering, slotStart: slot, n: 1 });
    const offering = await f.escrow.read.getOffering([f.ethOffering]);
    const settles = settlesAt({ slotStart: slot }, offering);
    const later = [slot, slot + 1, slot + offering.slotLength, settles - 1, settles];
    await agreeWithContract(f, id, [slot - 2 * HOUR, slot - 1, ...later]);

    // Checked in by the customer's signature: no more cancelling, but a visit that happened can still be disputed.
    await atTime(slot - HOUR / 2);
    const signature = await signCheckIn(f.customer, id, f.escrow.address);
    await f.escrow.write.checkInWithSignature([id, signature], { account: f.merchant.account });
    await agreeWithContract(f, id, [slot - HOUR / 4, ...later]);
  });

  it("opens a signed check-in an hour before the start and the merchant's word at the start, both until the end", () => {
    const booking = { slotStart: 1_000_000 };
    assert.deepEqual(checkInWindow(booking, { slotLength: SLOT_LENGTH }, "customerSigned"), {
      opensAt: 1_000_000 - HOUR,
      closesAt: 1_000_000 + SLOT_LENGTH,
    });
    assert.deepEqual(checkInWindow(booking, { slotLength: SLOT_LENGTH }, "merchantWord"), {
      opensAt: 1_000_000,
      closesAt: 1_000_000 + SLOT_LENGTH,
    });
  });

  it("says when anyone may settle and staff may check in exactly as the contract decides", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaff);
    // Offering 3 takes only the customer's signature.
    await createOffering(f, { checkInRule: CheckInRule.CustomerSignature });
    const slot = await slotInDays(f.grid, 3);
    const open = await bookSeats(f, f.ethOffering, slot, 1);
    const signedOnly = await bookSeats(f, 3, slot, 1);
    const checkedIn = await bookSeats(f, f.ethOffering, slot, 1);
    const disputed = await bookSeats(f, f.ethOffering, slot, 1);
    const offering = await f.escrow.read.getOffering([f.ethOffering]);
    const settles = settlesAt({ slotStart: slot }, offering);
    const ruling = rulingDeadline({ slotStart: slot }, offering);
    assert.equal(ruling, slot + SLOT_LENGTH + DAY + ARBITER_TIMEOUT);
    const end = slot + SLOT_LENGTH;
    const afterCheckIn = [slot - 1, slot, end - 1, end, settles - 1, settles];
    const times = [slot - HOUR - 1, slot - HOUR, ...afterCheckIn];
    await agreeOnSettleAndCheckIn(f, open.id, times);
    await agreeOnSettleAndCheckIn(f, signedOnly.id, times);

    // Checked in by the customer's signature: neither kind again, and it settles as any other.
    await atTime(slot - HOUR / 2);
    const signature = await signCheckIn(f.customer, checkedIn.id, f.escrow.address);
    await f.escrow.write.checkInWithSignature([checkedIn.id, signature], { account: f.checkInStaff.account });
    await agreeOnSettleAndCheckIn(f, checkedIn.id, afterCheckIn);

    // Disputed: check-in is frozen, and settling waits for the arbiter's time to run out.
    await atTime(slot + 1);
    await f.escrow.write.dispute([disputed.id, "No table"], { account: f.customer.account });
    await agreeOnSettleAndCheckIn(f, disputed.id, [slot + 2, end - 1, settles, ruling - 1, ruling]);
  });
});
