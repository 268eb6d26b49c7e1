// Finding a token's EIP-712 domain the way wallets do, and what it signs: EIP-5267 (MockStablecoin, OpenZeppelin's
// ERC20Permit), a separator matched against `name()`/`version()` for a token without EIP-5267 (MockUSDC, as Circle's
// USDC), nothing for a plain ERC-20 or a separator that matches no candidate; ERC-3009 support by
// `authorizationState`. The domains found are proven by a permit the token accepts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  createPublicClient,
  custom,
  decodeFunctionData,
  encodeFunctionResult,
  getAddress,
  parseAbi,
  parseSignature,
  zeroAddress,
  type Address,
  type Hex,
} from "viem";
import { hardhat } from "viem/chains";
import { getPermitDomain, getTokenDomain, permitTypes, supportsAuthorization } from "@earnest/sdk";
import { networkHelpers, viem } from "../support/fixture.js";

async function deployTokens() {
  const [holder, spender] = await viem.getWalletClients();
  const publicClient = await viem.getPublicClient();
  const usdc = await viem.deployContract("MockUSDC");
  const stablecoin = await viem.deployContract("MockStablecoin");
  const plain = await viem.deployContract("BlocklistToken");
  return { holder, spender, publicClient, usdc, stablecoin, plain };
}

/** A client whose node answers `eth_call`s for one fake token from `answers` (by function name) and reverts the
 *  rest, as a token without that function does. */
function fakeTokenClient(answers: Record<string, Hex>) {
  const abi = parseAbi([
    "function eip712Domain() view returns (bytes1, string, string, uint256, address, bytes32, uint256[])",
    "function name() view returns (string)",
    "function version() view returns (string)",
    "function DOMAIN_SEPARATOR() view returns (bytes32)",
    "function nonces(address) view returns (uint256)",
    "function authorizationState(address, bytes32) view returns (bool)",
  ]);
  return createPublicClient({
    chain: hardhat,
    transport: custom(
      {
        request: ({ method, params }: { method: string; params: [{ data: Hex }] }) => {
          if (method === "eth_chainId") return Promise.resolve("0x7a69");
          if (method !== "eth_call") return Promise.reject(new Error(`unexpected ${method}`));
          const { functionName } = decodeFunctionData({ abi, data: params[0].data });
          const answer = answers[functionName];
          if (answer) return Promise.resolve(answer);
          return Promise.reject(Object.assign(new Error("execution reverted"), { code: 3, data: "0x" }));
        },
      },
      { retryCount: 0 },
    ),
  });
}

