// A Safe as the merchant (SPEC §2 Staff: "a merchant that is a contract account (a Safe) can do everything an
// ordinary one can"): a 2-of-2 Safe deployed from the Safe contracts' npm package registers, publishes an offering,
// lets a staff key check customers in, claims, and signs coupons through ERC-1271.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  encodeFunctionData,
  getAddress,
  parseEther,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type EncodeFunctionDataParameters,
  type Hex,
} from "viem";
import { settlesAt, type Coupon } from "@earnest/sdk";
import { book, bookedEvent } from "../support/booking.js";
import { Books, expectMovements } from "../support/books.js";
import { atTime, mined } from "../support/chain.js";
import {
  deployWithOfferings,
  detailsHash,
  ETH,
  ETH_DEPOSIT,
  HOUR,
  networkHelpers,
  slotInDays,
  Status,
  terms,
  TIMING,
  viem,
  type Wallet,
} from "../support/fixture.js";
import { createSafe, deploySafeContracts, execSafeTransaction, safeAbi, safeSignature } from "../support/safe.js";
import { couponDigest, makeCoupon, signCheckIn, signCoupon } from "../support/signing.js";

/** The role to check customers in, as the staff interface documents it. */
const CHECK_IN = 1;
/** The ERC-1271 answer for a valid signature: `isValidSignature.selector`. */
const ERC1271_MAGIC_VALUE = "0x1626ba7e";
const SAFE_NAME = "Safe Bistro";
/** The Safe's offering: the fixture's merchant already has offerings 1 and 2. */
const SAFE_OFFERING = 3;

/** The escrow fixture plus a Safe whose two owners must both sign, and a staff key; the Safe is not a merchant
 *  yet. */
async function deploySafe() {
  const f = await deployWithOfferings();
  const wallets = await viem.getWalletClients();
  const [ownerA, ownerB, staff] = [wallets[10], wallets[11], wallets[12]];
  const safe = await createSafe(await deploySafeContracts(f.owner), [ownerA, ownerB], 2);
  return { ...f, safe, staff };
}

type SafeFixture = Awaited<ReturnType<typeof deploySafe>>;

type EscrowAbi = SafeFixture["escrow"]["abi"];
type EscrowWrite = ContractFunctionName<EscrowAbi, "nonpayable">;

/** The Safe calls the escrow's `functionName` with `args`, signed by `signers` (both owners unless told). */
function safeCalls<F extends EscrowWrite>(
  f: SafeFixture,
  functionName: F,
  args: ContractFunctionArgs<EscrowAbi, "nonpayable", F>,
  signers?: Wallet[],
) {
  const data = encodeFunctionData({ abi: f.escrow.abi, functionName, args } as EncodeFunctionDataParameters);
  return execSafeTransaction(f.safe, { to: f.escrow.address, data }, { signers });
}

/** The Safe registered as a merchant (paid to itself), with an ETH offering on the default terms and a staff key
 *  that holds the check-in role. */
async function deploySafeMerchant() {
  const f = await deploySafe();
  await mined(f, safeCalls(f, "registerMerchant", [f.safe.address, SAFE_NAME]));
  await mined(f, safeCalls(f, "createOffering", [terms(f.grid)]));
  await mined(f, safeCalls(f, "setStaffRoles", [f.staff.account.address, CHECK_IN]));
  return f;
}

/** A coupon of the Safe's offering that names the Safe as its signer, and its EIP-712 digest. */
async function safeCoupon(f: SafeFixture, discount: bigint) {
  const coupon = await makeCoupon(SAFE_OFFERING, discount, { signer: f.safe.address });
  return { coupon, digest: await couponDigest(coupon, f.escrow.address) };
}

/** The customer books one seat of the Safe's offering three days ahead with `coupon`. */
async function bookWithCoupon(f: SafeFixture, coupon: Coupon, signature: Hex) {
  const slot = await slotInDays(f.grid, 3);
  return f.escrow.write.bookWithCoupon([SAFE_OFFERING, slot, 1, detailsHash("safe coupon"), coupon, signature], {
    account: f.customer.account,
    value: ETH_DEPOSIT - coupon.discount,
  });
}

