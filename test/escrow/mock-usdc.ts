// MockUSDC, the local stand-in for Circle's USDC (FiatTokenV2_2), where the product relies on it: 6 decimals; EIP-2612
// permit in a domain read from DOMAIN_SEPARATOR()/name()/version() because there is no eip712Domain(); ERC-3009
// transfer, receive (payee only) and cancel, each nonce once, valid strictly between validAfter and validBefore, ERC-1271
// for contract wallets; a blacklist only its deployer runs, blocking sends, receipts and approvals.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  concat,
  getAddress,
  hashDomain,
  numberToHex,
  keccak256,
  parseSignature,
  toFunctionSelector,
  toHex,
  type Hex,
} from "viem";
import { receiveWithAuthorizationTypes } from "@earnest/sdk";
import { atTime, mined } from "../support/chain.js";
import {
  deploySmartWallet,
  deployWithUsdc,
  networkHelpers,
  USDC_MINTED,
  viem,
  type Wallet,
} from "../support/fixture.js";
import { signCancelAuthorization, signPermit, signPermitFor, tokenDomain } from "../support/signing.js";

type World = Awaited<ReturnType<typeof deployWithUsdc>>;

const VALUE = 3_000_000n;
const NONCE = keccak256(toHex("authorization-nonce"));

/** The (v, r, s) of a 65-byte signature, v as 27 or 28. */
function vrs(signature: Hex) {
  const { r, s, v, yParity } = parseSignature(signature);
  return { v: Number(v ?? BigInt(yParity + 27)), r, s };
}

/** `signer` signs an ERC-3009 authorization of `primaryType` from `from` to `to`, valid in (validAfter, validBefore). */
async function signAuthorization(
  f: World,
  signer: Wallet,
  primaryType: "TransferWithAuthorization" | "ReceiveWithAuthorization",
  message: { from: Hex; to: Hex; value: bigint; validAfter: bigint; validBefore: bigint; nonce: Hex },
): Promise<Hex> {
  // Both types have the same fields; only the name (and so the type hash) differs.
  const types = { [primaryType]: receiveWithAuthorizationTypes.ReceiveWithAuthorization } as const;
  return signer.signTypedData({
    account: signer.account,
    domain: await tokenDomain(f.usdc.address),
    types,
    primaryType,
    message,
  });
}

/** An authorization from the fixture's customer to `to`, valid for the next hour. */
async function authorization(f: World, to: Hex, overrides: Partial<{ validAfter: bigint; validBefore: bigint }> = {}) {
  const latest = await networkHelpers.time.latest();
  return {
    from: f.customer.account.address,
    to,
    value: VALUE,
    validAfter: 0n,
    validBefore: BigInt(latest) + 3600n,
    nonce: NONCE,
    ...overrides,
  };
}

