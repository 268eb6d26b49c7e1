// The escrow's address is one contract to its users, two underneath: `EarnestEscrow` runs the hot path and its
// fallback runs everything else in `EscrowExtension`, by delegatecall, in the escrow's storage. These tests hold the
// two halves to that: together they answer exactly `IEarnestEscrow` (the sdk's ABI), the extension's storage is laid
// out as the escrow's, the fallback takes no ETH and answers nothing else, and the extension on its own is harmless.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { artifacts } from "hardhat";
import { BaseError, encodeFunctionData, getAddress, zeroAddress, type Abi, type AbiParameter, type Hex } from "viem";
import { deployEarnestEscrow, deployWithOfferings, FEE_BPS, networkHelpers, terms, viem } from "../support/fixture.js";

// ---------------------------------------------------------------------------------------------------------------
// ABIs
// ---------------------------------------------------------------------------------------------------------------

/** A parameter's type as the ABI encodes it, with tuple components (names included: viem decodes structs into
 *  objects by them) spelled out. */
function parameterType(p: AbiParameter): string {
  if (!p.type.startsWith("tuple")) return p.type;
  const { components } = p as AbiParameter & { components: readonly AbiParameter[] };
  const fields = components.map((c) => `${parameterType(c)} ${c.name ?? ""}`.trim()).join(",");
  return `(${fields})${p.type.slice("tuple".length)}`;
}

/**
 * One function, event or error as a caller sees it, without the parameter names (which an interface and its
 * implementation may spell differently): name and input types, plus a function's mutability and output types and
 * an event's indexed inputs. Constructors and the fallback are not part of the surface.
 */
function surfaceOf(abi: Abi): Set<string> {
  const items = new Set<string>();
  for (const item of abi) {
    if (item.type === "function") {
      const inputs = item.inputs.map(parameterType).join(",");
      const outputs = item.outputs.map(parameterType).join(",");
      items.add(`function ${item.name}(${inputs}) ${item.stateMutability} returns (${outputs})`);
    } else if (item.type === "event") {
      const inputs = item.inputs.map((p) => `${parameterType(p)}${p.indexed ? " indexed" : ""}`).join(",");
      items.add(`event ${item.name}(${inputs})${item.anonymous ? " anonymous" : ""}`);
    } else if (item.type === "error") {
      items.add(`error ${item.name}(${item.inputs.map(parameterType).join(",")})`);
    }
  }
  return items;
}

const minus = (a: Set<string>, b: Set<string>): string[] => [...a].filter((x) => !b.has(x)).sort();

async function abiOf(name: "EarnestEscrow" | "EscrowExtension" | "IEarnestEscrow"): Promise<Abi> {
  return (await artifacts.readArtifact(name)).abi;
}

// ---------------------------------------------------------------------------------------------------------------
// Storage layouts
// ---------------------------------------------------------------------------------------------------------------

type StorageEntry = { label: string; slot: string; offset: number; type: string };
type StorageType = {
  encoding: string;
  label: string;
  numberOfBytes: string;
  members?: StorageEntry[];
  key?: string;
  value?: string;
  base?: string;
};
type StorageLayout = { storage: StorageEntry[]; types: Record<string, StorageType> | null };

/** The compiler's storage layout of a contract, from the build that produced its artifact. */
async function storageLayoutOf(name: "EarnestEscrow" | "EscrowExtension"): Promise<StorageLayout> {
  const artifact = await artifacts.readArtifact(name);
  const buildInfoId = await artifacts.getBuildInfoId(name);
  assert.ok(buildInfoId, `no build info for ${name}: run \`npx hardhat compile\``);
  const outputPath = await artifacts.getBuildInfoOutputPath(buildInfoId);
  assert.ok(outputPath, `no build info output for ${name}`);
  const { output } = JSON.parse(await readFile(outputPath, "utf8")) as {
    output: { contracts: Record<string, Record<string, { storageLayout?: StorageLayout }>> };
  };
  const source = Object.keys(output.contracts).find((s) => s.endsWith(artifact.sourceName));
  assert.ok(source, `${artifact.sourceName} is not in its build info`);
  const layout = output.contracts[source][name].storageLayout;
  assert.ok(layout, "the build has no storageLayout: hardhat.config.ts must select it");
  return layout;
}

/** A storage type spelled out in full (members, keys, values, bases), so that types compare by what they are and
 *  not by the compiler's AST ids in their names. */
function describeType(layout: StorageLayout, id: string): unknown {
  const t = layout.types?.[id];
  assert.ok(t, `type ${id} is not in the layout`);
  return {
    encoding: t.encoding,
    label: t.label,
    numberOfBytes: t.numberOfBytes,
    members: t.members?.map((m) => describeEntry(layout, m)),
    key: t.key && describeType(layout, t.key),
    value: t.value && describeType(layout, t.value),
    base: t.base && describeType(layout, t.base),
  };
}

function describeEntry(layout: StorageLayout, e: StorageEntry) {
  return { label: e.label, slot: e.slot, offset: e.offset, type: describeType(layout, e.type) };
}

// ---------------------------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------------------------

/** Asserts the call or transaction reverts and returns its revert data. */
async function revertData(call: Promise<unknown>): Promise<Hex> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof BaseError, String(error));
    const withData = error.walk((e) => typeof (e as { data?: unknown }).data === "string") as { data: Hex } | null;
    assert.ok(withData, `no revert data in: ${error.shortMessage}`);
    return withData.data;
  }
  assert.fail("expected a revert");
}

/** The fixture plus its escrow's extension, addressed directly with the extension's own ABI. */
async function deployWithExtension() {
  const f = await deployWithOfferings();
  const extension = await viem.getContractAt("EscrowExtension", await f.escrow.read.extension());
  return { ...f, extension };
}

