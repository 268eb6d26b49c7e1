// Staff: a registered merchant grants its staff any of three roles (check in, cancel with a full refund, sign
// coupons) and revokes them at once. Each role works for the merchant's bookings only; every other merchant action
// stays the merchant's; no staff action sends funds to anyone but the booking's customer (SPEC §2 Staff, §3.7).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, parseEther, zeroAddress, type Address, type Hex } from "viem";
import { settlesAt, STAFF_CANCEL, STAFF_CHECK_IN, STAFF_COUPONS, type Coupon } from "@earnest/sdk";
import { inOneBlock } from "../support/attackers.js";
import { book, bookedEvent, type Booked } from "../support/booking.js";
import { Books, expectMovements, type Movement } from "../support/books.js";
import { atTime, mined } from "../support/chain.js";
import {
  deployRevertingReceiver,
  deployWithTwoMerchants,
  detailsHash,
  ETH,
  ETH_DEPOSIT,
  fixtureAccounts,
  HOUR,
  networkHelpers,
  slotInDays,
  Status,
  terms,
  TIMING,
  viem,
  type Wallet,
} from "../support/fixture.js";
import { expectSettlement } from "../support/outcomes.js";
import { couponDigest, makeCoupon, signCheckIn, signCoupon } from "../support/signing.js";

// The role bits as the staff interface documents them.
const CHECK_IN = 1;
const CANCEL = 2;
const COUPONS = 4;
const ALL_ROLES = CHECK_IN | CANCEL | COUPONS;

/** Two merchants (merchant: offerings 1 ETH with an arbiter and 2 stablecoin; merchant2: offering 3 ETH) and two
 *  staff keys that hold no role yet. */
async function deployWithStaffKeys() {
  const f = await deployWithTwoMerchants();
  const wallets = await viem.getWalletClients();
  return { ...f, staff: wallets[10], otherStaff: wallets[11] };
}

type StaffFixture = Awaited<ReturnType<typeof deployWithStaffKeys>>;

/** The fixture merchant grants `roles` to its staff key. */
async function grant(f: StaffFixture, roles: number, merchant: Wallet = f.merchant, staff: Wallet = f.staff) {
  return mined(f, f.escrow.write.setStaffRoles([staff.account.address, roles], { account: merchant.account }));
}

/** A one-seat booking of `offeringId` three days ahead, by `customer` (the fixture customer unless told). */
async function bookAhead(f: StaffFixture, offeringId: number, customer: Wallet = f.customer) {
  const slot = await slotInDays(f.grid, 3);
  return { slot, booked: await book(f, offeringId, slot, 1, customer) };
}

/** A coupon of `offeringId` taking `discount` off, naming `signer` as its signer, its digest and `signer`'s
 *  signature. */
async function signedCoupon(f: StaffFixture, offeringId: number, discount: bigint, signer: Wallet) {
  const coupon = await makeCoupon(offeringId, discount, { signer: signer.account.address });
  return {
    coupon,
    digest: await couponDigest(coupon, f.escrow.address),
    signature: await signCoupon(signer, coupon, f.escrow.address),
  };
}

/** The customer books one seat of an ETH offering three days ahead with `coupon`, paying the discounted deposit. */
async function bookWithCoupon(f: StaffFixture, offeringId: number, coupon: Coupon, signature: Hex) {
  const slot = await slotInDays(f.grid, 3);
  return f.escrow.write.bookWithCoupon([offeringId, slot, 1, detailsHash("coupon"), coupon, signature], {
    account: f.customer.account,
    value: ETH_DEPOSIT - coupon.discount,
  });
}

/** What the staff key can attempt on `booked` with each role: the customer's signed check-in and a coupon the key
 *  signed (the merchant's-word check-in and the cancel need nothing signed). */
async function staffAttempts(f: StaffFixture, booked: Booked) {
  return {
    booked,
    checkInSignature: await signCheckIn(f.customer, booked.id, f.escrow.address),
    ...(await signedCoupon(f, 1, parseEther("0.004"), f.staff)),
  };
}

/** Asserts that the staff key is refused every attempt: both check-ins and the cancel with NotMerchantOrStaff naming
 *  the role each needs, the redemption of its coupon with CouponSignerNotAllowed. */
