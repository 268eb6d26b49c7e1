// The verifier against the in-process chain after a seeded mix of every outcome, and after a history of the
// settlement v2 rules (staff, signed check-ins, settles by anyone, disputes with reasons): it must come out clean,
// agree with the views, and be deterministic.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFunctionData, zeroAddress } from "viem";
import {
  audit,
  BookingStatus,
  CheckInRule,
  createRpc,
  earnestEscrowAbi,
  rulingDeadline,
  type Eip1193,
  settlesAt,
} from "@earnest/sdk";
import { book } from "../support/booking.js";
import { atTime, mined } from "../support/chain.js";
import {
  connection,
  createOffering,
  DAY,
  deployRevertingReceiver,
  deployWithOfferings,
  deployWithStaff,
  HOUR,
  slotInDays,
  TIMING,
} from "../support/fixture.js";
import { signCheckIn } from "../support/signing.js";

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

    await networkHelpers.time.increaseTo(slot + 1);
    await mined(f, f.escrow.write.checkIn([fulfilled.id], as(f.merchant)));
    await mined(f, f.escrow.write.dispute([resolved.id, "The table was given away"], as(f.customer)));
    await mined(f, f.escrow.write.resolve([resolved.id, 4_000], as(f.arbiter)));
    await networkHelpers.time.increaseTo(slot + 2 * HOUR + DAY);
    await mined(f, f.escrow.write.claim([[fulfilled.id, noShow.id]], as(f.merchant)));
    await networkHelpers.time.increaseTo(late + 1);
    await mined(f, f.escrow.write.dispute([timedOut.id, "Closed when we came"], as(f.customer2)));
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
    // The booking nobody settled: past its deadline, so anyone may settle it now; not a violation.
    assert.deepEqual(
      result.verification.settleable.map((b) => b.bookingId),
      [open.id],
    );

    const again = await audit({ rpc: createRpc(provider), escrow: f.escrow.address });
    assert.equal(again.json, result.json);
    assert.equal(again.digest, result.digest);

    const head = await f.publicClient.getBlockNumber();
    const partial = await audit({ rpc: createRpc(provider), escrow: f.escrow.address, fromBlock: head - 3n });
    assert.equal((JSON.parse(partial.json) as { range: { complete: boolean } }).range.complete, false);
    assert.deepEqual(partial.verification.findings, []);
  });

  it("finds nothing wrong after staff check-ins, signed check-ins, settles by anyone and disputes with reasons", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaff);
    const as = (w: typeof f.customer) => ({ account: w.account });
    // Offering 3 takes only the customer's signature as proof of attendance.
    await createOffering(f, { checkInRule: CheckInRule.CustomerSignature });
    const signedOnly = 3;
    const slot = await slotInDays(f.grid, 3);
    const signedIn = await book(f, f.ethOffering, slot, 1);
    const disputedAfterCheckIn = await book(f, f.ethOffering, slot, 1, f.customer2);
    const resolved = await book(f, f.ethOffering, slot, 1);
    const leftOpen = await book(f, f.ethOffering, slot, 1, f.customer2);
    const staffCancelled = await book(f, f.tokenOffering, slot, 2);
    const claimed = await book(f, f.tokenOffering, slot, 1, f.customer2);
    const noShow = await book(f, signedOnly, slot, 1);

    await mined(f, f.escrow.write.cancelByMerchant([staffCancelled.id], as(f.cancelStaff)));
    await atTime(slot - HOUR / 2);
    const signature = await signCheckIn(f.customer, signedIn.id, f.escrow.address);
    await mined(f, f.escrow.write.checkInWithSignature([signedIn.id, signature], as(f.checkInStaff)));
    await atTime(slot + 1);
    await mined(f, f.escrow.write.checkIn([disputedAfterCheckIn.id], as(f.checkInStaff)));
    await mined(f, f.escrow.write.checkIn([claimed.id], as(f.merchant)));
    await mined(f, f.escrow.write.dispute([disputedAfterCheckIn.id, "The wine was corked"], as(f.customer2)));
    await mined(f, f.escrow.write.dispute([resolved.id, "Given away, 20 min wait"], as(f.customer)));
    await mined(f, f.escrow.write.resolve([resolved.id, 3_000], as(f.arbiter)));
    await atTime(settlesAt({ slotStart: slot }, TIMING));
    await mined(f, f.escrow.write.settle([signedIn.id], as(f.stranger)));
    await mined(f, f.escrow.write.settle([noShow.id], as(f.customer)));
    // The claim skips the booking the stranger settled.
    await mined(f, f.escrow.write.claim([[signedIn.id, claimed.id]], as(f.merchant)));
    const offering = await f.escrow.read.getOffering([f.ethOffering]);
    await atTime(rulingDeadline({ slotStart: slot }, offering));
    await mined(f, f.escrow.write.settle([disputedAfterCheckIn.id], as(f.stranger)));
    await mined(f, f.escrow.write.setStaffRoles([f.checkInStaff.account.address, 0], as(f.merchant)));

    const result = await audit({ rpc: createRpc(provider), escrow: f.escrow.address });
    assert.deepEqual(result.verification.findings, [], result.summary);
    const rebuilt = (id: bigint) => result.verification.bookings.get(id)!;
    const status = (id: bigint) => rebuilt(id).status;
    assert.deepEqual(
      [signedIn, disputedAfterCheckIn, resolved, leftOpen, staffCancelled, claimed, noShow].map((b) => status(b.id)),
      [
        BookingStatus.Fulfilled,
        BookingStatus.Fulfilled, // the arbiter timed out: settled by the check-in made before the dispute
        BookingStatus.Resolved,
        BookingStatus.Booked,
        BookingStatus.MerchantCancelled,
        BookingStatus.Fulfilled,
        BookingStatus.NoShow,
      ],
    );
    const staff = f.checkInStaff.account.address.toLowerCase();
    assert.deepEqual([rebuilt(signedIn.id).checkedInBy, rebuilt(signedIn.id).customerSigned], [staff, true]);
    assert.deepEqual(
      [rebuilt(claimed.id).checkedInBy, rebuilt(claimed.id).customerSigned],
      [f.merchant.account.address.toLowerCase(), false],
    );
    assert.equal(rebuilt(disputedAfterCheckIn.id).disputeReason, "The wine was corked");
    assert.deepEqual(
      result.verification.settleable.map((b) => [b.bookingId, b.outcome]),
      [[leftOpen.id, BookingStatus.NoShow]],
    );
    assert.match(result.summary, /1 open booking\(s\) past their deadline: anyone may settle them now/);
  });

  it("checks who sent a merchant cancellation that called the escrow directly, by the transaction's sender", async () => {
    const f = await networkHelpers.loadFixture(deployWithStaff);
    const slot = await slotInDays(f.grid, 3);
    const booking = await book(f, f.tokenOffering, slot, 1);
    const cancel = await f.escrow.write.cancelByMerchant([booking.id], { account: f.cancelStaff.account });
    await mined(f, cancel);
    /** The chain, except that the cancellation's transaction says it came from `from` and called `to`. */
    const told = (from: string, to: string): Eip1193 => ({
      request: async (args) => {
        const result: unknown = await provider.request(args as Parameters<typeof provider.request>[0]);
        const [hash] = (args.params ?? []) as string[];
        return args.method === "eth_getTransactionByHash" && hash === cancel
          ? { ...(result as object), from, to }
          : result;
      },
    });
    const stranger = f.stranger.account.address;
    const direct = await audit({ rpc: createRpc(told(stranger, f.escrow.address)), escrow: f.escrow.address });
    assert.deepEqual(
      direct.verification.findings.map((x) => [x.kind, x.text, x.bookingId]),
      [["unauthorized-caller", "cancelByUnauthorized", booking.id]],
    );
    // Through a contract (a Safe, a batching wallet) the sender is not the caller: nothing can be said.
    const throughContract = await audit({
      rpc: createRpc(told(stranger, f.stablecoin.address)),
      escrow: f.escrow.address,
    });
    assert.deepEqual(throughContract.verification.findings, []);
    const real = await audit({ rpc: createRpc(provider), escrow: f.escrow.address });
    assert.deepEqual(real.verification.findings, []);
  });
});
