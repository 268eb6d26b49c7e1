// Withdrawals: credits kept for refusing recipients, withdrawn by their owners wherever they choose (a refusal
// there reverts), and accrued protocol fees, pushed to the fee recipient or credited to it if it refuses.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFunctionData, parseEventLogs, zeroAddress, type Address } from "viem";
import { settlesAt } from "@earnest/sdk";
import { book, bookedEvent } from "../support/booking.js";
import { atTime, ethBalance, mined } from "../support/chain.js";
import {
  deployRevertingReceiver,
  deployWithOfferings,
  deployWithTokenOffering,
  detailsHash,
  ETH,
  ETH_DEPOSIT,
  HOUR,
  networkHelpers,
  slotInDays,
  TIMING,
  USD_DEPOSIT,
  viem,
  type Fixture,
} from "../support/fixture.js";
import { expectedSplit } from "../support/outcomes.js";

/**
 * A RevertingReceiver that booked two seats of the ETH offering and whose booking the merchant cancelled: the refund
 * was refused and kept as a credit of 0.02 ETH.
 */
async function deployWithEthCredit() {
  const f = await deployWithOfferings();
  const receiver = await deployRevertingReceiver();
  const slot = await slotInDays(f.grid, 3);
  const data = encodeFunctionData({
    abi: f.escrow.abi,
    functionName: "book",
    args: [f.ethOffering, slot, 2, detailsHash("receiver")],
  });
  const receipt = await mined(f, receiver.write.execute([f.escrow.address, data], { value: 2n * ETH_DEPOSIT }));
  const [booked] = parseEventLogs({ abi: f.escrow.abi, eventName: "Booked", logs: receipt.logs });
  await f.escrow.write.cancelByMerchant([booked.args.bookingId], { account: f.merchant.account });
  return { ...f, receiver, credit: 2n * ETH_DEPOSIT };
}

type CreditFixture = Awaited<ReturnType<typeof deployWithEthCredit>>;

/** Calldata for `withdraw(token, to)`, for the receiver to send through `execute`. */
function withdrawData(f: Fixture, token: Address, to: Address): `0x${string}` {
  return encodeFunctionData({ abi: f.escrow.abi, functionName: "withdraw", args: [token, to] });
}

/** Customer cancels a 3-seat ETH booking under 24 h before the start: no refund, so the whole fee accrues. */
async function accrueEthFee(f: Fixture): Promise<bigint> {
  const slot = await slotInDays(f.grid, 3);
  const booked = await book(f, f.ethOffering, slot, 3);
  await atTime(slot - HOUR);
  await f.escrow.write.cancel([booked.id], { account: f.customer.account });
  return expectedSplit(booked.amount, 0).fee;
}

/** The fixture plus a BlocklistToken, allow-listed by the owner, and an offering 3 paid in it (10.000001 a seat). */
async function deployWithBlocklistToken() {
  const f = await deployWithTokenOffering(() => viem.deployContract("BlocklistToken"), 10_000_001n);
  return { ...f, token: f.mock, blocklistOffering: f.mockOffering };
}

