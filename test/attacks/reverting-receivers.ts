// Refusing recipients: a RevertingReceiver (refuses every ETH transfer) as customer, merchant payout, merchant and
// fee recipient. Nobody else's transaction is ever blocked (a cancel, a ruling, a claim, anyone's settle, a fee
// withdrawal): the refused amount becomes a credit that its owner withdraws later to another address. Only the
// owner's own withdrawal to a refusing address reverts, and leaves state intact.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFunctionData, getAddress, parseEther, type Address, type Hash } from "viem";
import { settlesAt } from "@earnest/sdk";
import { book, viaContract, type Executor } from "../support/booking.js";
import { Books, expectMovements, type Movement } from "../support/books.js";
import { mined } from "../support/chain.js";
import {
  DAY,
  deployWithOfferings,
  ETH,
  fixtureAccounts,
  HOUR,
  networkHelpers,
  NO_SHOW_BPS,
  slotInDays,
  Status,
  terms,
  TIMING,
  viem,
  type Wallet,
} from "../support/fixture.js";

const DEPOSIT = parseEther("0.01");

async function deployRefusingWorld() {
  const f = await deployWithOfferings();
  const rr = await viem.deployContract("RevertingReceiver");
  assert.equal(await rr.read.refuse(), true);
  const wallets = await viem.getWalletClients();
  const vault = wallets[9]; // where refused credits are withdrawn to
  const early = await slotInDays(f.grid, 2);
  const late = await slotInDays(f.grid, 10);
  const accounts: Address[] = [getAddress(rr.address), ...fixtureAccounts(f), vault.account.address];
  return { f, rr, vault, early, late, accounts };
}

type World = Awaited<ReturnType<typeof deployRefusingWorld>>;

async function load(): Promise<World & { books: Books }> {
  const w = await networkHelpers.loadFixture(deployRefusingWorld);
  return { ...w, books: new Books() };
}

/** Books one 0.01 ETH seat of offering 1 (or `offeringId`) and records it in the ledger. */
async function bookOne(
  w: World & { books: Books },
  who: Wallet | Executor,
  slot: number,
  offeringId = 1,
): Promise<bigint> {
  const { id } = await book(w.f, offeringId, slot, 1, who);
  w.books.booked(id, ETH, DEPOSIT);
  return id;
}

/** Runs `send` and asserts exactly these ETH movements happened, and that the books balance. */
async function settles(w: World & { books: Books }, send: () => Promise<Hash>, movements: Movement[]): Promise<Hash> {
  return expectMovements(w.f, w.books, ETH, w.accounts, send, movements);
}

const rrAddress = (w: World): Address => getAddress(w.rr.address);

/** The refusing contract's call to withdraw its ETH credit to `to`. */
function withdrawTo(w: World, to: Address): Promise<Hash> {
  return viaContract(w.f, w.rr, encodeFunctionData({ abi: w.f.escrow.abi, functionName: "withdraw", args: [ETH, to] }));
}

/** The refusing contract withdraws its whole ETH credit to the vault, which accepts ETH; asserts that it moved there
 *  and nothing else did. */
async function withdrawCreditToVault(w: World & { books: Books }): Promise<Hash> {
  const amount = w.books.withdrew(ETH, rrAddress(w));
  return settles(w, () => withdrawTo(w, w.vault.account.address), [
    [rrAddress(w), amount, "withdrawn"],
    [w.vault.account.address, amount, "pushed"],
  ]);
}