async function expectEveryRoleRefused(f: StaffFixture, attempts: Awaited<ReturnType<typeof staffAttempts>>) {
  const { booked, checkInSignature, coupon, digest, signature } = attempts;
  const staff = getAddress(f.staff.account.address);
  await viem.assertions.revertWithCustomErrorWithArgs(
    f.escrow.write.checkIn([booked.id], { account: f.staff.account }),
    f.escrow,
    "NotMerchantOrStaff",
    [booked.id, staff, CHECK_IN],
  );
  await viem.assertions.revertWithCustomErrorWithArgs(
    f.escrow.write.checkInWithSignature([booked.id, checkInSignature], { account: f.staff.account }),
    f.escrow,
    "NotMerchantOrStaff",
    [booked.id, staff, CHECK_IN],
  );
  await viem.assertions.revertWithCustomErrorWithArgs(
    f.escrow.write.cancelByMerchant([booked.id], { account: f.staff.account }),
    f.escrow,
    "NotMerchantOrStaff",
    [booked.id, staff, CANCEL],
  );
  await viem.assertions.revertWithCustomErrorWithArgs(
    bookWithCoupon(f, 1, coupon, signature),
    f.escrow,
    "CouponSignerNotAllowed",
    [digest, staff],
  );
}

describe("setStaffRoles", () => {
  it("succeeds when a registered merchant grants roles: StaffRolesSet and the stored roles", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    assert.equal(await f.escrow.read.staffRoles([f.merchant.account.address, f.staff.account.address]), 0);
    const { transactionHash } = await grant(f, CHECK_IN | COUPONS);
    await viem.assertions.emitWithArgs(transactionHash, f.escrow, "StaffRolesSet", [
      getAddress(f.merchant.account.address),
      getAddress(f.staff.account.address),
      CHECK_IN | COUPONS,
    ]);
    assert.equal(
      await f.escrow.read.staffRoles([f.merchant.account.address, f.staff.account.address]),
      CHECK_IN | COUPONS,
    );
    // Roles are per merchant: the other merchant granted this key nothing.
    assert.equal(await f.escrow.read.staffRoles([f.merchant2.account.address, f.staff.account.address]), 0);
  });

  it("succeeds when a grant replaces the roles held before, rather than adding to them", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await grant(f, CHECK_IN | CANCEL);
    const { transactionHash } = await grant(f, COUPONS);
    await viem.assertions.emitWithArgs(transactionHash, f.escrow, "StaffRolesSet", [
      getAddress(f.merchant.account.address),
      getAddress(f.staff.account.address),
      COUPONS,
    ]);
    assert.equal(await f.escrow.read.staffRoles([f.merchant.account.address, f.staff.account.address]), COUPONS);
  });

  it("succeeds when the merchant revokes every role with zero", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await grant(f, ALL_ROLES);
    const { transactionHash } = await grant(f, 0);
    await viem.assertions.emitWithArgs(transactionHash, f.escrow, "StaffRolesSet", [
      getAddress(f.merchant.account.address),
      getAddress(f.staff.account.address),
      0,
    ]);
    assert.equal(await f.escrow.read.staffRoles([f.merchant.account.address, f.staff.account.address]), 0);
  });

  it("succeeds with the documented role bits, which the sdk exports", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    assert.equal(await f.escrow.read.STAFF_CHECK_IN(), CHECK_IN);
    assert.equal(await f.escrow.read.STAFF_CANCEL(), CANCEL);
    assert.equal(await f.escrow.read.STAFF_COUPONS(), COUPONS);
    assert.deepEqual([STAFF_CHECK_IN, STAFF_CANCEL, STAFF_COUPONS], [CHECK_IN, CANCEL, COUPONS]);
  });

  it("reverts when the staff address is zero", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.setStaffRoles([zeroAddress, CHECK_IN], { account: f.merchant.account }),
      f.escrow,
      "InvalidStaff",
      [zeroAddress],
    );
  });

  it("reverts when the merchant names itself as staff", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.setStaffRoles([f.merchant.account.address, CHECK_IN], { account: f.merchant.account }),
      f.escrow,
      "InvalidStaff",
      [getAddress(f.merchant.account.address)],
    );
    assert.equal(await f.escrow.read.staffRoles([f.merchant.account.address, f.merchant.account.address]), 0);
  });

  it("reverts when the roles include a bit that is no role (8)", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    for (const roles of [8, ALL_ROLES | 8, 0x80]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.setStaffRoles([f.staff.account.address, roles], { account: f.merchant.account }),
        f.escrow,
        "UnknownStaffRoles",
        [roles],
      );
    }
    assert.equal(await f.escrow.read.staffRoles([f.merchant.account.address, f.staff.account.address]), 0);
  });

  it("reverts when the caller is not a registered merchant", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.setStaffRoles([f.staff.account.address, CHECK_IN], { account: f.stranger.account }),
      f.escrow,
      "MerchantNotRegistered",
      [getAddress(f.stranger.account.address)],
    );
    assert.equal(await f.escrow.read.staffRoles([f.stranger.account.address, f.staff.account.address]), 0);
  });
});

