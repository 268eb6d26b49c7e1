// A blocklisting token (like USDC's blacklist), allow-listed and used by an offering: an address the issuer blocks
// after booking (customer, payout, fee recipient, even the escrow) cannot block anyone else's transaction. Its share
// becomes a credit that it withdraws to another address; only its own withdrawal to itself reverts, with state intact.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, maxUint256, type Address, type Hash } from "viem";
import { encodeBookingId, settlesAt } from "@earnest/sdk";
import { bookedEvent } from "../support/booking.js";
import { Books, expectMovements, type Movement } from "../support/books.js";
import { mined } from "../support/chain.js";
import {
  createTokenOffering,
  DAY,
  deployWithOfferings,
  detailsHash,
  fixtureAccounts,
  HOUR,
  networkHelpers,
  NO_SHOW_BPS,
  slotInDays,
  Status,
  TIMING,
  viem,
  type Wallet,
} from "../support/fixture.js";

const DEPOSIT = 20n * 10n ** 18n; // 20 BUSD a seat (18 decimals)
const OFFERING = 3;

async function deployBlocklistWorld() {
  const f = await deployWithOfferings();
  const busd = await viem.deployContract("BlocklistToken");
  await createTokenOffering(f, busd.address, {
    depositPerSeat: DEPOSIT,
    arbiter: f.arbiter.account.address,
    arbiterTimeout: 3 * DAY,
  });
  for (const c of [f.customer, f.customer2]) {
    await mined(f, busd.write.mint([c.account.address, 1_000n * DEPOSIT]));
    await mined(f, busd.write.approve([f.escrow.address, maxUint256], { account: c.account }));
  }
  const wallets = await viem.getWalletClients();
  const vault = wallets[9];
  const early = await slotInDays(f.grid, 2);
  const late = await slotInDays(f.grid, 10);
  const accounts: Address[] = [...fixtureAccounts(f), vault.account.address];
  return { f, busd, token: getAddress(busd.address), vault, early, late, accounts };
}

type World = Awaited<ReturnType<typeof deployBlocklistWorld>> & { books: Books };

async function load(): Promise<World> {
  const w = await networkHelpers.loadFixture(deployBlocklistWorld);
  return { ...w, books: new Books() };
}

async function bookOne(w: World, customer: Wallet, slot: number): Promise<bigint> {
  const hash = w.f.escrow.write.book([OFFERING, slot, 1, detailsHash(`busd:${slot}`)], { account: customer.account });
  const id = (await bookedEvent(w.f, hash)).bookingId;
  w.books.booked(id, w.token, DEPOSIT);
  return id;
}

async function block(w: World, account: Address, blocked = true): Promise<void> {
  await mined(w.f, w.busd.write.setBlocked([account, blocked]));
  assert.equal(await w.busd.read.isBlocked([account]), blocked);
}

function moves(w: World, send: () => Promise<Hash>, movements: Movement[]): Promise<Hash> {
  return expectMovements(w.f, w.books, w.token, w.accounts, send, movements);
}

/** `owner` withdraws its whole credit to the vault, which nobody blocks; asserts that it moved there and nothing else
 *  did. */
function withdrawCreditToVault(w: World, owner: Wallet): Promise<Hash> {
  const amount = w.books.withdrew(w.token, owner.account.address);
  return moves(w, () => w.f.escrow.write.withdraw([w.token, w.vault.account.address], { account: owner.account }), [
    [owner.account.address, amount, "withdrawn"],
    [w.vault.account.address, amount, "pushed"],
  ]);
}

