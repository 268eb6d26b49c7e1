// The verifier identifies the contract before it audits: each contract here fails one sign of an Earnest escrow
// (a token's domain, no domain, a fallback that returns nothing or a zero word, an older version, the right domain
// without the deployment's events) and the audit stops with `NotEarnestEscrowError`, never a report. Then the shape
// checks on their own, and the token units the summary prints.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toFunctionSelector, zeroAddress, type Address, type Hex } from "viem";
import {
  audit,
  createRpc,
  type Eip1193,
  DEPLOYMENT_EVENTS,
  decodeResult,
  earnestEscrowAbi,
  findDeployBlock,
  formatTokenAmount,
  identifyEscrow,
  MalformedResponseError,
  NotEarnestEscrowError,
  quantity,
  readTokenUnits,
  word,
} from "@earnest/sdk";
import { connection, deployWithOfferings, ETH_DEPOSIT, slotInDays, viem } from "../support/fixture.js";

const { provider, networkHelpers } = connection;

/** Audits `address` on the in-process chain and returns the reason it is not an escrow (fails if it audits). */
async function refusal(address: Address): Promise<string> {
  const error = await audit({ rpc: createRpc(provider), escrow: address }).then(
    () => assert.fail(`audited ${address} as an escrow`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof NotEarnestEscrowError, String(error));
  assert.equal(error.address, address);
  assert.match(error.message, new RegExp(`^No Earnest escrow at ${address}: `));
  return error.reason;
}

describe("audit: identify the escrow", () => {
  it("knows a real escrow by its domain and its deployment's events", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const rpc = createRpc(provider);
    const chainId = await f.publicClient.getChainId();
    const head = await f.publicClient.getBlockNumber();
    const deployBlock = await findDeployBlock(rpc, f.escrow.address, head);
    const identity = await identifyEscrow(rpc, {
      escrow: f.escrow.address,
      chainId,
      blockNumber: head,
      deployBlock,
    });
    assert.deepEqual(identity, { name: "Earnest", version: "2", deploymentChecked: true });
    // The constructor's events, as the identification expects them.
    const first = await f.publicClient.getContractEvents({
      address: f.escrow.address,
      abi: earnestEscrowAbi,
      fromBlock: deployBlock,
      toBlock: deployBlock,
    });
    assert.deepEqual(
      first.slice(0, 3).map((e) => e.eventName),
      [...DEPLOYMENT_EVENTS],
    );
  });

  it("refuses a token that declares its own domain", async () => {
    const token = await viem.deployContract("MockStablecoin");
    assert.equal(await refusal(token.address), `its EIP-712 domain is "Mock USD", not "Earnest"`);
  });

  it("refuses a contract without eip712Domain()", async () => {
    const usdc = await viem.deployContract("MockUSDC");
    assert.match(await refusal(usdc.address), /no EIP-712 domain \(eip712Domain\(\) reverts\)/);
  });

  it("refuses a fallback that accepts every call and returns nothing", async () => {
    const silent = await viem.deployContract("SilentFallback");
    assert.equal(await refusal(silent.address), "eip712Domain() returns nothing");
  });

  it("refuses a fallback that answers every call with a zero word", async () => {
    const zeros = await viem.deployContract("ZeroWordFallback");
    assert.equal(await refusal(zeros.address), "eip712Domain() returns 32 bytes that are not a domain");
  });

  it("refuses an Earnest domain of a version it does not know", async () => {
    const v1 = await viem.deployContract("EscrowLookalike", ["Earnest", "1"]);
    assert.equal(await refusal(v1.address), `it is Earnest version "1"; this auditor knows version "2"`);
  });

  it("refuses the escrow's domain without the events of an escrow's deployment", async () => {
    const lookalike = await viem.deployContract("EscrowLookalike", ["Earnest", "2"]);
    assert.match(await refusal(lookalike.address), /its history does not start with an escrow's deployment/);
  });
});

describe("audit: shape of values read", () => {
  it("names an empty, short or non-hex answer instead of reading it as zero", () => {
    for (const bad of ["0x", `0x${"00".repeat(31)}`, `0x${"00".repeat(33)}`, "0xzz", null, 7]) {
      assert.throws(() => word(bad, "credits(token, account)"), MalformedResponseError, String(bad));
    }
    assert.equal(word(`0x${"00".repeat(31)}2a`, "feesOwed(token)"), 42n);
    assert.throws(() => quantity("", "eth_chainId"), /malformed eth_chainId: expected a hex quantity/);
    assert.equal(quantity("0x7a69", "eth_chainId"), 31337n);
    assert.throws(
      () => decodeResult(earnestEscrowAbi, "getBookings", `0x${"00".repeat(32)}`),
      (e: unknown) => e instanceof MalformedResponseError && e.what === "getBookings",
    );
    assert.throws(() => decodeResult(earnestEscrowAbi, "getBookings", "0x"), /getBookings: empty return data/);
  });
});

describe("audit: shape of the escrow's answers", () => {
  it("stops with MalformedResponseError when a view answers with nothing, never a zero", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    await f.escrow.write.book([f.ethOffering, await slotInDays(f.grid, 2), 1, `0x${"11".repeat(32)}`], {
      account: f.customer.account,
      value: ETH_DEPOSIT,
    });
    const feesOwed = toFunctionSelector("feesOwed(address)");
    // The node, except that `feesOwed` comes back empty, as a faulty provider or proxy might send it.
    const faulty: Eip1193 = {
      request: async (args) => {
        const [call] = (args.params ?? []) as [{ data?: Hex }];
        if (args.method === "eth_call" && call.data?.startsWith(feesOwed)) return "0x";
        return provider.request(args as never) as Promise<unknown>;
      },
    };
    await assert.rejects(
      audit({ rpc: createRpc(faulty), escrow: f.escrow.address }),
      (e: unknown) =>
        e instanceof MalformedResponseError &&
        /^feesOwed\(0x0{40}\)$/.test(e.what) &&
        /expected one 32-byte word, got 0 bytes/.test(e.message),
    );
    // The same node, unchanged, audits clean: only the empty answer was refused.
    assert.equal((await audit({ rpc: createRpc(provider), escrow: f.escrow.address })).ok, true);
  });
});

describe("audit: token units", () => {
  it("reads a token's symbol and decimals, ETH for native, nothing for a contract without them", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const silent = await viem.deployContract("SilentFallback");
    const zeros = await viem.deployContract("ZeroWordFallback");
    const units = await readTokenUnits(createRpc(provider), {
      tokens: [zeroAddress, f.stablecoin.address, silent.address, zeros.address],
      blockNumber: await f.publicClient.getBlockNumber(),
    });
    assert.deepEqual(
      [...units.entries()].sort(),
      [
        [zeroAddress, { symbol: "ETH", decimals: 18 }],
        [f.stablecoin.address.toLowerCase(), { symbol: "mUSD", decimals: 6 }],
      ].sort(),
    );
    assert.equal(formatTokenAmount(760_000_000n, units.get(f.stablecoin.address.toLowerCase() as Address)), "760 mUSD");
    assert.equal(formatTokenAmount(30_000_000_000_000_000n, units.get(zeroAddress)), "0.03 ETH");
    assert.equal(formatTokenAmount(760_000_000n, units.get(silent.address.toLowerCase() as Address)), "760000000");
  });
});