describe("staff with the check-in role", () => {
  it("succeeds when the staff checks the customer in on the merchant's word at the slot's start", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await grant(f, CHECK_IN);
    const { slot, booked } = await bookAhead(f, 1);
    await atTime(slot);
    const hash = await f.escrow.write.checkIn([booked.id], { account: f.staff.account });
    await viem.assertions.emitWithArgs(hash, f.escrow, "CheckedIn", [
      booked.id,
      getAddress(f.staff.account.address),
      false,
    ]);
    assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, true);
  });

  it("succeeds when the staff submits the customer's signed check-in before the start", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await grant(f, CHECK_IN);
    const { slot, booked } = await bookAhead(f, 2);
    const signature = await signCheckIn(f.customer, booked.id, f.escrow.address);
    await atTime(slot - HOUR / 2);
    const hash = await f.escrow.write.checkInWithSignature([booked.id, signature], { account: f.staff.account });
    await viem.assertions.emitWithArgs(hash, f.escrow, "CheckedIn", [
      booked.id,
      getAddress(f.staff.account.address),
      true,
    ]);
    assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, true);
  });

  it("reverts when the staff holds every role but check-in", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await grant(f, CANCEL | COUPONS);
    const { slot, booked } = await bookAhead(f, 1);
    const signature = await signCheckIn(f.customer, booked.id, f.escrow.address);
    await atTime(slot);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.checkIn([booked.id], { account: f.staff.account }),
      f.escrow,
      "NotMerchantOrStaff",
      [booked.id, getAddress(f.staff.account.address), CHECK_IN],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.checkInWithSignature([booked.id, signature], { account: f.staff.account }),
      f.escrow,
      "NotMerchantOrStaff",
      [booked.id, getAddress(f.staff.account.address), CHECK_IN],
    );
    assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, false);
  });
});

describe("staff with the cancel role", () => {
  it("succeeds when the staff cancels: the customer gets the whole deposit back, the merchant nothing", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await grant(f, CANCEL);
    const { slot, booked } = await bookAhead(f, 1, f.customer2);
    // Inside the policy's no-refund tier: a staff cancellation still refunds everything.
    await atTime(slot - HOUR);
    const shares = await expectSettlement(f, booked, {
      send: () => f.escrow.write.cancelByMerchant([booked.id], { account: f.staff.account }),
      outcome: Status.MerchantCancelled,
      refundBps: 10_000,
      unmoved: [f.staff.account.address, f.merchant.account.address],
    });
    assert.deepEqual([shares.customerShare, shares.merchantShare, shares.fee], [ETH_DEPOSIT, 0n, 0n]);
  });

  it("reverts when the staff holds every role but cancel", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await grant(f, CHECK_IN | COUPONS);
    const { booked } = await bookAhead(f, 1);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.cancelByMerchant([booked.id], { account: f.staff.account }),
      f.escrow,
      "NotMerchantOrStaff",
      [booked.id, getAddress(f.staff.account.address), CANCEL],
    );
    assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Booked);
  });
});

