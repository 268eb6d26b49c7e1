// Attacks on verified reviews: a front-runner copying a customer's pending review from the mempool cannot take it;
// a smart-wallet customer reviews through its wallet (its owner key alone is not the customer, and nobody else can
// make the wallet act); reviews live per escrow, so a reviews contract pointed at a look-alike or at an attacker's
// own escrow is another contract whose reviews never show in the real one; and a second review sent in the same
// block is refused.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFunctionData, getAddress, parseGwei, type Hash, type TransactionReceipt } from "viem";
import { escrowDomain, settlesAt } from "@earnest/sdk";
import { inOneBlock, revertOf } from "../support/attackers.js";
import { book } from "../support/booking.js";
import { atTime, mined } from "../support/chain.js";
import {
  connection,
  deployEarnestEscrow,
  deploySmartWallet,
  networkHelpers,
  slotInDays,
  terms,
  TIMING,
  viem,
  type SmartWallet,
} from "../support/fixture.js";
import {
  bookFulfilled,
  deployReviews,
  deployWithReviews,
  expectReviewed,
  NO_REVIEW,
  reviewAs,
  type ReviewsFixture,
} from "../support/reviews.js";

/** Fixed, so that no estimate is made against the state before the block. */
const GAS = 300_000n;

/** Mines whatever `send` puts in the mempool in one block (automine off meanwhile); returns the receipts of `hashes`
 *  in block order. */
async function mineTogether(
  f: Pick<ReviewsFixture, "publicClient">,
  send: () => Promise<Hash[]>,
): Promise<TransactionReceipt[]> {
  await connection.provider.request({ method: "evm_setAutomine", params: [false] });
  let hashes: Hash[];
  try {
    hashes = await send();
    await networkHelpers.mine();
  } finally {
    await connection.provider.request({ method: "evm_setAutomine", params: [true] });
  }
  const receipts = await Promise.all(hashes.map((hash) => f.publicClient.waitForTransactionReceipt({ hash })));
  assert.equal(new Set(receipts.map((r) => r.blockNumber)).size, 1, "all in one block");
  return receipts.toSorted((a, b) => a.transactionIndex - b.transactionIndex);
}

/** `wallet`'s owner makes it call the reviews contract's `review`. */
function reviewThroughWallet(
  f: ReviewsFixture,
  wallet: SmartWallet,
  id: bigint,
  rating: number,
  text: string,
): Promise<Hash> {
  const data = encodeFunctionData({ abi: f.reviews.abi, functionName: "review", args: [id, rating, text] });
  return wallet.write.execute([f.reviews.address, data], { account: f.customer.account });
}

