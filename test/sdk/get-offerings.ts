// sdk/actions/get-offerings.ts: every offering with its merchant and token, in as few round trips as the count
// allows: count, config and the first offerings in one `eth_call`, then merchants and tokens.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  createPublicClient,
  custom,
  getAddress,
  type Address,
  ContractFunctionExecutionError,
  type EIP1193Provider,
} from "viem";
import { hardhat } from "viem/chains";
import { getOfferings } from "@earnest/sdk";
import {
  connection,
  createOffering,
  deployEscrow,
  deployWithOfferings,
  FEE_BPS,
  networkHelpers,
  viem,
} from "../support/fixture.js";

/** A client on the test chain that counts its `eth_call`s: without Multicall3 (viem's deployless multicall, 10
 *  offerings per `eth_call`) unless given one (200 per `eth_call`). */
function countingClient(multicall3?: Address) {
  const provider = connection.provider as EIP1193Provider;
  const calls = { count: 0 };
  const request = (async (args: { method: string; params?: unknown }) => {
    if (args.method === "eth_call") calls.count++;
    return provider.request(args as Parameters<typeof provider.request>[0]);
  }) as EIP1193Provider["request"];
  const chain = multicall3 ? { ...hardhat, contracts: { multicall3: { address: multicall3 } } } : hardhat;
  return { client: createPublicClient({ chain, transport: custom({ request }) }), calls };
}

describe("getOfferings", () => {
  it("reads a chain without offerings in one eth_call", async () => {
    const f = await networkHelpers.loadFixture(deployEscrow);
    const { client, calls } = countingClient();
    const result = await getOfferings(client, { escrow: f.escrow.address });
    assert.deepEqual(result.offerings, []);
    assert.deepEqual([result.paused, result.feeBps, calls.count], [false, FEE_BPS, 1]);
  });

  it("reads offerings in one round trip, then merchants and tokens in another, when the first batch holds them all", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const { client, calls } = countingClient();
    const result = await getOfferings(client, { escrow: f.escrow.address });
    assert.deepEqual(
      result.offerings.map((o) => [o.id, o.token]),
      [
        [f.ethOffering, "0x0000000000000000000000000000000000000000"],
        [f.tokenOffering, getAddress(f.stablecoin.address)],
      ],
    );
    const merchant = getAddress(f.merchant.account.address);
    assert.deepEqual(result.merchants[merchant], {
      address: merchant,
      payout: getAddress(f.payout.account.address),
      name: "Chez Earnest",
    });
    assert.equal(result.tokens[getAddress(f.stablecoin.address)].decimals, await f.stablecoin.read.decimals());
    assert.equal(calls.count, 2); // count with offerings 1–10, then merchants and tokens
  });

  it("reads offerings past the first batch in order, one more eth_call per batch", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    for (let i = 0; i < 19; i++) await createOffering(f, { seatsPerSlot: 100 + i });
    const { client, calls } = countingClient();
    const { offerings } = await getOfferings(client, { escrow: f.escrow.address });
    assert.deepEqual(
      offerings.map((o) => o.id),
      Array.from({ length: 21 }, (_, i) => i + 1),
    );
    assert.deepEqual(
      offerings.slice(2).map((o) => o.seatsPerSlot),
      Array.from({ length: 19 }, (_, i) => 100 + i),
    );
    assert.equal(calls.count, 4); // count with offerings 1–10, then 11–20 and 21, then merchants and tokens
  });

  it("through Multicall3 reads 12 offerings with the count, dropping the ids past it, then merchants and tokens", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    for (let i = 0; i < 10; i++) await createOffering(f, { seatsPerSlot: 100 + i });
    const multicall3 = await viem.deployContract("Multicall3");
    const { client, calls } = countingClient(multicall3.address);
    const { offerings, tokens } = await getOfferings(client, { escrow: f.escrow.address });
    assert.deepEqual(
      offerings.map((o) => o.id),
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    assert.equal(offerings[11].seatsPerSlot, 109);
    assert.equal(tokens[getAddress(f.stablecoin.address)].decimals, await f.stablecoin.read.decimals());
    assert.equal(calls.count, 2); // count with offerings 1–20 (13–20 revert), then merchants and tokens
  });

  it("refuses an address without an escrow, by viem's named error, with and without Multicall3", async () => {
    const f = await networkHelpers.loadFixture(deployEscrow);
    const multicall3 = await viem.deployContract("Multicall3");
    const notAnEscrow = f.stranger.account.address;
    await assert.rejects(
      getOfferings(countingClient().client, { escrow: notAnEscrow }),
      ContractFunctionExecutionError,
    );
    await assert.rejects(
      getOfferings(countingClient(multicall3.address).client, { escrow: notAnEscrow }),
      ContractFunctionExecutionError,
    );
  });
});