describe("withdraw (credits)", () => {
  it("succeeds when the owner withdraws a credit to itself", async () => {
    const f: CreditFixture = await networkHelpers.loadFixture(deployWithEthCredit);
    assert.equal(await f.escrow.read.credits([ETH, f.receiver.address]), f.credit);
    await f.receiver.write.setRefuse([false]);
    const hash = await f.receiver.write.execute([f.escrow.address, withdrawData(f, ETH, f.receiver.address)]);
    await viem.assertions.emitWithArgs(hash, f.escrow, "CreditWithdrawn", [
      ETH,
      f.receiver.address,
      f.receiver.address,
      f.credit,
    ]);
    await viem.assertions.balancesHaveChanged(hash, [
      { address: f.receiver.address, amount: f.credit },
      { address: f.escrow.address, amount: -f.credit },
    ]);
    assert.equal(await f.escrow.read.credits([ETH, f.receiver.address]), 0n);
    assert.equal(await ethBalance(f, f.escrow.address), 0n);
  });

  it("succeeds when the owner withdraws a credit to another address", async () => {
    const f = await networkHelpers.loadFixture(deployWithEthCredit);
    const hash = await f.receiver.write.execute([f.escrow.address, withdrawData(f, ETH, f.stranger.account.address)]);
    await viem.assertions.emitWithArgs(hash, f.escrow, "CreditWithdrawn", [
      ETH,
      f.receiver.address,
      f.stranger.account.address,
      f.credit,
    ]);
    await viem.assertions.balancesHaveChanged(hash, [
      { address: f.stranger.account.address, amount: f.credit },
      { address: f.receiver.address, amount: 0n },
      { address: f.escrow.address, amount: -f.credit },
    ]);
    assert.equal(await f.escrow.read.credits([ETH, f.receiver.address]), 0n);
  });

  it("succeeds with the sum of several credits in one withdrawal", async () => {
    const f = await networkHelpers.loadFixture(deployWithEthCredit);
    const slot = await slotInDays(f.grid, 4);
    const data = encodeFunctionData({
      abi: f.escrow.abi,
      functionName: "book",
      args: [f.ethOffering, slot, 1, detailsHash("receiver again")],
    });
    const receipt = await mined(f, f.receiver.write.execute([f.escrow.address, data], { value: ETH_DEPOSIT }));
    const [booked] = parseEventLogs({ abi: f.escrow.abi, eventName: "Booked", logs: receipt.logs });
    await f.escrow.write.cancelByMerchant([booked.args.bookingId], { account: f.merchant.account });
    assert.equal(await f.escrow.read.credits([ETH, f.receiver.address]), f.credit + ETH_DEPOSIT);
    await viem.assertions.balancesHaveChanged(
      f.receiver.write.execute([f.escrow.address, withdrawData(f, ETH, f.stranger.account.address)]),
      [{ address: f.stranger.account.address, amount: f.credit + ETH_DEPOSIT }],
    );
  });

  it("reverts when there is nothing to withdraw", async () => {
    const f = await networkHelpers.loadFixture(deployWithEthCredit);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.withdraw([ETH, f.customer.account.address], { account: f.customer.account }),
      f.escrow,
      "NothingToWithdraw",
      [ETH, f.customer.account.address],
    );
    // The receiver's credit is in ETH, not in the stablecoin.
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.receiver.write.execute([f.escrow.address, withdrawData(f, f.stablecoin.address, f.stranger.account.address)]),
      f.escrow,
      "NothingToWithdraw",
      [f.stablecoin.address, f.receiver.address],
    );
  });

  it("reverts when the credit was already withdrawn", async () => {
    const f = await networkHelpers.loadFixture(deployWithEthCredit);
    await f.receiver.write.execute([f.escrow.address, withdrawData(f, ETH, f.stranger.account.address)]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.receiver.write.execute([f.escrow.address, withdrawData(f, ETH, f.stranger.account.address)]),
      f.escrow,
      "NothingToWithdraw",
      [ETH, f.receiver.address],
    );
  });

  it("reverts when the recipient refuses ETH, and the credit stays", async () => {
    const f = await networkHelpers.loadFixture(deployWithEthCredit);
    const other = await deployRevertingReceiver();
    for (const to of [f.receiver.address, other.address]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.receiver.write.execute([f.escrow.address, withdrawData(f, ETH, to)]),
        f.escrow,
        "TransferFailed",
        [ETH, to, f.credit],
      );
    }
    assert.equal(await f.escrow.read.credits([ETH, f.receiver.address]), f.credit);
    assert.equal(await ethBalance(f, f.escrow.address), f.credit);
  });

  it("reverts when the recipient is the zero address", async () => {
    const f = await networkHelpers.loadFixture(deployWithEthCredit);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.receiver.write.execute([f.escrow.address, withdrawData(f, ETH, ETH)]),
      f.escrow,
      "InvalidRecipient",
      [zeroAddress],
    );
    assert.equal(await f.escrow.read.credits([ETH, f.receiver.address]), f.credit);
  });
});