describe("surface", () => {
  describe("ABI", () => {
    it("succeeds with every function, event and error of EarnestEscrow and EscrowExtension in IEarnestEscrow", async () => {
      const iface = surfaceOf(await abiOf("IEarnestEscrow"));
      for (const half of ["EarnestEscrow", "EscrowExtension"] as const) {
        assert.deepEqual(minus(surfaceOf(await abiOf(half)), iface), [], `${half} has what IEarnestEscrow lacks`);
      }
    });

    it("succeeds with everything IEarnestEscrow declares answered by EarnestEscrow or EscrowExtension", async () => {
      const answered = new Set([
        ...surfaceOf(await abiOf("EarnestEscrow")),
        ...surfaceOf(await abiOf("EscrowExtension")),
      ]);
      assert.deepEqual(minus(surfaceOf(await abiOf("IEarnestEscrow")), answered), [], "declared but not answered");
    });

    it("succeeds with no function in both halves: the fallback never reaches the extension's copy", async () => {
      const functions = async (name: "EarnestEscrow" | "EscrowExtension") =>
        new Set([...surfaceOf(await abiOf(name))].filter((item) => item.startsWith("function ")));
      const escrow = await functions("EarnestEscrow");
      const extension = await functions("EscrowExtension");
      assert.ok(escrow.size > 0 && extension.size > 0);
      assert.deepEqual(
        [...extension].filter((item) => escrow.has(item)),
        [],
      );
    });
  });

  describe("storage layout", () => {
    it("succeeds with EscrowExtension's storage a prefix of EarnestEscrow's: same labels, slots, offsets, types", async () => {
      const escrow = await storageLayoutOf("EarnestEscrow");
      const extension = await storageLayoutOf("EscrowExtension");
      assert.ok(extension.storage.length > 0, "the extension declares the escrow's state");
      assert.ok(escrow.storage.length >= extension.storage.length);
      extension.storage.forEach((entry, i) => {
        assert.deepEqual(
          describeEntry(extension, entry),
          describeEntry(escrow, escrow.storage[i]),
          `variable ${i} (${entry.label})`,
        );
      });
    });
  });

  describe("fallback", () => {
    it("reverts when ETH is sent with no calldata: the escrow has no receive and its fallback takes none", async () => {
      const f = await networkHelpers.loadFixture(deployWithExtension);
      const before = await f.publicClient.getBalance({ address: f.escrow.address });
      assert.equal(await revertData(f.stranger.sendTransaction({ to: f.escrow.address, value: 1n })), "0x");
      assert.equal(await f.publicClient.getBalance({ address: f.escrow.address }), before);
    });

    it("reverts when ETH is sent with a function the fallback runs, which succeeds without it", async () => {
      const f = await networkHelpers.loadFixture(deployWithExtension);
      const data = encodeFunctionData({
        abi: f.escrow.abi,
        functionName: "updateMerchant",
        args: [f.payout.account.address, "Renamed"],
      });
      const send = (value: bigint) => f.merchant.sendTransaction({ to: f.escrow.address, data, value });
      assert.equal(await revertData(send(1n)), "0x");
      await send(0n);
      assert.equal((await f.escrow.read.getMerchant([f.merchant.account.address])).name, "Renamed");
    });

    it("reverts with no data for a selector that neither half has, and for empty calldata", async () => {
      const f = await networkHelpers.loadFixture(deployWithExtension);
      for (const data of ["0xdeadbeef", "0x", "0x00"] as const) {
        assert.equal(await revertData(f.publicClient.call({ to: f.escrow.address, data })), "0x", data);
      }
    });
  });

  describe("extension", () => {
    it("succeeds with extension() holding EscrowExtension's code, a new one per escrow", async () => {
      const f = await networkHelpers.loadFixture(deployWithExtension);
      const { deployedBytecode } = await artifacts.readArtifact("EscrowExtension");
      assert.ok(deployedBytecode.length > 2);
      assert.equal(await f.publicClient.getCode({ address: f.extension.address }), deployedBytecode);
      const other = await deployEarnestEscrow(f.owner.account.address, f.feeRecipient.account.address, FEE_BPS);
      assert.notEqual(await other.read.extension(), getAddress(f.extension.address));
    });

    it("reverts when the extension is called directly for an owner function, even by the escrow's owner", async () => {
      const f = await networkHelpers.loadFixture(deployWithExtension);
      const as = { account: f.owner.account };
      for (const call of [
        () => f.extension.write.setFee([0], as),
        () => f.extension.write.setFeeRecipient([f.owner.account.address], as),
        () => f.extension.write.setPaused([true], as),
        () => f.extension.write.setTokenAllowed([f.stablecoin.address, false], as),
      ]) {
        // The extension asks its caller's context for the owner; on its own it has none to answer.
        assert.equal(await revertData(call()), "0x");
      }
      assert.deepEqual(await f.extension.read.config(), {
        feeRecipient: zeroAddress,
        feeBps: 0,
        paused: false,
      });
      assert.equal((await f.escrow.read.config()).feeBps, FEE_BPS);
    });

    it("succeeds with a direct call to the extension touching only the extension's own, unused storage", async () => {
      const f = await networkHelpers.loadFixture(deployWithExtension);
      const account = f.stranger.account;
      await f.extension.write.registerMerchant([account.address, "Direct"], { account });
      assert.equal((await f.extension.read.getMerchant([account.address])).name, "Direct");
      assert.deepEqual(await f.escrow.read.getMerchant([account.address]), {
        payout: zeroAddress,
        name: "",
      });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.createOffering([terms(f.grid)], { account }),
        f.escrow,
        "MerchantNotRegistered",
        [getAddress(account.address)],
      );
    });
  });
});