describe("MockUSDC", () => {
  describe("metadata and domain", () => {
    it("succeeds with USDC's name, symbol, 6 decimals and version 2", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      assert.equal(await f.usdc.read.name(), "USD Coin");
      assert.equal(await f.usdc.read.symbol(), "USDC");
      assert.equal(await f.usdc.read.decimals(), 6);
      assert.equal(await f.usdc.read.version(), "2");
      assert.equal(await f.usdc.read.blacklister(), getAddress(f.owner.account.address));
    });

    it("reverts for eip712Domain(), which USDC does not have", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      await assert.rejects(f.publicClient.getEip712Domain({ address: f.usdc.address }));
      await assert.rejects(f.publicClient.call({ to: f.usdc.address, data: toFunctionSelector("eip712Domain()") }));
    });

    it("succeeds with DOMAIN_SEPARATOR equal to viem's hashDomain of name, version, chain and token", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const domain = { name: "USD Coin", version: "2", chainId: await f.publicClient.getChainId() };
      assert.equal(
        await f.usdc.read.DOMAIN_SEPARATOR(),
        hashDomain({
          domain: { ...domain, chainId: BigInt(domain.chainId), verifyingContract: f.usdc.address },
          types: {
            EIP712Domain: [
              { name: "name", type: "string" },
              { name: "version", type: "string" },
              { name: "chainId", type: "uint256" },
              { name: "verifyingContract", type: "address" },
            ],
          },
        }),
      );
      assert.deepEqual(await tokenDomain(f.usdc.address), { ...domain, verifyingContract: f.usdc.address });
    });
  });

  describe("permit", () => {
    it("succeeds with a (v, r, s) permit: the allowance set, the nonce counted", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const owner = f.customer.account.address;
      const permit = await signPermit(f.customer, f.usdc, f.stranger.account.address, VALUE, 2n ** 40n);
      const hash = await f.usdc.write.permit(
        [owner, f.stranger.account.address, VALUE, permit.deadline, permit.v, permit.r, permit.s],
        { account: f.customer2.account },
      );
      await viem.assertions.emitWithArgs(hash, f.usdc, "Approval", [
        getAddress(owner),
        getAddress(f.stranger.account.address),
        VALUE,
      ]);
      assert.equal(await f.usdc.read.allowance([owner, f.stranger.account.address]), VALUE);
      assert.equal(await f.usdc.read.nonces([owner]), 1n);
    });

    it("succeeds with a permit of a contract wallet checked by ERC-1271, in the bytes form", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const wallet = await deploySmartWallet(f.customer2);
      const { v, r, s } = await signPermitFor(
        f.customer2,
        wallet.address,
        f.usdc,
        f.stranger.account.address,
        VALUE,
        2n ** 40n,
      );
      const signature = concat([r, s, numberToHex(v, { size: 1 })]);
      await mined(f, f.usdc.write.permit([wallet.address, f.stranger.account.address, VALUE, 2n ** 40n, signature]));
      assert.equal(await f.usdc.read.allowance([wallet.address, f.stranger.account.address]), VALUE);
    });

    it("reverts with PermitExpired after its deadline, and succeeds at exactly the deadline", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const owner = f.customer.account.address;
      const deadline = BigInt(await networkHelpers.time.latest()) + 100n;
      const permit = await signPermit(f.customer, f.usdc, f.stranger.account.address, VALUE, deadline);
      const args = [owner, f.stranger.account.address, VALUE, deadline, permit.v, permit.r, permit.s] as const;
      const snapshot = await networkHelpers.takeSnapshot();
      await atTime(deadline + 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(f.usdc.write.permit(args), f.usdc, "PermitExpired", [
        deadline,
      ]);
      await snapshot.restore();
      await atTime(deadline);
      await mined(f, f.usdc.write.permit(args));
    });

    it("reverts with InvalidSignature for another signer's permit and for a replayed one", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const owner = getAddress(f.customer.account.address);
      const spender = f.stranger.account.address;
      const forged = await signPermitFor(f.customer2, owner, f.usdc, spender, VALUE, 2n ** 40n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.usdc.write.permit([owner, spender, VALUE, 2n ** 40n, forged.v, forged.r, forged.s]),
        f.usdc,
        "InvalidSignature",
        [owner],
      );
      const permit = await signPermit(f.customer, f.usdc, spender, VALUE, 2n ** 40n);
      const args = [owner, spender, VALUE, 2n ** 40n, permit.v, permit.r, permit.s] as const;
      await mined(f, f.usdc.write.permit(args));
      await viem.assertions.revertWithCustomErrorWithArgs(f.usdc.write.permit(args), f.usdc, "InvalidSignature", [
        owner,
      ]);
    });
  });

  describe("ERC-3009", () => {
    it("succeeds with transferWithAuthorization submitted by anyone, once", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const message = await authorization(f, f.customer2.account.address);
      const { v, r, s } = vrs(await signAuthorization(f, f.customer, "TransferWithAuthorization", message));
      const args = [message.from, message.to, VALUE, message.validAfter, message.validBefore, NONCE, v, r, s] as const;
      const hash = await f.usdc.write.transferWithAuthorization(args, { account: f.stranger.account });
      await viem.assertions.emitWithArgs(hash, f.usdc, "AuthorizationUsed", [getAddress(message.from), NONCE]);
      assert.equal(await f.usdc.read.balanceOf([message.to]), USDC_MINTED + VALUE);
      assert.equal(await f.usdc.read.authorizationState([message.from, NONCE]), true);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.usdc.write.transferWithAuthorization(args, { account: f.stranger.account }),
        f.usdc,
        "AuthorizationUsedOrCanceled",
        [getAddress(message.from), NONCE],
      );
    });

    it("reverts with AuthorizationNotValidNow at validAfter and at validBefore", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const latest = BigInt(await networkHelpers.time.latest());
      const message = await authorization(f, f.customer2.account.address, {
        validAfter: latest + 10n,
        validBefore: latest + 20n,
      });
      const signature = await signAuthorization(f, f.customer, "TransferWithAuthorization", message);
      const args = [
        message.from,
        message.to,
        VALUE,
        message.validAfter,
        message.validBefore,
        NONCE,
        signature,
      ] as const;
      for (const at of [message.validAfter, message.validBefore]) {
        const snapshot = await networkHelpers.takeSnapshot();
        await atTime(at);
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.usdc.write.transferWithAuthorization(args),
          f.usdc,
          "AuthorizationNotValidNow",
          [message.validAfter, message.validBefore],
        );
        await snapshot.restore();
      }
      await atTime(message.validAfter + 1n);
      await mined(f, f.usdc.write.transferWithAuthorization(args));
    });

    it("succeeds with receiveWithAuthorization submitted by its payee only (CallerMustBePayee)", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const payee = f.customer2;
      const message = await authorization(f, payee.account.address);
      const { v, r, s } = vrs(await signAuthorization(f, f.customer, "ReceiveWithAuthorization", message));
      const args = [message.from, message.to, VALUE, message.validAfter, message.validBefore, NONCE, v, r, s] as const;
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.usdc.write.receiveWithAuthorization(args, { account: f.stranger.account }),
        f.usdc,
        "CallerMustBePayee",
        [getAddress(f.stranger.account.address), getAddress(payee.account.address)],
      );
      // A receive authorization is not a transfer authorization: the type hash differs.
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.usdc.write.transferWithAuthorization(args, { account: f.stranger.account }),
        f.usdc,
        "InvalidSignature",
        [getAddress(message.from)],
      );
      await mined(f, f.usdc.write.receiveWithAuthorization(args, { account: payee.account }));
      assert.equal(await f.usdc.read.balanceOf([payee.account.address]), USDC_MINTED + VALUE);
    });

    it("succeeds with receiveWithAuthorization in the bytes form for a contract-wallet payer (ERC-1271)", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const wallet = await deploySmartWallet(f.customer2);
      await f.usdc.write.mint([wallet.address, VALUE]);
      const message = { ...(await authorization(f, f.stranger.account.address)), from: wallet.address };
      const signature = await signAuthorization(f, f.customer2, "ReceiveWithAuthorization", message);
      const args = [
        message.from,
        message.to,
        VALUE,
        message.validAfter,
        message.validBefore,
        NONCE,
        signature,
      ] as const;
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.usdc.write.receiveWithAuthorization(args, { account: f.customer2.account }),
        f.usdc,
        "CallerMustBePayee",
        [getAddress(f.customer2.account.address), getAddress(message.to)],
      );
      await mined(f, f.usdc.write.receiveWithAuthorization(args, { account: f.stranger.account }));
      assert.equal(await f.usdc.read.balanceOf([wallet.address]), 0n);
      // Another key is not the wallet's.
      const other = { ...message, nonce: keccak256(toHex("other")) };
      const forged = await signAuthorization(f, f.customer, "ReceiveWithAuthorization", other);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.usdc.write.receiveWithAuthorization(
          [other.from, other.to, VALUE, other.validAfter, other.validBefore, other.nonce, forged],
          { account: f.stranger.account },
        ),
        f.usdc,
        "InvalidSignature",
        [getAddress(wallet.address)],
      );
    });

    it("succeeds with cancelAuthorization once, after which the authorization cannot be used", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const authorizer = getAddress(f.customer.account.address);
      const forged = vrs(await signCancelAuthorization(f.customer2, f.usdc.address, authorizer, NONCE));
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.usdc.write.cancelAuthorization([authorizer, NONCE, forged.v, forged.r, forged.s]),
        f.usdc,
        "InvalidSignature",
        [authorizer],
      );
      const { v, r, s } = vrs(await signCancelAuthorization(f.customer, f.usdc.address, authorizer, NONCE));
      const hash = await f.usdc.write.cancelAuthorization([authorizer, NONCE, v, r, s], {
        account: f.stranger.account,
      });
      await viem.assertions.emitWithArgs(hash, f.usdc, "AuthorizationCanceled", [authorizer, NONCE]);
      assert.equal(await f.usdc.read.authorizationState([authorizer, NONCE]), true);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.usdc.write.cancelAuthorization([authorizer, NONCE, v, r, s]),
        f.usdc,
        "AuthorizationUsedOrCanceled",
        [authorizer, NONCE],
      );
      const message = await authorization(f, f.customer2.account.address);
      const signature = await signAuthorization(f, f.customer, "TransferWithAuthorization", message);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.usdc.write.transferWithAuthorization([
          message.from,
          message.to,
          VALUE,
          message.validAfter,
          message.validBefore,
          NONCE,
          signature,
        ]),
        f.usdc,
        "AuthorizationUsedOrCanceled",
        [authorizer, NONCE],
      );
    });
  });

  describe("blacklist", () => {
    it("reverts with NotBlacklister for anyone but the deployer", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const caller = getAddress(f.stranger.account.address);
      for (const write of [f.usdc.write.blacklist, f.usdc.write.unBlacklist]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          write([f.customer.account.address], { account: f.stranger.account }),
          f.usdc,
          "NotBlacklister",
          [caller],
        );
      }
    });

    it("reverts with AccountBlacklisted when a blacklisted account sends, receives or approves, until unblacklisted", async () => {
      const f = await networkHelpers.loadFixture(deployWithUsdc);
      const listed = getAddress(f.customer.account.address);
      const hash = await f.usdc.write.blacklist([listed], { account: f.owner.account });
      await viem.assertions.emitWithArgs(hash, f.usdc, "Blacklisted", [listed]);
      assert.equal(await f.usdc.read.isBlacklisted([listed]), true);
      const attempts = [
        () => f.usdc.write.transfer([f.customer2.account.address, 1n], { account: f.customer.account }),
        () => f.usdc.write.transfer([listed, 1n], { account: f.customer2.account }),
        () => f.usdc.write.approve([f.customer2.account.address, 1n], { account: f.customer.account }),
        () => f.usdc.write.approve([listed, 1n], { account: f.customer2.account }),
        () => f.usdc.write.mint([listed, 1n]),
      ];
      for (const attempt of attempts) {
        await viem.assertions.revertWithCustomErrorWithArgs(attempt(), f.usdc, "AccountBlacklisted", [listed]);
      }
      const unlisted = await f.usdc.write.unBlacklist([listed], { account: f.owner.account });
      await viem.assertions.emitWithArgs(unlisted, f.usdc, "UnBlacklisted", [listed]);
      await mined(f, f.usdc.write.transfer([f.customer2.account.address, 1n], { account: f.customer.account }));
      assert.equal(await f.usdc.read.balanceOf([listed]), USDC_MINTED - 1n);
    });
  });
});
