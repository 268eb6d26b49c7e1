// The verifier behind providers that hide or refuse part of the history: one that drops a `Credited` log must not
// turn an outstanding credit into a surplus, and one that caps the logs of a response must still give the full audit.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeEventTopics, encodeFunctionData } from "viem";
import { audit, createRpc, earnestEscrowAbi, type Eip1193 } from "@earnest/sdk";
import { book } from "../support/booking.js";
import { mined } from "../support/chain.js";
import { connection, deployRevertingReceiver, deployWithOfferings, slotInDays } from "../support/fixture.js";

const { networkHelpers, provider } = connection;
const request = (args: { method: string; params?: unknown }): Promise<unknown> =>
  provider.request(args as Parameters<typeof provider.request>[0]);

/** A history with an outstanding credit: a customer contract that refuses ETH, its booking cancelled by the
 *  merchant (the refund is credited, not paid), plus a few bookings more. */
async function withOutstandingCredit() {
  const f = await deployWithOfferings();
  const slot = await slotInDays(f.grid, 3);
  for (let i = 0; i < 6; i++) await book(f, i % 2 ? f.tokenOffering : f.ethOffering, slot, 1);
  const receiver = await deployRevertingReceiver();
  const args = [f.ethOffering, slot, 1, `0x${"22".repeat(32)}`] as const;
  const data = encodeFunctionData({ abi: earnestEscrowAbi, functionName: "book", args });
  await mined(f, receiver.write.execute([f.escrow.address, data], { value: 10_000_000_000_000_000n }));
  const booked = await f.escrow.read.getBookings([[(BigInt(f.ethOffering) << 72n) | (BigInt(slot) << 32n) | 4n]]);
  assert.equal(booked[0].customer.toLowerCase(), receiver.address.toLowerCase());
  await mined(f, f.escrow.write.cancelByMerchant([booked[0].bookingId], { account: f.merchant.account }));
  const credit = await f.escrow.read.credits(["0x0000000000000000000000000000000000000000", receiver.address]);
  assert.ok(credit > 0n);
  return { f, receiver };
}

const creditedTopic = encodeEventTopics({ abi: earnestEscrowAbi, eventName: "Credited" })[0];

describe("audit: providers that hide or refuse logs", () => {
  it("reports an outstanding credit whose Credited log the provider dropped", async () => {
    const { f, receiver } = await networkHelpers.loadFixture(withOutstandingCredit);
    const honest = await audit({ rpc: createRpc(provider), escrow: f.escrow.address });
    assert.deepEqual(honest.verification.findings, [], honest.summary);
    let dropped = 0;
    const lossy: Eip1193 = {
      request: async (args) => {
        const result = await request(args);
        if (args.method !== "eth_getLogs") return result;
        const logs = result as { topics: string[] }[];
        const kept = logs.filter((l) => l.topics[0] !== creditedTopic);
        dropped += logs.length - kept.length;
        return kept;
      },
    };
    const result = await audit({ rpc: createRpc(lossy), escrow: f.escrow.address });
    assert.equal(dropped, 1);
    assert.equal(result.ok, false);
    const account = receiver.address.toLowerCase();
    assert.deepEqual(
      result.verification.findings.map((x) => [x.kind, x.text, x.account]),
      [["credit-mismatch", "creditViewMismatch", account]],
    );
  });

  it("gives the full audit through a provider that refuses answers of more than a few logs", async () => {
    const { f } = await networkHelpers.loadFixture(withOutstandingCredit);
    const honest = await audit({ rpc: createRpc(provider), escrow: f.escrow.address });
    const cap = 3;
    let refused = 0;
    let largest = 0;
    const capped: Eip1193 = {
      request: async (args) => {
        const result = await request(args);
        if (args.method !== "eth_getLogs") return result;
        const logs = result as unknown[];
        if (logs.length > cap) {
          refused++;
          throw Object.assign(new Error(`query returned more than ${cap} results`), { code: -32005 });
        }
        largest = Math.max(largest, logs.length);
        return logs;
      },
    };
    const result = await audit({ rpc: createRpc(capped, { backoffMs: 1 }), escrow: f.escrow.address });
    assert.ok(refused > 0, "the cap was never hit: the test proves nothing");
    assert.ok(largest <= cap);
    assert.equal(result.json, honest.json);
    assert.equal(result.verification.events, honest.verification.events);
  });
});