describe("withdraw and withdrawFees while paused", () => {
  it("succeeds in withdrawing a credit and the fees while the protocol is paused", async () => {
    const f = await networkHelpers.loadFixture(deployWithEthCredit);
    const fee = await accrueEthFee(f);
    await f.escrow.write.setPaused([true], { account: f.owner.account });
    assert.equal((await f.escrow.read.config()).paused, true);
    await viem.assertions.balancesHaveChanged(
      f.receiver.write.execute([f.escrow.address, withdrawData(f, ETH, f.stranger.account.address)]),
      [{ address: f.stranger.account.address, amount: f.credit }],
    );
    await viem.assertions.balancesHaveChanged(f.escrow.write.withdrawFees([ETH], { account: f.customer2.account }), [
      { address: f.feeRecipient.account.address, amount: fee },
    ]);
    assert.equal(await f.escrow.read.credits([ETH, f.receiver.address]), 0n);
    assert.equal(await f.escrow.read.feesOwed([ETH]), 0n);
    assert.equal(await ethBalance(f, f.escrow.address), 0n);
  });
});

describe("withdraw (blocklisted token)", () => {
  it("succeeds when a blocked customer's refund becomes a credit they withdraw to another address", async () => {
    const f = await networkHelpers.loadFixture(deployWithBlocklistToken);
    const slot = await slotInDays(f.grid, 3);
    const amount = 2n * 10_000_001n;
    await f.token.write.approve([f.escrow.address, amount], { account: f.customer.account });
    const hashBook = await f.escrow.write.book([f.blocklistOffering, slot, 2, detailsHash("blocked")], {
      account: f.customer.account,
    });
    const [booked] = parseEventLogs({
      abi: f.escrow.abi,
      eventName: "Booked",
      logs: (await mined(f, hashBook)).logs,
    });
    const id = booked.args.bookingId;
    await f.token.write.setBlocked([f.customer.account.address, true]);
    const customerBefore = await f.token.read.balanceOf([f.customer.account.address]);

    // 50 % tier: 10_000_001 to the customer (credited), fee 2.5 % of 10_000_001 = 250_000, merchant 9_750_001.
    const expected = expectedSplit(amount, 5_000);
    assert.deepEqual(expected, { customerShare: 10_000_001n, merchantShare: 9_750_001n, fee: 250_000n });
    await atTime(slot - 30 * HOUR);
    const hash = await f.escrow.write.cancel([id], { account: f.customer.account });
    await viem.assertions.emitWithArgs(hash, f.escrow, "Credited", [
      f.token.address,
      f.customer.account.address,
      expected.customerShare,
    ]);
    assert.equal(await f.token.read.balanceOf([f.customer.account.address]), customerBefore);
    assert.equal(await f.token.read.balanceOf([f.payout.account.address]), expected.merchantShare);
    assert.equal(await f.escrow.read.credits([f.token.address, f.customer.account.address]), expected.customerShare);
    assert.equal(await f.escrow.read.feesOwed([f.token.address]), expected.fee);
    assert.equal(await f.token.read.balanceOf([f.escrow.address]), expected.customerShare + expected.fee);

    // Withdrawing to the blocked address itself fails and keeps the credit.
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.withdraw([f.token.address, f.customer.account.address], { account: f.customer.account }),
      f.escrow,
      "TransferFailed",
      [f.token.address, f.customer.account.address, expected.customerShare],
    );
    assert.equal(await f.escrow.read.credits([f.token.address, f.customer.account.address]), expected.customerShare);

    const withdrawHash = await f.escrow.write.withdraw([f.token.address, f.customer2.account.address], {
      account: f.customer.account,
    });
    await viem.assertions.emitWithArgs(withdrawHash, f.escrow, "CreditWithdrawn", [
      f.token.address,
      f.customer.account.address,
      f.customer2.account.address,
      expected.customerShare,
    ]);
    assert.equal(await f.token.read.balanceOf([f.customer2.account.address]), expected.customerShare);
    assert.equal(await f.escrow.read.credits([f.token.address, f.customer.account.address]), 0n);
    assert.equal(await f.token.read.balanceOf([f.escrow.address]), expected.fee);
  });

  it("succeeds when the merchant cancels for a blocked customer: full refund credited", async () => {
    const f = await networkHelpers.loadFixture(deployWithBlocklistToken);
    const slot = await slotInDays(f.grid, 3);
    await f.token.write.approve([f.escrow.address, 10_000_001n], { account: f.customer.account });
    const hashBook = await f.escrow.write.book([f.blocklistOffering, slot, 1, detailsHash("blocked 2")], {
      account: f.customer.account,
    });
    const [booked] = parseEventLogs({
      abi: f.escrow.abi,
      eventName: "Booked",
      logs: (await mined(f, hashBook)).logs,
    });
    await f.token.write.setBlocked([f.customer.account.address, true]);
    await viem.assertions.emitWithArgs(
      f.escrow.write.cancelByMerchant([booked.args.bookingId], { account: f.merchant.account }),
      f.escrow,
      "Credited",
      [f.token.address, f.customer.account.address, 10_000_001n],
    );
    assert.equal(await f.escrow.read.credits([f.token.address, f.customer.account.address]), 10_000_001n);
  });
});