describe("attacks: reverting receivers", () => {
  describe("as customer", () => {
    it("a refusing customer cannot block the merchant's cancel: its refund is credited", async () => {
      const w = await load();
      const id = await bookOne(w, w.rr, w.late);
      const s = w.books.settle(id, Status.MerchantCancelled, 10_000n);
      const hash = await settles(w, () => w.f.escrow.write.cancelByMerchant([id], { account: w.f.merchant.account }), [
        [rrAddress(w), s.customerShare, "credited"],
      ]);
      await viem.assertions.emitWithArgs(hash, w.f.escrow, "Credited", [ETH, rrAddress(w), DEPOSIT]);
      assert.equal(await w.f.escrow.read.credits([ETH, w.rr.address]), DEPOSIT);
      assert.equal(await w.f.escrow.read.seatsLeft([1, w.late]), 4n);
    });

    it("a refusing customer cannot block resolve: its share is credited and the merchant is paid", async () => {
      const w = await load();
      const id = await bookOne(w, w.rr, w.early);
      await networkHelpers.time.setNextBlockTimestamp(w.early + HOUR);
      await mined(
        w.f,
        viaContract(
          w.f,
          w.rr,
          encodeFunctionData({ abi: w.f.escrow.abi, functionName: "dispute", args: [id, "not as described"] }),
        ),
      );
      w.books.disputed(id);
      const s = w.books.settle(id, Status.Resolved, 4_000n);
      const hash = await settles(w, () => w.f.escrow.write.resolve([id, 4_000], { account: w.f.arbiter.account }), [
        [rrAddress(w), s.customerShare, "credited"],
        [w.f.payout.account.address, s.merchantShare, "pushed"],
      ]);
      await viem.assertions.emitWithArgs(hash, w.f.escrow, "Credited", [ETH, rrAddress(w), parseEther("0.004")]);
    });

    it("a refusing customer cannot block a claim: its no-show refund is credited and the batch settles", async () => {
      const w = await load();
      const refusing = await bookOne(w, w.rr, w.early);
      const other = await bookOne(w, w.f.customer, w.early);
      await networkHelpers.time.setNextBlockTimestamp(settlesAt({ slotStart: w.early }, TIMING));
      const a = w.books.settle(refusing, Status.NoShow, NO_SHOW_BPS);
      const b = w.books.settle(other, Status.NoShow, NO_SHOW_BPS);
      const hash = await settles(
        w,
        () => w.f.escrow.write.claim([[refusing, other]], { account: w.f.merchant.account }),
        [
          [rrAddress(w), a.customerShare, "credited"],
          [w.f.customer.account.address, b.customerShare, "pushed"],
          [w.f.payout.account.address, a.merchantShare + b.merchantShare, "pushed"],
        ],
      );
      await viem.assertions.emitWithArgs(hash, w.f.escrow, "Credited", [ETH, rrAddress(w), parseEther("0.002")]);
      await viem.assertions.emitWithArgs(hash, w.f.escrow, "Claimed", [
        w.f.merchant.account.address,
        ETH,
        w.f.payout.account.address,
        a.merchantShare + b.merchantShare,
      ]);
    });

    it("a refusing customer cannot block a stranger's settle: its no-show share is credited", async () => {
      const w = await load();
      const id = await bookOne(w, w.rr, w.early);
      await networkHelpers.time.setNextBlockTimestamp(settlesAt({ slotStart: w.early }, TIMING));
      const s = w.books.settle(id, Status.NoShow, NO_SHOW_BPS);
      const hash = await settles(w, () => w.f.escrow.write.settle([id], { account: w.f.stranger.account }), [
        [rrAddress(w), s.customerShare, "credited"],
        [w.f.payout.account.address, s.merchantShare, "pushed"],
      ]);
      await viem.assertions.emitWithArgs(hash, w.f.escrow, "Credited", [ETH, rrAddress(w), parseEther("0.002")]);
    });

    it("a refusing customer cannot lose its own cancellation refund: it is credited", async () => {
      const w = await load();
      const id = await bookOne(w, w.rr, w.late);
      const s = w.books.settle(id, Status.CustomerCancelled, 10_000n);
      await settles(
        w,
        () => viaContract(w.f, w.rr, encodeFunctionData({ abi: w.f.escrow.abi, functionName: "cancel", args: [id] })),
        [[rrAddress(w), s.customerShare, "credited"]],
      );
    });

    it("a refused refund cannot stay locked: it is withdrawn to another address later", async () => {
      const w = await load();
      const id = await bookOne(w, w.rr, w.late);
      const s = w.books.settle(id, Status.MerchantCancelled, 10_000n);
      await settles(w, () => w.f.escrow.write.cancelByMerchant([id], { account: w.f.merchant.account }), [
        [rrAddress(w), s.customerShare, "credited"],
      ]);
      await networkHelpers.time.increase(30 * DAY);
      const hash = await withdrawCreditToVault(w);
      await viem.assertions.emitWithArgs(hash, w.f.escrow, "CreditWithdrawn", [
        ETH,
        rrAddress(w),
        w.vault.account.address,
        DEPOSIT,
      ]);
      assert.equal(await w.f.escrow.read.credits([ETH, w.rr.address]), 0n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        withdrawTo(w, w.vault.account.address),
        w.f.escrow,
        "NothingToWithdraw",
        [ETH, rrAddress(w)],
      );
    });

    it("reverts when a credit is withdrawn to the refusing address itself, keeping the credit", async () => {
      const w = await load();
      const id = await bookOne(w, w.rr, w.late);
      w.books.settle(id, Status.MerchantCancelled, 10_000n);
      w.books.credit(ETH, rrAddress(w), DEPOSIT);
      await mined(w.f, w.f.escrow.write.cancelByMerchant([id], { account: w.f.merchant.account }));
      await viem.assertions.revertWithCustomErrorWithArgs(withdrawTo(w, w.rr.address), w.f.escrow, "TransferFailed", [
        ETH,
        rrAddress(w),
        DEPOSIT,
      ]);
      await w.books.check(w.f, [ETH], w.accounts);
    });

    it("reverts when an ETH credit is withdrawn to the escrow itself (InvalidRecipient), keeping the credit", async () => {
      const w = await load();
      const id = await bookOne(w, w.rr, w.late);
      w.books.settle(id, Status.MerchantCancelled, 10_000n);
      w.books.credit(ETH, rrAddress(w), DEPOSIT);
      await mined(w.f, w.f.escrow.write.cancelByMerchant([id], { account: w.f.merchant.account }));
      await viem.assertions.revertWithCustomErrorWithArgs(
        withdrawTo(w, w.f.escrow.address),
        w.f.escrow,
        "InvalidRecipient",
        [getAddress(w.f.escrow.address)],
      );
      await w.books.check(w.f, [ETH], w.accounts);
    });

    it("a refused credit cannot be withdrawn by anyone but its owner", async () => {
      const w = await load();
      const id = await bookOne(w, w.rr, w.late);
      w.books.settle(id, Status.MerchantCancelled, 10_000n);
      w.books.credit(ETH, rrAddress(w), DEPOSIT);
      await mined(w.f, w.f.escrow.write.cancelByMerchant([id], { account: w.f.merchant.account }));
      for (const thief of [w.f.stranger, w.f.merchant, w.f.owner]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          w.f.escrow.write.withdraw([ETH, thief.account.address], { account: thief.account }),
          w.f.escrow,
          "NothingToWithdraw",
          [ETH, thief.account.address],
        );
      }
      await w.books.check(w.f, [ETH], w.accounts);
    });

    it("a customer that stops refusing cannot be credited again: later payouts are pushed", async () => {
      const w = await load();
      const first = await bookOne(w, w.rr, w.late);
      const second = await bookOne(w, w.rr, w.late);
      const a = w.books.settle(first, Status.MerchantCancelled, 10_000n);
      await settles(w, () => w.f.escrow.write.cancelByMerchant([first], { account: w.f.merchant.account }), [
        [rrAddress(w), a.customerShare, "credited"],
      ]);
      await mined(w.f, w.rr.write.setRefuse([false]));
      const b = w.books.settle(second, Status.MerchantCancelled, 10_000n);
      await settles(w, () => w.f.escrow.write.cancelByMerchant([second], { account: w.f.merchant.account }), [
        [rrAddress(w), b.customerShare, "pushed"],
      ]);
      assert.equal(await w.f.escrow.read.credits([ETH, w.rr.address]), DEPOSIT); // the first one, still withdrawable
    });
  });

  describe("as merchant payout", () => {
    async function refusingPayout(): Promise<World & { books: Books }> {
      const w = await load();
      await mined(
        w.f,
        w.f.escrow.write.updateMerchant([w.rr.address, "Chez Earnest"], { account: w.f.merchant.account }),
      );
      return w;
    }

    it("a refusing payout cannot block a claim: the merchant's total is credited, refunds are pushed", async () => {
      const w = await refusingPayout();
      const checkedIn = await bookOne(w, w.f.customer, w.early);
      const noShow = await bookOne(w, w.f.customer2, w.early);
      await networkHelpers.time.setNextBlockTimestamp(w.early);
      await mined(w.f, w.f.escrow.write.checkIn([checkedIn], { account: w.f.merchant.account }));
      await networkHelpers.time.setNextBlockTimestamp(settlesAt({ slotStart: w.early }, TIMING));
      const a = w.books.settle(checkedIn, Status.Fulfilled, 0n);
      const b = w.books.settle(noShow, Status.NoShow, NO_SHOW_BPS);
      const total = a.merchantShare + b.merchantShare;
      const hash = await settles(
        w,
        () => w.f.escrow.write.claim([[checkedIn, noShow]], { account: w.f.merchant.account }),
        [
          [rrAddress(w), total, "credited"],
          [w.f.customer2.account.address, b.customerShare, "pushed"],
        ],
      );
      await viem.assertions.emitWithArgs(hash, w.f.escrow, "Credited", [ETH, rrAddress(w), total]);
      await viem.assertions.emitWithArgs(hash, w.f.escrow, "Claimed", [
        w.f.merchant.account.address,
        ETH,
        rrAddress(w),
        total,
      ]);
      // The payout contract withdraws the merchant's total to another address.
      await withdrawCreditToVault(w);
    });

    it("a refusing payout cannot block the customer's own settle: the customer gets its share", async () => {
      const w = await refusingPayout();
      const id = await bookOne(w, w.f.customer, w.early);
      await networkHelpers.time.setNextBlockTimestamp(settlesAt({ slotStart: w.early }, TIMING));
      const s = w.books.settle(id, Status.NoShow, NO_SHOW_BPS);
      const hash = await settles(w, () => w.f.escrow.write.settle([id], { account: w.f.customer.account }), [
        [w.f.customer.account.address, s.customerShare, "pushed"],
        [rrAddress(w), s.merchantShare, "credited"],
      ]);
      await viem.assertions.emitWithArgs(hash, w.f.escrow, "Claimed", [
        w.f.merchant.account.address,
        ETH,
        rrAddress(w),
        s.merchantShare,
      ]);
    });

    it("a refusing payout cannot block a customer's cancel: the customer is refunded", async () => {
      const w = await refusingPayout();
      const id = await bookOne(w, w.f.customer, w.early);
      // 36 h before the start: the 50 % tier.
      await networkHelpers.time.setNextBlockTimestamp(w.early - 36 * HOUR);
      const s = w.books.settle(id, Status.CustomerCancelled, 5_000n);
      assert.ok(s.merchantShare > 0n);
      await settles(w, () => w.f.escrow.write.cancel([id], { account: w.f.customer.account }), [
        [w.f.customer.account.address, s.customerShare, "pushed"],
        [rrAddress(w), s.merchantShare, "credited"],
      ]);
    });

    it("a refusing payout cannot block resolve: the customer gets the ruled share", async () => {
      const w = await refusingPayout();
      const id = await bookOne(w, w.f.customer, w.early);
      await networkHelpers.time.setNextBlockTimestamp(w.early + HOUR);
      await mined(w.f, w.f.escrow.write.dispute([id, "closed at the door"], { account: w.f.customer.account }));
      w.books.disputed(id);
      const s = w.books.settle(id, Status.Resolved, 2_500n);
      await settles(w, () => w.f.escrow.write.resolve([id, 2_500], { account: w.f.arbiter.account }), [
        [w.f.customer.account.address, s.customerShare, "pushed"],
        [rrAddress(w), s.merchantShare, "credited"],
      ]);
    });

    it("a credit of a replaced payout cannot move to the new one: it stays with the old address", async () => {
      const w = await refusingPayout();
      const first = await bookOne(w, w.f.customer, w.early);
      const second = await bookOne(w, w.f.customer2, w.early);
      await networkHelpers.time.setNextBlockTimestamp(settlesAt({ slotStart: w.early }, TIMING));
      const a = w.books.settle(first, Status.NoShow, NO_SHOW_BPS);
      await settles(w, () => w.f.escrow.write.claim([[first]], { account: w.f.merchant.account }), [
        [w.f.customer.account.address, a.customerShare, "pushed"],
        [rrAddress(w), a.merchantShare, "credited"],
      ]);
      await mined(
        w.f,
        w.f.escrow.write.updateMerchant([w.f.payout.account.address, "Chez Earnest"], {
          account: w.f.merchant.account,
        }),
      );
      const b = w.books.settle(second, Status.NoShow, NO_SHOW_BPS);
      await settles(w, () => w.f.escrow.write.claim([[second]], { account: w.f.merchant.account }), [
        [w.f.customer2.account.address, b.customerShare, "pushed"],
        [w.f.payout.account.address, b.merchantShare, "pushed"],
      ]);
      assert.equal(await w.f.escrow.read.credits([ETH, w.rr.address]), a.merchantShare);
      await viem.assertions.revertWithCustomErrorWithArgs(
        w.f.escrow.write.withdraw([ETH, w.f.payout.account.address], { account: w.f.merchant.account }),
        w.f.escrow,
        "NothingToWithdraw",
        [ETH, w.f.merchant.account.address],
      );
    });
  });

  describe("as merchant", () => {
    it("a refusing merchant contract cannot block its customers' refunds, and is credited its own claim", async () => {
      const w = await load();
      const call = (data: `0x${string}`): Promise<Hash> => viaContract(w.f, w.rr, data);
      await mined(
        w.f,
        call(
          encodeFunctionData({
            abi: w.f.escrow.abi,
            functionName: "registerMerchant",
            args: [w.rr.address, "Refuser"],
          }),
        ),
      );
      await mined(
        w.f,
        call(encodeFunctionData({ abi: w.f.escrow.abi, functionName: "createOffering", args: [terms(w.f.grid)] })),
      );
      const cancelled = await bookOne(w, w.f.customer, w.late, 3);
      const claimed = await bookOne(w, w.f.customer2, w.early, 3);
      const c = w.books.settle(cancelled, Status.MerchantCancelled, 10_000n);
      await settles(
        w,
        () => call(encodeFunctionData({ abi: w.f.escrow.abi, functionName: "cancelByMerchant", args: [cancelled] })),
        [[w.f.customer.account.address, c.customerShare, "pushed"]],
      );
      await networkHelpers.time.setNextBlockTimestamp(settlesAt({ slotStart: w.early }, TIMING));
      const s = w.books.settle(claimed, Status.NoShow, NO_SHOW_BPS);
      await settles(
        w,
        () => call(encodeFunctionData({ abi: w.f.escrow.abi, functionName: "claim", args: [[claimed]] })),
        [
          [w.f.customer2.account.address, s.customerShare, "pushed"],
          [rrAddress(w), s.merchantShare, "credited"],
        ],
      );
    });
  });

  describe("as fee recipient", () => {
    /** A refusing fee recipient, and 0.0002 ETH of fees owed from a settled no-show. */
    async function refusingFeeRecipient(): Promise<World & { books: Books }> {
      const w = await load();
      await mined(w.f, w.f.escrow.write.setFeeRecipient([w.rr.address], { account: w.f.owner.account }));
      const id = await bookOne(w, w.f.customer, w.early);
      await networkHelpers.time.setNextBlockTimestamp(settlesAt({ slotStart: w.early }, TIMING));
      const s = w.books.settle(id, Status.NoShow, NO_SHOW_BPS);
      await settles(w, () => w.f.escrow.write.claim([[id]], { account: w.f.merchant.account }), [
        [w.f.customer.account.address, s.customerShare, "pushed"],
        [w.f.payout.account.address, s.merchantShare, "pushed"],
      ]);
      assert.equal(s.fee, parseEther("0.0002"));
      return w;
    }

    it("a refusing fee recipient cannot block withdrawFees: the fees become its credit, withdrawn elsewhere", async () => {
      const w = await refusingFeeRecipient();
      const fees = w.books.feesWithdrawn(ETH);
      assert.equal(fees, parseEther("0.0002"));
      const hash = await settles(w, () => w.f.escrow.write.withdrawFees([ETH], { account: w.f.stranger.account }), [
        [rrAddress(w), fees, "credited"],
      ]);
      await viem.assertions.emitWithArgs(hash, w.f.escrow, "FeesWithdrawn", [ETH, rrAddress(w), fees]);
      await viem.assertions.emitWithArgs(hash, w.f.escrow, "Credited", [ETH, rrAddress(w), fees]);
      assert.equal(await w.f.escrow.read.feesOwed([ETH]), 0n);
      // The fee recipient takes its credit to an address that accepts ETH.
      await withdrawCreditToVault(w);
    });

    it("a refusing fee recipient cannot block settlements that accrue fees", async () => {
      const w = await refusingFeeRecipient();
      const cancelled = await bookOne(w, w.f.customer, w.late);
      const disputed = await bookOne(w, w.f.customer2, w.late);
      await networkHelpers.time.setNextBlockTimestamp(w.late - 30 * HOUR);
      const c = w.books.settle(cancelled, Status.CustomerCancelled, 5_000n);
      await settles(w, () => w.f.escrow.write.cancel([cancelled], { account: w.f.customer.account }), [
        [w.f.customer.account.address, c.customerShare, "pushed"],
        [w.f.payout.account.address, c.merchantShare, "pushed"],
      ]);
      await networkHelpers.time.setNextBlockTimestamp(w.late + HOUR);
      await mined(w.f, w.f.escrow.write.dispute([disputed, "overcharged"], { account: w.f.customer2.account }));
      w.books.disputed(disputed);
      const r = w.books.settle(disputed, Status.Resolved, 1_000n);
      await settles(w, () => w.f.escrow.write.resolve([disputed, 1_000], { account: w.f.arbiter.account }), [
        [w.f.customer2.account.address, r.customerShare, "pushed"],
        [w.f.payout.account.address, r.merchantShare, "pushed"],
      ]);
      assert.equal(await w.f.escrow.read.feesOwed([ETH]), parseEther("0.0002") + c.fee + r.fee);
      // Once it accepts ETH, one withdrawal pushes it every fee owed.
      await mined(w.f, w.rr.write.setRefuse([false]));
      const amount = w.books.feesWithdrawn(ETH);
      await settles(w, () => w.f.escrow.write.withdrawFees([ETH], { account: w.f.stranger.account }), [
        [rrAddress(w), amount, "pushed"],
      ]);
    });
  });
});