describe("a Safe as the merchant", () => {
  describe("the Safe", () => {
    it("succeeds when deployed from the package: two owners, threshold two, ERC-1271 through its handler", async () => {
      const f = await networkHelpers.loadFixture(deploySafe);
      const read = (functionName: "getOwners" | "getThreshold") =>
        f.publicClient.readContract({ address: f.safe.address, abi: safeAbi, functionName });
      const owners = f.safe.owners.map((owner) => getAddress(owner.account.address));
      assert.deepEqual([...((await read("getOwners")) as readonly string[])].sort(), [...owners].sort());
      assert.equal(await read("getThreshold"), 2n);
      const { digest } = await safeCoupon(f, 1n);
      const magic = await f.publicClient.readContract({
        address: f.safe.address,
        abi: safeAbi,
        functionName: "isValidSignature",
        args: [digest, await safeSignature(f.safe, digest)],
      });
      assert.equal(magic, ERC1271_MAGIC_VALUE);
    });

    it("reverts a merchant action that only one of its two owners signed", async () => {
      const f = await networkHelpers.loadFixture(deploySafe);
      // GS020: the Safe's "signatures data too short".
      await viem.assertions.revertWith(
        safeCalls(f, "registerMerchant", [f.safe.address, SAFE_NAME], [f.safe.owners[0]]),
        "GS020",
      );
      assert.equal((await f.escrow.read.getMerchant([f.safe.address])).name, "");
    });
  });

  describe("merchant actions", () => {
    it("succeeds when the Safe registers as a merchant", async () => {
      const f = await networkHelpers.loadFixture(deploySafe);
      const hash = await safeCalls(f, "registerMerchant", [f.safe.address, SAFE_NAME]);
      await viem.assertions.emitWithArgs(hash, f.escrow, "MerchantRegistered", [
        f.safe.address,
        f.safe.address,
        SAFE_NAME,
      ]);
      assert.deepEqual(await f.escrow.read.getMerchant([f.safe.address]), { payout: f.safe.address, name: SAFE_NAME });
    });

    it("succeeds when the Safe publishes an offering and it is the offering's merchant", async () => {
      const f = await networkHelpers.loadFixture(deploySafe);
      await mined(f, safeCalls(f, "registerMerchant", [f.safe.address, SAFE_NAME]));
      await mined(f, safeCalls(f, "createOffering", [terms(f.grid)]));
      assert.equal(await f.escrow.read.offeringCount(), SAFE_OFFERING);
      const offering = await f.escrow.read.getOffering([SAFE_OFFERING]);
      assert.equal(offering.merchant, f.safe.address);
      assert.equal(offering.depositPerSeat, ETH_DEPOSIT);
      assert.equal(offering.active, true);
    });

    it("succeeds when the Safe grants a staff key the check-in role", async () => {
      const f = await networkHelpers.loadFixture(deploySafe);
      await mined(f, safeCalls(f, "registerMerchant", [f.safe.address, SAFE_NAME]));
      const hash = await safeCalls(f, "setStaffRoles", [f.staff.account.address, CHECK_IN]);
      await viem.assertions.emitWithArgs(hash, f.escrow, "StaffRolesSet", [
        f.safe.address,
        getAddress(f.staff.account.address),
        CHECK_IN,
      ]);
      assert.equal(await f.escrow.read.staffRoles([f.safe.address, f.staff.account.address]), CHECK_IN);
    });

    it("succeeds when the Safe deactivates its offering and cancels a booking with a full refund", async () => {
      const f = await networkHelpers.loadFixture(deploySafeMerchant);
      const booked = await book(f, SAFE_OFFERING, await slotInDays(f.grid, 3), 1);
      await viem.assertions.emitWithArgs(
        safeCalls(f, "setOfferingActive", [SAFE_OFFERING, false]),
        f.escrow,
        "OfferingActiveSet",
        [SAFE_OFFERING, false],
      );
      const hash = await safeCalls(f, "cancelByMerchant", [booked.id]);
      await viem.assertions.balancesHaveChanged(hash, [
        { address: f.customer.account.address, amount: ETH_DEPOSIT },
        { address: f.safe.address, amount: 0n },
      ]);
      assert.equal((await f.escrow.read.getBooking([booked.id])).status, Status.MerchantCancelled);
    });
  });

  describe("check-in by the Safe's staff and the Safe's claim", () => {
    it("succeeds when the staff key checks in on the merchant's word and a customer's signature, and the Safe claims", async () => {
      const f = await networkHelpers.loadFixture(deploySafeMerchant);
      const slot = await slotInDays(f.grid, 3);
      const onWord = await book(f, SAFE_OFFERING, slot, 2);
      const signed = await book(f, SAFE_OFFERING, slot, 1, f.customer2);
      const books = new Books();
      books.booked(onWord.id, ETH, onWord.amount);
      books.booked(signed.id, ETH, signed.amount);
      const staff = getAddress(f.staff.account.address);

      const signature = await signCheckIn(f.customer2, signed.id, f.escrow.address);
      await atTime(slot - HOUR / 2);
      const signedIn = await f.escrow.write.checkInWithSignature([signed.id, signature], { account: f.staff.account });
      await viem.assertions.emitWithArgs(signedIn, f.escrow, "CheckedIn", [signed.id, staff, true]);
      await atTime(slot);
      const onWordIn = await f.escrow.write.checkIn([onWord.id], { account: f.staff.account });
      await viem.assertions.emitWithArgs(onWordIn, f.escrow, "CheckedIn", [onWord.id, staff, false]);

      // Both fulfilled: the Safe, its own payout address, gets both merchant shares pushed, the customers nothing.
      await atTime(settlesAt({ slotStart: slot }, TIMING));
      const merchantShare =
        books.settle(onWord.id, Status.Fulfilled, 0n).merchantShare +
        books.settle(signed.id, Status.Fulfilled, 0n).merchantShare;
      // The owner who submits the Safe transaction pays its gas and gets nothing.
      const wallets = [f.safe.owners[0], f.customer, f.customer2, f.staff];
      const accounts = [f.safe.address, ...wallets.map((wallet) => wallet.account.address)];
      const claim = await expectMovements(
        f,
        books,
        ETH,
        accounts,
        () => safeCalls(f, "claim", [[onWord.id, signed.id]]),
        [[f.safe.address, merchantShare, "pushed"]],
      );
      await viem.assertions.emitWithArgs(claim, f.escrow, "Claimed", [
        f.safe.address,
        ETH,
        f.safe.address,
        merchantShare,
      ]);
    });
  });

  describe("coupons signed by the Safe", () => {
    it("succeeds when a customer redeems a coupon the Safe signed through ERC-1271", async () => {
      const f = await networkHelpers.loadFixture(deploySafeMerchant);
      const discount = parseEther("0.002");
      const { coupon, digest } = await safeCoupon(f, discount);
      const hash = await bookWithCoupon(f, coupon, await safeSignature(f.safe, digest));
      const booked = await bookedEvent(f, hash);
      assert.equal(booked.amount, ETH_DEPOSIT - discount);
      await viem.assertions.emitWithArgs(hash, f.escrow, "CouponRedeemed", [digest, booked.bookingId, discount, 1n]);
      assert.equal(await f.escrow.read.couponRedemptions([digest]), 1n);
    });

    it("reverts when only one of the Safe's two owners signed the coupon", async () => {
      const f = await networkHelpers.loadFixture(deploySafeMerchant);
      const { coupon, digest } = await safeCoupon(f, parseEther("0.002"));
      const signature = await safeSignature(f.safe, digest, [f.safe.owners[1]]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        bookWithCoupon(f, coupon, signature),
        f.escrow,
        "InvalidCouponSignature",
        [digest, f.safe.address],
      );
    });

    it("reverts when the owners signed another coupon", async () => {
      const f = await networkHelpers.loadFixture(deploySafeMerchant);
      const { coupon, digest } = await safeCoupon(f, parseEther("0.002"));
      const smaller = await safeCoupon(f, parseEther("0.001"));
      await viem.assertions.revertWithCustomErrorWithArgs(
        bookWithCoupon(f, coupon, await safeSignature(f.safe, smaller.digest)),
        f.escrow,
        "InvalidCouponSignature",
        [digest, f.safe.address],
      );
    });

    it("reverts when the owners signed the coupon's digest with their own keys instead of as the Safe", async () => {
      const f = await networkHelpers.loadFixture(deploySafeMerchant);
      const { coupon, digest } = await safeCoupon(f, parseEther("0.002"));
      const ownerSignatures = await Promise.all(
        f.safe.owners.map((owner) => signCoupon(owner, coupon, f.escrow.address)),
      );
      for (const signature of ownerSignatures) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          bookWithCoupon(f, coupon, signature),
          f.escrow,
          "InvalidCouponSignature",
          [digest, f.safe.address],
        );
      }
    });
  });
});