describe("withdrawFees", () => {
  it("succeeds in sending the ETH fees owed to the fee recipient, called by anyone", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const fee = await accrueEthFee(f);
    assert.equal(fee, 750_000_000_000_000n);
    assert.equal(await f.escrow.read.feesOwed([ETH]), fee);
    const hash = await f.escrow.write.withdrawFees([ETH], { account: f.stranger.account });
    await viem.assertions.emitWithArgs(hash, f.escrow, "FeesWithdrawn", [ETH, f.feeRecipient.account.address, fee]);
    await viem.assertions.balancesHaveChanged(hash, [
      { address: f.feeRecipient.account.address, amount: fee },
      { address: f.escrow.address, amount: -fee },
      { address: f.stranger.account.address, amount: 0n },
    ]);
    assert.equal(await f.escrow.read.feesOwed([ETH]), 0n);
    assert.equal(await ethBalance(f, f.escrow.address), 0n);
  });

  it("succeeds in sending the stablecoin fees owed to the fee recipient", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    const booked = await book(f, f.tokenOffering, slot, 2);
    await atTime(settlesAt({ slotStart: slot }, TIMING));
    await f.escrow.write.claim([[booked.id]], { account: f.merchant.account });
    const fee = expectedSplit(2n * USD_DEPOSIT, 2_000).fee;
    // No-show: 50 USD, 10 refunded, 2.5 % of 40 = 1 USD.
    assert.equal(fee, 1_000_000n);
    assert.equal(await f.escrow.read.feesOwed([f.stablecoin.address]), fee);
    const hash = await f.escrow.write.withdrawFees([f.stablecoin.address], { account: f.customer.account });
    await viem.assertions.emitWithArgs(hash, f.escrow, "FeesWithdrawn", [
      f.stablecoin.address,
      f.feeRecipient.account.address,
      fee,
    ]);
    assert.equal(await f.stablecoin.read.balanceOf([f.feeRecipient.account.address]), fee);
    assert.equal(await f.stablecoin.read.balanceOf([f.escrow.address]), 0n);
    assert.equal(await f.escrow.read.feesOwed([f.stablecoin.address]), 0n);
  });

  it("succeeds in sending fees to the current recipient after setFeeRecipient", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const fee = await accrueEthFee(f);
    await f.escrow.write.setFeeRecipient([f.stranger.account.address], { account: f.owner.account });
    const hash = await f.escrow.write.withdrawFees([ETH], { account: f.customer2.account });
    await viem.assertions.emitWithArgs(hash, f.escrow, "FeesWithdrawn", [ETH, f.stranger.account.address, fee]);
    await viem.assertions.balancesHaveChanged(hash, [
      { address: f.stranger.account.address, amount: fee },
      { address: f.feeRecipient.account.address, amount: 0n },
    ]);
  });

  it("reverts when no fees are owed", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    for (const token of [ETH, f.stablecoin.address]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.withdrawFees([token], { account: f.stranger.account }),
        f.escrow,
        "NothingToWithdraw",
        [token, f.feeRecipient.account.address],
      );
    }
  });

  it("reverts when the fees were already withdrawn", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    await accrueEthFee(f);
    await f.escrow.write.withdrawFees([ETH], { account: f.stranger.account });
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.withdrawFees([ETH], { account: f.stranger.account }),
      f.escrow,
      "NothingToWithdraw",
      [ETH, f.feeRecipient.account.address],
    );
  });

  it("succeeds when the fee recipient refuses ETH: the fees become its credit, which it withdraws elsewhere", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const fee = await accrueEthFee(f);
    const receiver = await deployRevertingReceiver();
    await f.escrow.write.setFeeRecipient([receiver.address], { account: f.owner.account });
    const hash = await f.escrow.write.withdrawFees([ETH], { account: f.stranger.account });
    await viem.assertions.emitWithArgs(hash, f.escrow, "FeesWithdrawn", [ETH, receiver.address, fee]);
    await viem.assertions.emitWithArgs(hash, f.escrow, "Credited", [ETH, receiver.address, fee]);
    await viem.assertions.balancesHaveChanged(hash, [
      { address: receiver.address, amount: 0n },
      { address: f.escrow.address, amount: 0n },
    ]);
    assert.equal(await f.escrow.read.feesOwed([ETH]), 0n);
    assert.equal(await f.escrow.read.credits([ETH, receiver.address]), fee);
    assert.equal(await ethBalance(f, f.escrow.address), fee);
    // Nothing is owed any more, so a second call has nothing to send.
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.escrow.write.withdrawFees([ETH], { account: f.stranger.account }),
      f.escrow,
      "NothingToWithdraw",
      [ETH, receiver.address],
    );
    // The credit is the old recipient's own: a new fee recipient does not take it over.
    await f.escrow.write.setFeeRecipient([f.feeRecipient.account.address], { account: f.owner.account });
    await viem.assertions.balancesHaveChanged(
      receiver.write.execute([f.escrow.address, withdrawData(f, ETH, f.stranger.account.address)]),
      [
        { address: f.stranger.account.address, amount: fee },
        { address: f.escrow.address, amount: -fee },
      ],
    );
    assert.equal(await f.escrow.read.credits([ETH, receiver.address]), 0n);
    assert.equal(await ethBalance(f, f.escrow.address), 0n);
  });

  it("succeeds when the fee recipient is blocklisted by the token: the fees become its credit", async () => {
    const f = await networkHelpers.loadFixture(deployWithBlocklistToken);
    const slot = await slotInDays(f.grid, 3);
    const amount = 10_000_001n;
    await f.token.write.approve([f.escrow.address, amount], { account: f.customer.account });
    const booked = await bookedEvent(
      f,
      f.escrow.write.book([f.blocklistOffering, slot, 1, detailsHash("fees")], { account: f.customer.account }),
    );
    await atTime(settlesAt({ slotStart: slot }, TIMING));
    await f.escrow.write.settle([booked.bookingId], { account: f.stranger.account });
    // No-show: 20 % of 10_000_001 = 2_000_000 back; 2.5 % of the 8_000_001 left = 200_000 in fees.
    const { fee } = expectedSplit(amount, 2_000);
    assert.equal(fee, 200_000n);
    const recipient = f.feeRecipient.account.address;
    await f.token.write.setBlocked([recipient, true]);

    const hash = await f.escrow.write.withdrawFees([f.token.address], { account: f.stranger.account });
    await viem.assertions.emitWithArgs(hash, f.escrow, "FeesWithdrawn", [f.token.address, recipient, fee]);
    await viem.assertions.emitWithArgs(hash, f.escrow, "Credited", [f.token.address, recipient, fee]);
    assert.equal(await f.escrow.read.feesOwed([f.token.address]), 0n);
    assert.equal(await f.escrow.read.credits([f.token.address, recipient]), fee);
    assert.equal(await f.token.read.balanceOf([recipient]), 0n);
    assert.equal(await f.token.read.balanceOf([f.escrow.address]), fee);

    // Still blocked, the recipient takes its credit to an address the token lets receive.
    await f.escrow.write.withdraw([f.token.address, f.stranger.account.address], { account: f.feeRecipient.account });
    assert.equal(await f.token.read.balanceOf([f.stranger.account.address]), fee);
    assert.equal(await f.escrow.read.credits([f.token.address, recipient]), 0n);
    assert.equal(await f.token.read.balanceOf([f.escrow.address]), 0n);
  });
});