describe("staff with the coupon role", () => {
  it("succeeds when a customer redeems a coupon the staff signed as its signer", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await grant(f, COUPONS);
    const discount = parseEther("0.004");
    const { coupon, digest, signature } = await signedCoupon(f, 1, discount, f.staff);
    const hash = await bookWithCoupon(f, 1, coupon, signature);
    const booked = await bookedEvent(f, hash);
    assert.equal(booked.amount, ETH_DEPOSIT - discount);
    await viem.assertions.emitWithArgs(hash, f.escrow, "CouponRedeemed", [digest, booked.bookingId, discount, 1n]);
    assert.equal(await f.escrow.read.couponRedemptions([digest]), 1n);
  });

  it("reverts when the staff signing the coupon holds every role but coupons", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await grant(f, CHECK_IN | CANCEL);
    const { coupon, digest, signature } = await signedCoupon(f, 1, parseEther("0.004"), f.staff);
    await viem.assertions.revertWithCustomErrorWithArgs(
      bookWithCoupon(f, 1, coupon, signature),
      f.escrow,
      "CouponSignerNotAllowed",
      [digest, getAddress(f.staff.account.address)],
    );
  });
});

describe("staff never act as the merchant beyond their roles", () => {
  it("reverts when the staff claims the merchant's bookings", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await grant(f, ALL_ROLES);
    const { slot, booked } = await bookAhead(f, 1);
    await atTime(settlesAt({ slotStart: slot }, TIMING));
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.claim([[booked.id]], { account: f.staff.account }),
      f.escrow,
      "NotMerchantOrStaff",
      [booked.id, getAddress(f.staff.account.address), 0],
    );
    assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.Booked);
  });

  it("reverts when the staff deactivates the merchant's offering", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await grant(f, ALL_ROLES);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.setOfferingActive([1, false], { account: f.staff.account }),
      f.escrow,
      "NotOfferingMerchant",
      [1, getAddress(f.staff.account.address)],
    );
    assert.equal((await f.escrow.read.getOffering([1])).active, true);
  });

  it("reverts when the staff changes the payout address: it acts for its own account, not the merchant's", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await grant(f, ALL_ROLES);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.updateMerchant([f.staff.account.address, "Staff's"], { account: f.staff.account }),
      f.escrow,
      "MerchantNotRegistered",
      [getAddress(f.staff.account.address)],
    );
    const merchant = await f.escrow.read.getMerchant([f.merchant.account.address]);
    assert.equal(merchant.payout, getAddress(f.payout.account.address));
  });

  it("reverts when the staff creates an offering: it acts for its own account, not the merchant's", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await grant(f, ALL_ROLES);
    const count = await f.escrow.read.offeringCount();
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.createOffering([terms(f.grid)], { account: f.staff.account }),
      f.escrow,
      "MerchantNotRegistered",
      [getAddress(f.staff.account.address)],
    );
    assert.equal(await f.escrow.read.offeringCount(), count);
  });

  it("reverts when the staff grants roles: it acts for its own account, not the merchant's", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await grant(f, ALL_ROLES);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.setStaffRoles([f.otherStaff.account.address, ALL_ROLES], { account: f.staff.account }),
      f.escrow,
      "MerchantNotRegistered",
      [getAddress(f.staff.account.address)],
    );
    assert.equal(await f.escrow.read.staffRoles([f.merchant.account.address, f.otherStaff.account.address]), 0);
  });
});

describe("revoking staff", () => {
  it("reverts every role's action once the merchant revoked the roles", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await grant(f, ALL_ROLES);
    const { slot, booked } = await bookAhead(f, 1);
    // A coupon the staff signed while it held the role: the role counts at redemption.
    const attempts = await staffAttempts(f, booked);
    await grant(f, 0);

    await atTime(slot);
    await expectEveryRoleRefused(f, attempts);
    const view = await f.escrow.read.getBooking([booked.id]);
    assert.equal(view.checkedIn, false);
    assert.equal(view.status, Status.Booked);
  });

  it("reverts the staff's transaction mined right after the revocation, in the same block", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await grant(f, CHECK_IN);
    const { slot, booked } = await bookAhead(f, 1);
    await networkHelpers.time.increaseTo(slot);
    const fees = await f.publicClient.estimateFeesPerGas();

    // The revocation pays the higher tip so that the block orders it first (inOneBlock checks the order); the staff's
    // gas is given because an estimate against the pending block would already fail.
    const [revoked, refused] = await inOneBlock(f, [
      () =>
        f.escrow.write.setStaffRoles([f.staff.account.address, 0], {
          account: f.merchant.account,
          maxFeePerGas: fees.maxFeePerGas * 2n,
          maxPriorityFeePerGas: fees.maxPriorityFeePerGas * 2n,
        }),
      () =>
        f.escrow.write.checkIn([booked.id], {
          account: f.staff.account,
          gas: 200_000n,
          maxFeePerGas: fees.maxFeePerGas,
          maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        }),
    ]);
    assert.equal(revoked.status, "success");
    assert.equal(refused.status, "reverted");
    assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, false);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.checkIn([booked.id], { account: f.staff.account }),
      f.escrow,
      "NotMerchantOrStaff",
      [booked.id, getAddress(f.staff.account.address), CHECK_IN],
    );
  });
});

