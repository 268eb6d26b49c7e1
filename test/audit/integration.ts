// The verifier against the in-process chain after a seeded mix of every outcome: it must come out clean, agree
// with the views, and be deterministic.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFunctionData, zeroAddress } from "viem";
import { audit, createRpc, earnestEscrowAbi } from "@earnest/sdk";
import { book } from "../support/booking.js";
import { mined } from "../support/chain.js";
import { connection, DAY, deployRevertingReceiver, deployWithOfferings, HOUR, slotInDays } from "../support/fixture.js";

const { networkHelpers, provider } = connection;

describe("audit: local chain", () => {
  it("finds nothing wrong after every outcome, and reports a surplus", async () => {
    const f = await deployWithOfferings();
    const as = (w: typeof f.customer) => ({ account: w.account });
    const slot = await slotInDays(f.grid, 3);
    const late = await slotInDays(f.grid, 6);

    const cancelled = await book(f, f.ethOffering, slot, 1);
    const merchantCancelled = await book(f, f.tokenOffering, slot, 2, f.customer2);
    const fulfilled = await book(f, f.ethOffering, slot, 1, f.customer2);
    const noShow = await book(f, f.tokenOffering, slot, 1);
    const resolved = await book(f, f.ethOffering, slot, 1);
    const timedOut = await book(f, f.ethOffering, late, 1, f.customer2);
    const open = await book(f, f.tokenOffering, late, 3);
    // A customer that refuses ETH: the merchant's cancel credits it instead, and it withdraws elsewhere.
    const receiver = await deployRevertingReceiver();
    const deposit = 10_000_000_000_000_000n;
    await mined(
      f,
      receiver.write.execute(
        [
          f.escrow.address,
          encodeFunctionData({
            abi: earnestEscrowAbi,
            functionName: "book",
            args: [f.ethOffering, late, 1, `0x${"11".repeat(32)}`],
          }),
        ],
        { value: deposit },
      ),
    );
    const credited = (await f.escrow.read.getBookings([[open.id + 1n]]))[0];
    assert.equal(credited.status, 0); // ids are per slot; find the receiver's booking below
    await mined(f, f.escrow.write.cancel([cancelled.id], as(f.customer)));
    await mined(f, f.escrow.write.cancelByMerchant([merchantCancelled.id], as(f.merchant)));
    const receiverBooking = (BigInt(f.ethOffering) << 72n) | (BigInt(late) << 32n) | 2n;
    await mined(f, f.escrow.write.cancelByMerchant([receiverBooking], as(f.merchant)));
    await mined(f, f.escrow.write.setFee([100])); // later bookings snapshot the new fee

    await networkHelpers.time.increaseTo(slot - HOUR / 2);
    await mined(f, f.escrow.write.checkIn([fulfilled.id], as(f.merchant)));
    await networkHelpers.time.increaseTo(slot + 1);
    await mined(f, f.escrow.write.dispute([resolved.id], as(f.customer)));
    await mined(f, f.escrow.write.resolve([resolved.id, 4_000], as(f.arbiter)));
    await networkHelpers.time.increaseTo(slot + 2 * HOUR + DAY);
    await mined(f, f.escrow.write.claim([[fulfilled.id, noShow.id]], as(f.merchant)));
    await networkHelpers.time.increaseTo(late + 1);
    await mined(f, f.escrow.write.dispute([timedOut.id], as(f.customer2)));
    await networkHelpers.time.increaseTo(late + 2 * HOUR + DAY + 3 * DAY);
    await mined(f, f.escrow.write.claim([[timedOut.id]], as(f.merchant)));
    await mined(f, f.escrow.write.withdrawFees([zeroAddress]));
    await mined(
      f,
      receiver.write.execute([
        f.escrow.address,
        encodeFunctionData({
          abi: earnestEscrowAbi,
          functionName: "withdraw",
          args: [zeroAddress, f.stranger.account.address],
        }),
      ]),
    );
    // Funds sent unasked: a surplus, not a violation.
    await mined(f, f.stablecoin.write.transfer([f.escrow.address, 7n], as(f.customer)));

    const rpc = createRpc(provider);
    const result = await audit({ rpc, escrow: f.escrow.address });
    assert.deepEqual(result.verification.findings, [], result.summary);
    assert.equal(result.ok, true);
    const statuses = [...result.verification.bookings.values()].map((b) => b.status).sort();
    assert.deepEqual(statuses, [1, 3, 4, 4, 5, 6, 7, 7]);
    assert.deepEqual(result.verification.surplus, [{ token: f.stablecoin.address.toLowerCase(), amount: 7n }]);

    const again = await audit({ rpc: createRpc(provider), escrow: f.escrow.address });
    assert.equal(again.json, result.json);
    assert.equal(again.digest, result.digest);

    const head = await f.publicClient.getBlockNumber();
    const partial = await audit({ rpc: createRpc(provider), escrow: f.escrow.address, fromBlock: head - 3n });
    assert.equal((JSON.parse(partial.json) as { range: { complete: boolean } }).range.complete, false);
    assert.deepEqual(partial.verification.findings, []);
  });
});