describe("attacks: blocklist token", () => {
  it("a customer blocked after booking cannot block the merchant's cancel: its refund is credited", async () => {
    const w = await load();
    const id = await bookOne(w, w.f.customer, w.late);
    await block(w, w.f.customer.account.address);
    const s = w.books.settle(id, Status.MerchantCancelled, 10_000n);
    const hash = await moves(w, () => w.f.escrow.write.cancelByMerchant([id], { account: w.f.merchant.account }), [
      [w.f.customer.account.address, s.customerShare, "credited"],
    ]);
    await viem.assertions.emitWithArgs(hash, w.f.escrow, "Credited", [w.token, w.f.customer.account.address, DEPOSIT]);
    assert.equal(await w.f.escrow.read.credits([w.token, w.f.customer.account.address]), DEPOSIT);
    assert.equal(await w.f.escrow.read.seatsLeft([OFFERING, w.late]), 4n);
  });

  it("a customer blocked after booking cannot block a claim: its no-show refund is credited", async () => {
    const w = await load();
    const blocked = await bookOne(w, w.f.customer, w.early);
    const other = await bookOne(w, w.f.customer2, w.early);
    await block(w, w.f.customer.account.address);
    await networkHelpers.time.setNextBlockTimestamp(settlesAt({ slotStart: w.early }, TIMING));
    const a = w.books.settle(blocked, Status.NoShow, NO_SHOW_BPS);
    const b = w.books.settle(other, Status.NoShow, NO_SHOW_BPS);
    const hash = await moves(w, () => w.f.escrow.write.claim([[blocked, other]], { account: w.f.merchant.account }), [
      [w.f.customer.account.address, a.customerShare, "credited"],
      [w.f.customer2.account.address, b.customerShare, "pushed"],
      [w.f.payout.account.address, a.merchantShare + b.merchantShare, "pushed"],
    ]);
    await viem.assertions.emitWithArgs(hash, w.f.escrow, "Credited", [
      w.token,
      w.f.customer.account.address,
      4n * 10n ** 18n,
    ]);
  });

  it("a customer blocked after booking cannot block resolve: its ruled share is credited", async () => {
    const w = await load();
    const id = await bookOne(w, w.f.customer, w.early);
    await networkHelpers.time.setNextBlockTimestamp(w.early + HOUR);
    await mined(w.f, w.f.escrow.write.dispute([id, "wrong room"], { account: w.f.customer.account }));
    w.books.disputed(id);
    await block(w, w.f.customer.account.address);
    const s = w.books.settle(id, Status.Resolved, 7_000n);
    await moves(w, () => w.f.escrow.write.resolve([id, 7_000], { account: w.f.arbiter.account }), [
      [w.f.customer.account.address, s.customerShare, "credited"],
      [w.f.payout.account.address, s.merchantShare, "pushed"],
    ]);
  });

  it("a blocked customer cannot lose its own cancellation refund: it is credited", async () => {
    const w = await load();
    const id = await bookOne(w, w.f.customer, w.late);
    await block(w, w.f.customer.account.address);
    const s = w.books.settle(id, Status.CustomerCancelled, 10_000n);
    await moves(w, () => w.f.escrow.write.cancel([id], { account: w.f.customer.account }), [
      [w.f.customer.account.address, s.customerShare, "credited"],
    ]);
  });

  it("a blocked payout address cannot block a claim: the merchant's total is credited", async () => {
    const w = await load();
    const checkedIn = await bookOne(w, w.f.customer, w.early);
    const noShow = await bookOne(w, w.f.customer2, w.early);
    await networkHelpers.time.setNextBlockTimestamp(w.early);
    await mined(w.f, w.f.escrow.write.checkIn([checkedIn], { account: w.f.merchant.account }));
    await block(w, w.f.payout.account.address);
    await networkHelpers.time.setNextBlockTimestamp(settlesAt({ slotStart: w.early }, TIMING));
    const a = w.books.settle(checkedIn, Status.Fulfilled, 0n);
    const b = w.books.settle(noShow, Status.NoShow, NO_SHOW_BPS);
    const total = a.merchantShare + b.merchantShare;
    const hash = await moves(
      w,
      () => w.f.escrow.write.claim([[checkedIn, noShow]], { account: w.f.merchant.account }),
      [
        [w.f.payout.account.address, total, "credited"],
        [w.f.customer2.account.address, b.customerShare, "pushed"],
      ],
    );
    await viem.assertions.emitWithArgs(hash, w.f.escrow, "Claimed", [
      w.f.merchant.account.address,
      w.token,
      w.f.payout.account.address,
      total,
    ]);
    await viem.assertions.emitWithArgs(hash, w.f.escrow, "Credited", [w.token, w.f.payout.account.address, total]);
  });

  it("a blocked payout address cannot block a customer's cancel: the customer is refunded", async () => {
    const w = await load();
    const id = await bookOne(w, w.f.customer, w.late);
    await block(w, w.f.payout.account.address);
    await networkHelpers.time.setNextBlockTimestamp(w.late - 30 * HOUR);
    const s = w.books.settle(id, Status.CustomerCancelled, 5_000n);
    await moves(w, () => w.f.escrow.write.cancel([id], { account: w.f.customer.account }), [
      [w.f.customer.account.address, s.customerShare, "pushed"],
      [w.f.payout.account.address, s.merchantShare, "credited"],
    ]);
  });

  it("a blocked account cannot lose its credit: it withdraws it to another address", async () => {
    const w = await load();
    const id = await bookOne(w, w.f.customer, w.late);
    await block(w, w.f.customer.account.address);
    const s = w.books.settle(id, Status.MerchantCancelled, 10_000n);
    await moves(w, () => w.f.escrow.write.cancelByMerchant([id], { account: w.f.merchant.account }), [
      [w.f.customer.account.address, s.customerShare, "credited"],
    ]);
    // To itself, still blocked: the strict withdraw reverts and keeps the credit.
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.withdraw([w.token, w.f.customer.account.address], { account: w.f.customer.account }),
      w.f.escrow,
      "TransferFailed",
      [w.token, w.f.customer.account.address, DEPOSIT],
    );
    await w.books.check(w.f, [w.token], w.accounts);
    // To another address: it gets the whole credit.
    const hash = await withdrawCreditToVault(w, w.f.customer);
    await viem.assertions.emitWithArgs(hash, w.f.escrow, "CreditWithdrawn", [
      w.token,
      w.f.customer.account.address,
      w.vault.account.address,
      DEPOSIT,
    ]);
  });

  it("a blocked payout address cannot lose the merchant's credit: it withdraws it to another address", async () => {
    const w = await load();
    const id = await bookOne(w, w.f.customer, w.early);
    await block(w, w.f.payout.account.address);
    await networkHelpers.time.setNextBlockTimestamp(settlesAt({ slotStart: w.early }, TIMING));
    const s = w.books.settle(id, Status.NoShow, NO_SHOW_BPS);
    await moves(w, () => w.f.escrow.write.claim([[id]], { account: w.f.merchant.account }), [
      [w.f.customer.account.address, s.customerShare, "pushed"],
      [w.f.payout.account.address, s.merchantShare, "credited"],
    ]);
    await withdrawCreditToVault(w, w.f.payout);
  });

  it("reverts when a blocked customer books, recording nothing", async () => {
    const w = await load();
    await block(w, w.f.customer.account.address);
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.book([OFFERING, w.late, 1, detailsHash("blocked")], { account: w.f.customer.account }),
      w.busd,
      "Blocked",
      [w.f.customer.account.address],
    );
    assert.equal(await w.f.escrow.read.seatsLeft([OFFERING, w.late]), 4n);
    const view = await w.f.escrow.read.getBooking([encodeBookingId({ offeringId: OFFERING, slotStart: w.late, n: 1 })]);
    assert.equal(view.status, Status.None);
    await w.books.check(w.f, [w.token], w.accounts);
  });

  it("a token that blocks the escrow itself cannot make settlement revert: every share is credited", async () => {
    const w = await load();
    const cancelled = await bookOne(w, w.f.customer, w.late);
    const claimed = await bookOne(w, w.f.customer2, w.early);
    await block(w, w.f.escrow.address);
    const c = w.books.settle(cancelled, Status.MerchantCancelled, 10_000n);
    await moves(w, () => w.f.escrow.write.cancelByMerchant([cancelled], { account: w.f.merchant.account }), [
      [w.f.customer.account.address, c.customerShare, "credited"],
    ]);
    await networkHelpers.time.setNextBlockTimestamp(settlesAt({ slotStart: w.early }, TIMING));
    const s = w.books.settle(claimed, Status.NoShow, NO_SHOW_BPS);
    await moves(w, () => w.f.escrow.write.claim([[claimed]], { account: w.f.merchant.account }), [
      [w.f.customer2.account.address, s.customerShare, "credited"],
      [w.f.payout.account.address, s.merchantShare, "credited"],
    ]);
    // Fees cannot leave either: they become the fee recipient's credit.
    const fees = w.books.feesWithdrawn(w.token);
    await moves(w, () => w.f.escrow.write.withdrawFees([w.token], { account: w.f.stranger.account }), [
      [w.f.feeRecipient.account.address, fees, "credited"],
    ]);
    // Unblocked, everyone withdraws exactly their credit.
    await block(w, w.f.escrow.address, false);
    for (const who of [w.f.customer, w.f.customer2, w.f.payout, w.f.feeRecipient]) {
      const amount = w.books.withdrew(w.token, who.account.address);
      assert.ok(amount > 0n);
      await moves(w, () => w.f.escrow.write.withdraw([w.token, who.account.address], { account: who.account }), [
        [who.account.address, amount, "withdrawn"],
        [who.account.address, amount, "pushed"],
      ]);
    }
  });

  it("a blocked fee recipient cannot block withdrawFees: the fees become its credit, withdrawn elsewhere", async () => {
    const w = await load();
    const id = await bookOne(w, w.f.customer, w.early);
    await networkHelpers.time.setNextBlockTimestamp(settlesAt({ slotStart: w.early }, TIMING));
    const s = w.books.settle(id, Status.NoShow, NO_SHOW_BPS);
    await moves(w, () => w.f.escrow.write.claim([[id]], { account: w.f.merchant.account }), [
      [w.f.customer.account.address, s.customerShare, "pushed"],
      [w.f.payout.account.address, s.merchantShare, "pushed"],
    ]);
    await block(w, w.f.feeRecipient.account.address);
    const fees = w.books.feesWithdrawn(w.token);
    assert.equal(fees, s.fee);
    const hash = await moves(w, () => w.f.escrow.write.withdrawFees([w.token], { account: w.f.stranger.account }), [
      [w.f.feeRecipient.account.address, fees, "credited"],
    ]);
    await viem.assertions.emitWithArgs(hash, w.f.escrow, "Credited", [w.token, w.f.feeRecipient.account.address, fees]);
    assert.equal(await w.f.escrow.read.feesOwed([w.token]), 0n);
    await withdrawCreditToVault(w, w.f.feeRecipient);
  });

  it("a customer blocked after booking cannot block a stranger's settle: its no-show share is credited", async () => {
    const w = await load();
    const id = await bookOne(w, w.f.customer, w.early);
    await block(w, w.f.customer.account.address);
    await networkHelpers.time.setNextBlockTimestamp(settlesAt({ slotStart: w.early }, TIMING));
    const s = w.books.settle(id, Status.NoShow, NO_SHOW_BPS);
    await moves(w, () => w.f.escrow.write.settle([id], { account: w.f.stranger.account }), [
      [w.f.customer.account.address, s.customerShare, "credited"],
      [w.f.payout.account.address, s.merchantShare, "pushed"],
    ]);
  });

  it("a token removed from the allow-list cannot strand bookings already made", async () => {
    const w = await load();
    const cancelled = await bookOne(w, w.f.customer, w.late);
    const claimed = await bookOne(w, w.f.customer2, w.early);
    await mined(w.f, w.f.escrow.write.setTokenAllowed([w.token, false], { account: w.f.owner.account }));
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.book([OFFERING, w.late, 1, detailsHash("delisted")], { account: w.f.customer.account }),
      w.f.escrow,
      "TokenNotAllowed",
      [w.token],
    );
    const c = w.books.settle(cancelled, Status.MerchantCancelled, 10_000n);
    await moves(w, () => w.f.escrow.write.cancelByMerchant([cancelled], { account: w.f.merchant.account }), [
      [w.f.customer.account.address, c.customerShare, "pushed"],
    ]);
    await networkHelpers.time.setNextBlockTimestamp(settlesAt({ slotStart: w.early }, TIMING));
    const s = w.books.settle(claimed, Status.NoShow, NO_SHOW_BPS);
    await moves(w, () => w.f.escrow.write.claim([[claimed]], { account: w.f.merchant.account }), [
      [w.f.customer2.account.address, s.customerShare, "pushed"],
      [w.f.payout.account.address, s.merchantShare, "pushed"],
    ]);
    const fees = w.books.feesWithdrawn(w.token);
    await moves(w, () => w.f.escrow.write.withdrawFees([w.token], { account: w.f.stranger.account }), [
      [w.f.feeRecipient.account.address, fees, "pushed"],
    ]);
  });

  it("reverts when a token credit is withdrawn to the escrow itself, which would strand it", async () => {
    const w = await load();
    const id = await bookOne(w, w.f.customer, w.late);
    await block(w, w.f.customer.account.address);
    const s = w.books.settle(id, Status.MerchantCancelled, 10_000n);
    await moves(w, () => w.f.escrow.write.cancelByMerchant([id], { account: w.f.merchant.account }), [
      [w.f.customer.account.address, s.customerShare, "credited"],
    ]);
    // A blocked customer looking for "another address" pastes the escrow's (e.g. from a block explorer).
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.withdraw([w.token, w.f.escrow.address], { account: w.f.customer.account }),
      w.f.escrow,
      "InvalidRecipient",
      [getAddress(w.f.escrow.address)],
    );
    assert.equal(await w.f.escrow.read.credits([w.token, w.f.customer.account.address]), DEPOSIT);
    await w.books.check(w.f, [w.token], w.accounts);
  });

  it("reverts when the fee recipient is set to the escrow itself, which would strand token fees", async () => {
    const w = await load();
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.f.escrow.write.setFeeRecipient([w.f.escrow.address], { account: w.f.owner.account }),
      w.f.escrow,
      "InvalidRecipient",
      [getAddress(w.f.escrow.address)],
    );
  });
});
