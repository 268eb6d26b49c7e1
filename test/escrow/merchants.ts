// MerchantRegistry: registerMerchant, updateMerchant, getMerchant; the payout and name checks (names counted in
// UTF-8 bytes, not characters) and the events.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, zeroAddress } from "viem";
import { deployEscrow, deployWithOfferings, networkHelpers, viem } from "../support/fixture.js";

const MAX_NAME_BYTES = 64n;

/** UTF-8 length of a string, computed independently of the contract. */
function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

describe("MerchantRegistry", () => {
  describe("registerMerchant", () => {
    it("succeeds for a new address, stores the registration and emits MerchantRegistered", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const hash = f.escrow.write.registerMerchant([f.arbiter.account.address, "Le Petit Bistro"], {
        account: f.stranger.account,
      });
      await viem.assertions.emitWithArgs(hash, f.escrow, "MerchantRegistered", [
        getAddress(f.stranger.account.address),
        getAddress(f.arbiter.account.address),
        "Le Petit Bistro",
      ]);
      assert.deepEqual(await f.escrow.read.getMerchant([f.stranger.account.address]), {
        payout: getAddress(f.arbiter.account.address),
        name: "Le Petit Bistro",
      });
    });

    it("succeeds with the registration made by the fixture", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      assert.deepEqual(await f.escrow.read.getMerchant([f.merchant.account.address]), {
        payout: getAddress(f.payout.account.address),
        name: "Chez Earnest",
      });
    });

    it("succeeds with the payout address equal to the merchant's own", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await f.escrow.write.registerMerchant([f.stranger.account.address, "Self"], { account: f.stranger.account });
      assert.equal(
        (await f.escrow.read.getMerchant([f.stranger.account.address])).payout,
        getAddress(f.stranger.account.address),
      );
    });

    it("succeeds with a name of exactly 64 bytes", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const name = "n".repeat(64);
      assert.equal(BigInt(utf8Length(name)), await f.escrow.read.MAX_NAME_BYTES());
      await f.escrow.write.registerMerchant([f.payout.account.address, name], { account: f.stranger.account });
      assert.equal((await f.escrow.read.getMerchant([f.stranger.account.address])).name, name);
    });

    it("succeeds with a one-byte name", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await f.escrow.write.registerMerchant([f.payout.account.address, "X"], { account: f.stranger.account });
      assert.equal((await f.escrow.read.getMerchant([f.stranger.account.address])).name, "X");
    });

    it("succeeds with 32 two-byte characters (64 bytes)", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const name = "é".repeat(32);
      assert.equal(utf8Length(name), 64);
      await f.escrow.write.registerMerchant([f.payout.account.address, name], { account: f.stranger.account });
      assert.equal((await f.escrow.read.getMerchant([f.stranger.account.address])).name, name);
    });

    it("reverts when the caller is already registered", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.registerMerchant([f.stranger.account.address, "Again"], { account: f.merchant.account }),
        f.escrow,
        "MerchantAlreadyRegistered",
        [getAddress(f.merchant.account.address)],
      );
      assert.equal((await f.escrow.read.getMerchant([f.merchant.account.address])).name, "Chez Earnest");
    });

    it("reverts when the payout address is zero", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.registerMerchant([zeroAddress, "Nowhere"], { account: f.stranger.account }),
        f.escrow,
        "InvalidPayout",
        [zeroAddress],
      );
      assert.equal((await f.escrow.read.getMerchant([f.stranger.account.address])).payout, zeroAddress);
    });

    it("reverts when the name is empty", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.registerMerchant([f.payout.account.address, ""], { account: f.stranger.account }),
        f.escrow,
        "InvalidName",
        [0n, MAX_NAME_BYTES],
      );
    });

    it("reverts when the name is 65 bytes", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.registerMerchant([f.payout.account.address, "n".repeat(65)], { account: f.stranger.account }),
        f.escrow,
        "InvalidName",
        [65n, MAX_NAME_BYTES],
      );
    });

    it("reverts when 33 two-byte characters make 66 bytes", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const name = "é".repeat(33);
      assert.equal(name.length, 33);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.registerMerchant([f.payout.account.address, name], { account: f.stranger.account }),
        f.escrow,
        "InvalidName",
        [BigInt(utf8Length(name)), MAX_NAME_BYTES],
      );
      assert.equal(utf8Length(name), 66);
    });

    it("reverts when 17 four-byte emoji make 68 bytes", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const name = "🍽".repeat(17);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.registerMerchant([f.payout.account.address, name], { account: f.stranger.account }),
        f.escrow,
        "InvalidName",
        [68n, MAX_NAME_BYTES],
      );
    });

    it("reverts with InvalidPayout before the name is checked", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.registerMerchant([zeroAddress, ""], { account: f.stranger.account }),
        f.escrow,
        "InvalidPayout",
        [zeroAddress],
      );
    });
  });

  describe("updateMerchant", () => {
    it("succeeds in changing the payout and name, emitting MerchantUpdated", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const hash = f.escrow.write.updateMerchant([f.stranger.account.address, "Chez Earnest 2"], {
        account: f.merchant.account,
      });
      await viem.assertions.emitWithArgs(hash, f.escrow, "MerchantUpdated", [
        getAddress(f.merchant.account.address),
        getAddress(f.stranger.account.address),
        "Chez Earnest 2",
      ]);
      assert.deepEqual(await f.escrow.read.getMerchant([f.merchant.account.address]), {
        payout: getAddress(f.stranger.account.address),
        name: "Chez Earnest 2",
      });
    });

    it("succeeds with a 64-byte multi-byte name (16 four-byte emoji)", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const name = "🍽".repeat(16);
      assert.equal(utf8Length(name), 64);
      await f.escrow.write.updateMerchant([f.payout.account.address, name], { account: f.merchant.account });
      assert.equal((await f.escrow.read.getMerchant([f.merchant.account.address])).name, name);
    });

    it("reverts when the payout address is the escrow itself, which could never pay the shares out", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      for (const write of [
        () => f.escrow.write.updateMerchant([f.escrow.address, "Chez Earnest"], { account: f.merchant.account }),
        () => f.escrow.write.registerMerchant([f.escrow.address, "Loop"], { account: f.stranger.account }),
      ]) {
        await viem.assertions.revertWithCustomErrorWithArgs(write(), f.escrow, "InvalidPayout", [
          getAddress(f.escrow.address),
        ]);
      }
      assert.equal(
        (await f.escrow.read.getMerchant([f.merchant.account.address])).payout,
        getAddress(f.payout.account.address),
      );
    });

    it("reverts when the caller is not registered", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.updateMerchant([f.payout.account.address, "Ghost"], { account: f.stranger.account }),
        f.escrow,
        "MerchantNotRegistered",
        [getAddress(f.stranger.account.address)],
      );
    });

    it("reverts when the new payout address is zero", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.updateMerchant([zeroAddress, "Chez Earnest"], { account: f.merchant.account }),
        f.escrow,
        "InvalidPayout",
        [zeroAddress],
      );
      assert.equal(
        (await f.escrow.read.getMerchant([f.merchant.account.address])).payout,
        getAddress(f.payout.account.address),
      );
    });

    it("reverts when the new payout address is an arbiter of one of the merchant's offerings", async () => {
      // Offering 1 of the fixture names `arbiter`: making it the payout would make the arbiter a party.
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.updateMerchant([f.arbiter.account.address, "Chez Earnest"], { account: f.merchant.account }),
        f.escrow,
        "PayoutIsArbiter",
        [getAddress(f.arbiter.account.address)],
      );
      assert.equal(
        (await f.escrow.read.getMerchant([f.merchant.account.address])).payout,
        getAddress(f.payout.account.address),
      );
    });

    it("succeeds with another merchant's arbiter as the new payout address", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      await f.escrow.write.registerMerchant([f.stranger.account.address, "Other venue"], {
        account: f.customer2.account,
      });
      await f.escrow.write.updateMerchant([f.arbiter.account.address, "Other venue"], { account: f.customer2.account });
      assert.equal(
        (await f.escrow.read.getMerchant([f.customer2.account.address])).payout,
        getAddress(f.arbiter.account.address),
      );
    });

    it("reverts when the new name is empty", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.updateMerchant([f.payout.account.address, ""], { account: f.merchant.account }),
        f.escrow,
        "InvalidName",
        [0n, MAX_NAME_BYTES],
      );
    });

    it("reverts when the new name is 65 bytes", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.updateMerchant([f.payout.account.address, "m".repeat(65)], { account: f.merchant.account }),
        f.escrow,
        "InvalidName",
        [65n, MAX_NAME_BYTES],
      );
      assert.equal((await f.escrow.read.getMerchant([f.merchant.account.address])).name, "Chez Earnest");
    });
  });

  describe("getMerchant", () => {
    it("succeeds with a zero payout and an empty name for an unregistered address", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      assert.deepEqual(await f.escrow.read.getMerchant([f.stranger.account.address]), {
        payout: zeroAddress,
        name: "",
      });
    });
  });
});