describe("another merchant's staff", () => {
  it("reverts every role's action at a merchant that granted it nothing, while it works for its own", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await grant(f, ALL_ROLES, f.merchant2);
    const { slot, booked } = await bookAhead(f, 1);
    const own = await book(f, f.otherOffering, slot, 1);
    const attempts = await staffAttempts(f, booked);
    await atTime(slot);
    await expectEveryRoleRefused(f, attempts);
    // The same key, at the merchant that did grant the roles.
    await mined(f, f.escrow.write.checkIn([own.id], { account: f.staff.account }));
    assert.equal((await f.escrow.read.getBooking([own.id])).checkedIn, true);
    assert.equal((await f.escrow.read.getBooking([booked.id])).checkedIn, false);
  });
});

describe("invariant 7: no staff action sends funds to anyone but the booking's customer", () => {
  it("succeeds when, across every staff action, only the booking's customer gains, pushed or credited", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaffKeys);
    await grant(f, ALL_ROLES);
    const receiver = await deployRevertingReceiver();
    const slot = await slotInDays(f.grid, 3);
    const books = new Books();
    const held = async (offeringId: number, customer: Wallet | typeof receiver = f.customer): Promise<Booked> => {
      const booked = await book(f, offeringId, slot, 1, customer);
      const offering = await f.escrow.read.getOffering([offeringId]);
      books.booked(booked.id, offering.token, booked.amount);
      return booked;
    };
    const checkedIn = await held(1);
    const signedIn = await held(2, f.customer2);
    const cancelled = await held(2);
    const checkedInThenCancelled = await held(1, f.customer2);
    const refusesEth = await held(1, receiver);
    const everyone: Address[] = [
      ...fixtureAccounts(f),
      ...[f.merchant2, f.payout2, f.staff, f.otherStaff].map((wallet) => wallet.account.address),
      receiver.address,
    ];
    const asStaff = { account: f.staff.account };
    const usd = f.stablecoin.address;
    /** The staff sends a transaction; every account in `everyone` gets exactly `movements` in `token`, nothing else. */
    const staffDoes = (token: Address, send: () => Promise<Hex>, movements: Movement[] = []) =>
      expectMovements(f, books, token, everyone, send, movements);
    const refund = (id: bigint) => books.settle(id, Status.MerchantCancelled, 10_000n).customerShare;

    await atTime(slot - HOUR / 2);
    const signature = await signCheckIn(f.customer2, signedIn.id, f.escrow.address);
    await staffDoes(usd, () => f.escrow.write.checkInWithSignature([signedIn.id, signature], asStaff));
    await staffDoes(usd, () => f.escrow.write.cancelByMerchant([cancelled.id], asStaff), [
      [f.customer.account.address, refund(cancelled.id), "pushed"],
    ]);
    await atTime(slot);
    await staffDoes(ETH, () => f.escrow.write.checkIn([checkedIn.id], asStaff));
    await staffDoes(ETH, () => f.escrow.write.checkIn([checkedInThenCancelled.id], asStaff));
    await staffDoes(ETH, () => f.escrow.write.cancelByMerchant([checkedInThenCancelled.id], asStaff), [
      [f.customer2.account.address, refund(checkedInThenCancelled.id), "pushed"],
    ]);
    // A customer that refuses ETH is credited its refund: still the customer's, and nobody else's.
    await staffDoes(ETH, () => f.escrow.write.cancelByMerchant([refusesEth.id], asStaff), [
      [receiver.address, refund(refusesEth.id), "credited"],
    ]);
    await books.check(f, [ETH, usd], everyone);
  });
});