describe("attacks: verified reviews", () => {
  describe("front-running", () => {
    it("a stranger who copies the customer's pending review and outbids it is refused; the customer's review stands", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { booked } = await bookFulfilled(f, f.ethOffering);
      const maxFeePerGas = parseGwei("100");
      const [first, second] = await mineTogether(f, async () => {
        const honest = await f.reviews.write.review([booked.id, 5, "Wonderful."], {
          account: f.customer.account,
          gas: GAS,
          maxFeePerGas,
          maxPriorityFeePerGas: parseGwei("1"),
        });
        // The front-runner reads the pending transaction and sends its exact calldata with a higher tip.
        const pending = await f.publicClient.getTransaction({ hash: honest });
        const copy = await f.stranger.sendTransaction({
          to: f.reviews.address,
          data: pending.input,
          gas: GAS,
          maxFeePerGas,
          maxPriorityFeePerGas: parseGwei("50"),
        });
        return [honest, copy];
      });
      assert.equal(getAddress(first.from), getAddress(f.stranger.account.address), "the copy was mined first");
      const error = await revertOf(f.reviews.abi, first);
      assert.equal(error.errorName, "NotBookingCustomer");
      assert.deepEqual(error.args, [booked.id, getAddress(booked.customer), getAddress(f.stranger.account.address)]);
      assert.equal(second.status, "success");
      await viem.assertions.emitWithArgs(Promise.resolve(second.transactionHash), f.reviews, "Reviewed", [
        booked.id,
        booked.offeringId,
        getAddress(booked.customer),
        5,
        "Wonderful.",
      ]);
      assert.equal((await f.reviews.read.getReview([booked.id])).rating, 5);
    });

    it("a stranger's review of someone else's booking, mined first, leaves nothing that blocks the customer", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { booked } = await bookFulfilled(f, f.tokenOffering);
      const [attack, honest] = await inOneBlock(f, [
        () => f.reviews.write.review([booked.id, 1, "Avoid!"], { account: f.stranger.account, gas: GAS }),
        () => f.reviews.write.review([booked.id, 4, "Good."], { account: f.customer.account, gas: GAS }),
      ]);
      assert.equal((await revertOf(f.reviews.abi, attack)).errorName, "NotBookingCustomer");
      assert.equal(honest.status, "success");
      assert.equal((await f.reviews.read.getReview([booked.id])).rating, 4);
    });
  });

  describe("smart-wallet customer", () => {
    it("a smart-wallet customer reviews through its wallet: the wallet is the customer in the event", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const wallet = await deploySmartWallet(f.customer);
      const { booked } = await bookFulfilled(f, f.ethOffering, wallet, f.customer);
      assert.equal(getAddress(booked.customer), getAddress(wallet.address));
      const send = () => reviewThroughWallet(f, wallet, booked.id, 5, "Booked from my smart account.");
      await expectReviewed(f, booked, { send, rating: 5, text: "Booked from my smart account." });
      // The second review, through the same wallet, bubbles the reviews contract's error.
      await viem.assertions.revertWithCustomErrorWithArgs(
        reviewThroughWallet(f, wallet, booked.id, 1, "Again."),
        f.reviews,
        "AlreadyReviewed",
        [booked.id],
      );
    });

    it("the wallet's owner key, calling directly, is not the customer", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const wallet = await deploySmartWallet(f.customer);
      const { booked } = await bookFulfilled(f, f.ethOffering, wallet, f.customer);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.reviews.write.review([booked.id, 5, "Me, really."], { account: f.customer.account }),
        f.reviews,
        "NotBookingCustomer",
        [booked.id, getAddress(wallet.address), getAddress(f.customer.account.address)],
      );
      assert.deepEqual(await f.reviews.read.getReview([booked.id]), NO_REVIEW);
    });

    it("a stranger cannot make the customer's wallet review", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const wallet = await deploySmartWallet(f.customer);
      const { booked } = await bookFulfilled(f, f.ethOffering, wallet, f.customer);
      const data = encodeFunctionData({ abi: f.reviews.abi, functionName: "review", args: [booked.id, 1, "Bad."] });
      await viem.assertions.revertWithCustomErrorWithArgs(
        wallet.write.execute([f.reviews.address, data], { account: f.stranger.account }),
        wallet,
        "NotOwner",
        [getAddress(f.stranger.account.address)],
      );
      assert.deepEqual(await f.reviews.read.getReview([booked.id]), NO_REVIEW);
    });
  });

  describe("reviews live per escrow", () => {
    it("a reviews contract pointed at a look-alike escrow names it, and can read no booking through it", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { booked } = await bookFulfilled(f, f.ethOffering);
      const { name, version } = escrowDomain(0, f.escrow.address);
      const lookalike = await viem.deployContract("EscrowLookalike", [name, version]);
      const fakeReviews = await deployReviews(lookalike.address);
      assert.equal(await fakeReviews.read.escrow(), getAddress(lookalike.address));
      assert.notEqual(getAddress(fakeReviews.address), getAddress(f.reviews.address));
      await viem.assertions.revert(fakeReviews.read.reviewClosesAt([booked.id]));
      await viem.assertions.revert(
        fakeReviews.write.review([booked.id, 1, "Fake."], { account: f.customer.account, gas: GAS }),
      );
      assert.deepEqual(await f.reviews.read.getReview([booked.id]), NO_REVIEW);
    });

    it("a review written through an attacker's own escrow, for the very same booking id, never shows in the real reviews", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const attacker = f.stranger;
      // The attacker's escrow: genuine code at another address, where the attacker is merchant and customer.
      const fakeEscrow = await deployEarnestEscrow(attacker.account.address, attacker.account.address, 0);
      await fakeEscrow.write.registerMerchant([attacker.account.address, "Chez Earnest"], {
        account: attacker.account,
      });
      await fakeEscrow.write.createOffering([terms(f.grid)], { account: attacker.account });
      const fakeReviews = await deployReviews(fakeEscrow.address);
      const fake = { ...f, escrow: fakeEscrow, merchant: attacker, reviews: fakeReviews };

      const slot = await slotInDays(f.grid, 3);
      const real = await book(f, f.ethOffering, slot, 1);
      const forged = await book(fake, 1, slot, 1, attacker);
      assert.equal(forged.id, real.id, "the same offering id, slot and count: the same booking id");
      await atTime(slot);
      await f.escrow.write.checkIn([real.id], { account: f.merchant.account });
      await fakeEscrow.write.checkIn([forged.id], { account: attacker.account });
      await atTime(settlesAt({ slotStart: slot }, TIMING));
      await f.escrow.write.settle([real.id], { account: f.stranger.account });
      await fakeEscrow.write.settle([forged.id], { account: attacker.account });

      await reviewAs(fake, forged, attacker, 1, "Rude staff, do not go.");
      assert.deepEqual(await f.reviews.read.getReview([real.id]), NO_REVIEW, "nothing stored in the real reviews");
      const realLogs = await f.publicClient.getContractEvents({
        address: f.reviews.address,
        abi: f.reviews.abi,
        fromBlock: 0n,
      });
      assert.deepEqual(realLogs, [], "no event from the real reviews contract");
      // The real customer still reviews the real booking.
      await reviewAs(f, real, f.customer, 5, "Lovely staff.");
    });
  });

  describe("replay", () => {
    it("the customer's second review in the same block is refused with AlreadyReviewed; the first stands", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { booked } = await bookFulfilled(f, f.ethOffering);
      const [first, replay] = await inOneBlock(f, [
        () => f.reviews.write.review([booked.id, 2, "Slow."], { account: f.customer.account, gas: GAS }),
        () => f.reviews.write.review([booked.id, 5, "Slow. (edit: great)"], { account: f.customer.account, gas: GAS }),
      ]);
      await mined(f, first.transactionHash);
      const error = await revertOf(f.reviews.abi, replay);
      assert.equal(error.errorName, "AlreadyReviewed");
      assert.deepEqual(error.args, [booked.id]);
      const block = await f.publicClient.getBlock({ blockNumber: first.blockNumber });
      assert.deepEqual(await f.reviews.read.getReview([booked.id]), {
        rating: 2,
        answered: false,
        reviewedAt: Number(block.timestamp),
      });
    });

    it("the merchant's second answer in the same block is refused with AlreadyAnswered", async () => {
      const f = await networkHelpers.loadFixture(deployWithReviews);
      const { booked } = await bookFulfilled(f, f.ethOffering);
      await f.reviews.write.review([booked.id, 3, "OK."], { account: f.customer.account });
      const [first, replay] = await inOneBlock(f, [
        () => f.reviews.write.answer([booked.id, "Thanks."], { account: f.merchant.account, gas: GAS }),
        () => f.reviews.write.answer([booked.id, "Thanks again."], { account: f.merchant.account, gas: GAS }),
      ]);
      assert.equal(first.status, "success");
      const error = await revertOf(f.reviews.abi, replay);
      assert.equal(error.errorName, "AlreadyAnswered");
      assert.deepEqual(error.args, [booked.id]);
      assert.equal((await f.reviews.read.getReview([booked.id])).answered, true);
    });
  });
});