describe("token domains", () => {
  it("reads an EIP-5267 token's declared domain", async () => {
    const { publicClient, stablecoin } = await networkHelpers.loadFixture(deployTokens);
    const domain = await getTokenDomain(publicClient, { token: stablecoin.address });
    assert.deepEqual(domain, {
      domain: {
        name: await stablecoin.read.name(),
        version: "1",
        chainId: 31337,
        verifyingContract: getAddress(stablecoin.address),
      },
      source: "eip5267",
    });
  });

  it("finds USDC's domain from DOMAIN_SEPARATOR(), name() and version() without EIP-5267", async () => {
    const { publicClient, usdc } = await networkHelpers.loadFixture(deployTokens);
    const domain = await getTokenDomain(publicClient, { token: usdc.address });
    assert.deepEqual(domain, {
      domain: {
        name: "USD Coin",
        version: "2",
        chainId: 31337,
        verifyingContract: getAddress(usdc.address),
      },
      source: "domainSeparator",
    });
  });

  it("gives a permit domain the token accepts, for both kinds of token", async () => {
    const { holder, spender, publicClient, usdc, stablecoin } = await networkHelpers.loadFixture(deployTokens);
    for (const token of [usdc, stablecoin]) {
      const domain = await getPermitDomain(publicClient, { token: token.address });
      assert.ok(domain, "a permit domain");
      const deadline = BigInt((await networkHelpers.time.latest()) + 3600);
      const owner = holder.account.address;
      const message = { owner, spender: spender.account.address, value: 123n, nonce: 0n, deadline };
      const signature = await holder.signTypedData({ domain, types: permitTypes, primaryType: "Permit", message });
      const { v, r, s } = parseSignature(signature);
      // The permit overloads differ between the two; the (v, r, s) form is common to both.
      await publicClient.waitForTransactionReceipt({
        hash: await holder.writeContract({
          address: token.address,
          abi: parseAbi(["function permit(address,address,uint256,uint256,uint8,bytes32,bytes32)"]),
          functionName: "permit",
          args: [owner, spender.account.address, 123n, deadline, Number(v), r, s],
        }),
      });
      assert.equal(await token.read.allowance([owner, spender.account.address]), 123n);
    }
  });

  it("says no permit and no domain for a plain ERC-20", async () => {
    const { publicClient, plain } = await networkHelpers.loadFixture(deployTokens);
    assert.equal(await getTokenDomain(publicClient, { token: plain.address }), undefined);
    assert.equal(await getPermitDomain(publicClient, { token: plain.address }), undefined);
  });

  it("refuses a separator that no candidate domain hashes to", async () => {
    const token: Address = "0x00000000000000000000000000000000000000aa";
    const client = fakeTokenClient({
      name: encodeFunctionResult({ abi: parseAbi(["function f() returns (string)"]), result: "Odd Dollar" }),
      version: encodeFunctionResult({ abi: parseAbi(["function f() returns (string)"]), result: "1" }),
      DOMAIN_SEPARATOR: `0x${"42".repeat(32)}`,
      nonces: `0x${"00".repeat(32)}`,
    });
    assert.equal(await getTokenDomain(client, { token }), undefined);
    assert.equal(await getPermitDomain(client, { token }), undefined);
  });

  it("tries version 1 when the token has no version() (and no version at all when that fails too)", async () => {
    const token: Address = "0x00000000000000000000000000000000000000bb";
    const { domainSeparator } = await import("viem");
    const string = (value: string) =>
      encodeFunctionResult({ abi: parseAbi(["function f() returns (string)"]), result: value });
    const v1 = fakeTokenClient({
      name: string("Old Dollar"),
      DOMAIN_SEPARATOR: domainSeparator({
        domain: { name: "Old Dollar", version: "1", chainId: 31337, verifyingContract: token },
      }),
    });
    assert.deepEqual(await getTokenDomain(v1, { token }), {
      domain: {
        name: "Old Dollar",
        version: "1",
        chainId: 31337,
        verifyingContract: token,
      },
      source: "domainSeparator",
    });
    const versionless = fakeTokenClient({
      name: string("Uni"),
      DOMAIN_SEPARATOR: domainSeparator({ domain: { name: "Uni", chainId: 31337, verifyingContract: token } }),
    });
    assert.deepEqual(await getTokenDomain(versionless, { token }), {
      domain: {
        name: "Uni",
        chainId: 31337,
        verifyingContract: token,
      },
      source: "domainSeparator",
    });
  });

  it("tells an unreachable node from a missing function", async () => {
    const client = createPublicClient({
      chain: hardhat,
      transport: custom({ request: () => Promise.reject(new Error("connection refused")) }, { retryCount: 0 }),
    });
    await assert.rejects(getTokenDomain(client, { token: zeroAddress }));
    await assert.rejects(supportsAuthorization(client, { token: zeroAddress, authorizer: zeroAddress }));
  });
});

describe("ERC-3009 support", () => {
  it("is there for MockUSDC and not for EIP-2612-only or plain tokens", async () => {
    const { holder, publicClient, usdc, stablecoin, plain } = await networkHelpers.loadFixture(deployTokens);
    const authorizer = holder.account.address;
    assert.equal(await supportsAuthorization(publicClient, { token: usdc.address, authorizer }), true);
    assert.equal(await supportsAuthorization(publicClient, { token: stablecoin.address, authorizer }), false);
    assert.equal(await supportsAuthorization(publicClient, { token: plain.address, authorizer }), false);
  });
});
