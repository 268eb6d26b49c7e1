// OfferingRegistry: createOffering (every validation and its boundary), setOfferingActive, getOffering,
// offeringCount, and the OfferingCreated / OfferingActiveSet events.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFunctionData, getAddress, parseEventLogs, zeroAddress, type Address } from "viem";
import { CheckInRule, MAX_FEE_BPS, type CancellationTier, type OfferingTerms } from "@earnest/sdk";
import { DAY, deployEscrow, deployWithOfferings, HOUR, networkHelpers, terms, viem } from "../support/fixture.js";

const MAX_SLOT_LENGTH = 30 * DAY;
const MAX_DISPUTE_WINDOW = 30 * DAY;
const MAX_ARBITER_TIMEOUT = 30 * DAY;
const MAX_METADATA_BYTES = 1024n;
const MAX_TIERS = 5n;

type Base = Awaited<ReturnType<typeof deployEscrow>>;

/** The lowest 24 bits of an address: the arbiter tag an offering stores beside the arbiter. */
function lowBits24(address: Address): number {
  return Number(BigInt(address) & 0xff_ffffn);
}

/** Creates an offering with `overrides` on the default terms, as the fixture merchant. */
function create(f: Base, overrides: Partial<OfferingTerms> = {}) {
  return f.escrow.write.createOffering([terms(f.grid, overrides)], { account: f.merchant.account });
}

/** Five valid tiers: 7 d → 100 %, 3 d → 80 %, 2 d → 80 %, 1 d → 40 %, 1 h → 10 %. */
const FIVE_TIERS: CancellationTier[] = [
  { secondsBeforeStart: 7 * DAY, refundBps: 10_000 },
  { secondsBeforeStart: 3 * DAY, refundBps: 8_000 },
  { secondsBeforeStart: 2 * DAY, refundBps: 8_000 },
  { secondsBeforeStart: DAY, refundBps: 4_000 },
  { secondsBeforeStart: HOUR, refundBps: 1_000 },
];

describe("OfferingRegistry", () => {
  describe("createOffering", () => {
    it("succeeds and stores every term as given, with the merchant and active set", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const input = terms(f.grid, {
        token: f.stablecoin.address,
        depositPerSeat: 12_345_678n,
        seatsPerSlot: 7,
        slotLength: 90 * 60,
        firstSlotStart: f.grid + 30 * 60,
        minLeadTime: 2 * HOUR,
        maxAdvance: 30 * DAY,
        noShowRefundBps: 3_333,
        disputeWindow: 2 * DAY,
        arbiter: f.arbiter.account.address,
        arbiterTimeout: 5 * DAY,
        checkInRule: CheckInRule.CustomerSignature,
        maxFeeBps: 400,
        cancellationTiers: FIVE_TIERS,
        metadata: '{"name":"Spa","tz":"Asia/Shanghai","hours":"10-22"}',
      });
      await f.escrow.write.createOffering([input], { account: f.merchant.account });
      assert.deepEqual(await f.escrow.read.getOffering([1]), {
        seatsPerSlot: 7,
        slotLength: 90 * 60,
        firstSlotStart: f.grid + 30 * 60,
        minLeadTime: 2 * HOUR,
        maxAdvance: 30 * DAY,
        disputeWindow: 2 * DAY,
        noShowRefundBps: 3_333,
        active: true,
        maxFeeBps: 400,
        checkInRule: CheckInRule.CustomerSignature,
        arbiterTag: lowBits24(f.arbiter.account.address),
        token: getAddress(f.stablecoin.address),
        depositPerSeat: 12_345_678n,
        merchant: getAddress(f.merchant.account.address),
        arbiterTimeout: 5 * DAY,
        arbiter: getAddress(f.arbiter.account.address),
        cancellationTiers: FIVE_TIERS,
        metadata: '{"name":"Spa","tz":"Asia/Shanghai","hours":"10-22"}',
      });
    });

    it("succeeds and emits OfferingCreated with the id, merchant and full terms", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const input = terms(f.grid, { arbiter: f.arbiter.account.address, arbiterTimeout: DAY });
      const hash = await f.escrow.write.createOffering([input], { account: f.merchant.account });
      await viem.assertions.emitWithArgs(hash, f.escrow, "OfferingCreated", [
        1,
        getAddress(f.merchant.account.address),
        { ...input, arbiter: getAddress(f.arbiter.account.address) },
      ]);
      const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
      const [event] = parseEventLogs({ abi: f.escrow.abi, eventName: "OfferingCreated", logs: receipt.logs });
      assert.equal(event.args.terms.depositPerSeat, input.depositPerSeat);
      assert.deepEqual(event.args.terms.cancellationTiers, input.cancellationTiers);
    });

    it("succeeds with sequential ids counted by offeringCount", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      assert.equal(await f.escrow.read.offeringCount(), 0);
      const id1 = await f.escrow.simulate.createOffering([terms(f.grid)], {
        account: f.merchant.account.address,
      });
      assert.equal(id1.result, 1);
      await create(f);
      await create(f, { seatsPerSlot: 9 });
      await create(f, { seatsPerSlot: 3 });
      assert.equal(await f.escrow.read.offeringCount(), 3);
      assert.equal((await f.escrow.read.getOffering([2])).seatsPerSlot, 9);
      assert.equal((await f.escrow.read.getOffering([3])).seatsPerSlot, 3);
    });

    it("succeeds with exactly MAX_TIERS tiers, equal refundBps across tiers allowed", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      assert.equal(BigInt(FIVE_TIERS.length), await f.escrow.read.MAX_TIERS());
      await create(f, { cancellationTiers: FIVE_TIERS });
      assert.deepEqual((await f.escrow.read.getOffering([1])).cancellationTiers, FIVE_TIERS);
    });

    it("succeeds with every tier at the same refund", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const tiers: CancellationTier[] = [
        { secondsBeforeStart: 2 * DAY, refundBps: 5_000 },
        { secondsBeforeStart: DAY, refundBps: 5_000 },
      ];
      await create(f, { cancellationTiers: tiers });
      assert.deepEqual((await f.escrow.read.getOffering([1])).cancellationTiers, tiers);
    });

    it("succeeds with no tiers and empty metadata", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await create(f, { cancellationTiers: [], metadata: "" });
      const offering = await f.escrow.read.getOffering([1]);
      assert.deepEqual(offering.cancellationTiers, []);
      assert.equal(offering.metadata, "");
    });

    it("succeeds with no arbiter and an arbiter timeout of 0", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await create(f, { arbiter: zeroAddress, arbiterTimeout: 0 });
      const offering = await f.escrow.read.getOffering([1]);
      assert.equal(offering.arbiter, zeroAddress);
      assert.equal(offering.arbiterTimeout, 0);
    });

    it("succeeds with an arbiter timeout of exactly MAX_ARBITER_TIMEOUT and of 1 second", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const arbiter = f.arbiter.account.address;
      await create(f, { arbiter, arbiterTimeout: MAX_ARBITER_TIMEOUT });
      await create(f, { arbiter, arbiterTimeout: 1 });
      assert.equal((await f.escrow.read.getOffering([1])).arbiterTimeout, MAX_ARBITER_TIMEOUT);
      assert.equal((await f.escrow.read.getOffering([2])).arbiterTimeout, 1);
    });

    it("succeeds with a dispute window of exactly MAX_DISPUTE_WINDOW, and of 0", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await create(f, { disputeWindow: MAX_DISPUTE_WINDOW });
      await create(f, { disputeWindow: 0 });
      assert.equal((await f.escrow.read.getOffering([1])).disputeWindow, MAX_DISPUTE_WINDOW);
      assert.equal((await f.escrow.read.getOffering([2])).disputeWindow, 0);
    });

    it("succeeds with metadata of exactly 1024 bytes", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const metadata = "m".repeat(1024);
      await create(f, { metadata });
      assert.equal((await f.escrow.read.getOffering([1])).metadata, metadata);
    });

    it("succeeds with minLeadTime equal to maxAdvance", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await create(f, { minLeadTime: DAY, maxAdvance: DAY });
      const offering = await f.escrow.read.getOffering([1]);
      assert.equal(offering.minLeadTime, DAY);
      assert.equal(offering.maxAdvance, DAY);
    });

    it("succeeds with a no-show refund and a tier of exactly 100 %", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await create(f, {
        noShowRefundBps: 10_000,
        cancellationTiers: [{ secondsBeforeStart: 0, refundBps: 10_000 }],
      });
      const offering = await f.escrow.read.getOffering([1]);
      assert.equal(offering.noShowRefundBps, 10_000);
      assert.deepEqual(offering.cancellationTiers, [{ secondsBeforeStart: 0, refundBps: 10_000 }]);
    });

    it("succeeds with either check-in rule and any highest accepted fee, stored as given", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const cases = [
        { checkInRule: CheckInRule.MerchantWord, maxFeeBps: 0 },
        { checkInRule: CheckInRule.CustomerSignature, maxFeeBps: 250 },
        { checkInRule: CheckInRule.CustomerSignature, maxFeeBps: MAX_FEE_BPS },
        // Above the protocol's hard cap: accepts any fee the owner can ever set.
        { checkInRule: CheckInRule.MerchantWord, maxFeeBps: 65_535 },
      ];
      for (const c of cases) await create(f, c);
      for (const [i, c] of cases.entries()) {
        const offering = await f.escrow.read.getOffering([i + 1]);
        assert.deepEqual({ checkInRule: offering.checkInRule, maxFeeBps: offering.maxFeeBps }, c);
      }
    });

    it("succeeds with the arbiter's tag as the low 24 bits of its address, and 0 without an arbiter", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const arbiters: Address[] = [
        f.arbiter.account.address,
        "0x00000000000000000000000000000000000000ff",
        "0xffffffffffffffffffffffffffffffffff123456",
      ];
      for (const arbiter of arbiters) await create(f, { arbiter, arbiterTimeout: DAY });
      await create(f);
      for (const [i, arbiter] of arbiters.entries()) {
        const offering = await f.escrow.read.getOffering([i + 1]);
        assert.equal(offering.arbiter, getAddress(arbiter));
        assert.equal(offering.arbiterTag, lowBits24(arbiter));
      }
      assert.equal(lowBits24(arbiters[2]), 0x123456);
      const none = await f.escrow.read.getOffering([arbiters.length + 1]);
      assert.equal(none.arbiter, zeroAddress);
      assert.equal(none.arbiterTag, 0);
    });

    it("succeeds with a slot of exactly MAX_SLOT_LENGTH (30 days)", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      assert.equal(await f.escrow.read.MAX_SLOT_LENGTH(), MAX_SLOT_LENGTH);
      await create(f, { slotLength: MAX_SLOT_LENGTH });
      assert.equal((await f.escrow.read.getOffering([1])).slotLength, MAX_SLOT_LENGTH);
    });

    it("succeeds with an arbiter that was the merchant's payout address before the merchant changed it", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await f.escrow.write.updateMerchant([f.stranger.account.address, "Chez Earnest"], {
        account: f.merchant.account,
      });
      await create(f, { arbiter: f.payout.account.address, arbiterTimeout: DAY });
      assert.equal((await f.escrow.read.getOffering([1])).arbiter, getAddress(f.payout.account.address));
    });

    it("reverts when the caller is not a registered merchant", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.createOffering([terms(f.grid)], { account: f.stranger.account }),
        f.escrow,
        "MerchantNotRegistered",
        [getAddress(f.stranger.account.address)],
      );
      assert.equal(await f.escrow.read.offeringCount(), 0);
    });

    it("reverts when the token is not allow-listed", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const other = await viem.deployContract("MockStablecoin");
      await viem.assertions.revertWithCustomErrorWithArgs(
        create(f, { token: other.address }),
        f.escrow,
        "TokenNotAllowed",
        [getAddress(other.address)],
      );
    });

    it("reverts when the token was removed from the allow-list", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await f.escrow.write.setTokenAllowed([f.stablecoin.address, false]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        create(f, { token: f.stablecoin.address, depositPerSeat: 1_000_000n }),
        f.escrow,
        "TokenNotAllowed",
        [getAddress(f.stablecoin.address)],
      );
    });

    it("reverts when the deposit per seat is zero", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(create(f, { depositPerSeat: 0n }), f.escrow, "ZeroTerm", [
        0n,
        4,
        2 * HOUR,
      ]);
    });

    it("reverts when the seats per slot are zero", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(create(f, { seatsPerSlot: 0 }), f.escrow, "ZeroTerm", [
        terms(f.grid).depositPerSeat,
        0,
        2 * HOUR,
      ]);
    });

    it("reverts when the slot length is zero", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(create(f, { slotLength: 0 }), f.escrow, "ZeroTerm", [
        terms(f.grid).depositPerSeat,
        4,
        0,
      ]);
    });

    it("reverts when the slot is one second longer than MAX_SLOT_LENGTH", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        create(f, { slotLength: MAX_SLOT_LENGTH + 1 }),
        f.escrow,
        "SlotTooLong",
        [MAX_SLOT_LENGTH + 1, MAX_SLOT_LENGTH],
      );
      assert.equal(await f.escrow.read.offeringCount(), 0);
    });

    it("reverts when the slot is a century long, which would hold a booking unsettled for 100 years", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const century = 100 * 365 * DAY;
      assert.ok(century < 2 ** 32, "fits the uint32 slot length");
      await viem.assertions.revertWithCustomErrorWithArgs(create(f, { slotLength: century }), f.escrow, "SlotTooLong", [
        century,
        MAX_SLOT_LENGTH,
      ]);
    });

    it("reverts when the arbiter is the merchant itself", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        create(f, { arbiter: f.merchant.account.address, arbiterTimeout: DAY }),
        f.escrow,
        "ArbiterNotIndependent",
        [getAddress(f.merchant.account.address)],
      );
      assert.equal(await f.escrow.read.offeringCount(), 0);
    });

    it("reverts when the arbiter is the merchant's payout address", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        create(f, { arbiter: f.payout.account.address, arbiterTimeout: DAY }),
        f.escrow,
        "ArbiterNotIndependent",
        [getAddress(f.payout.account.address)],
      );
    });

    it("reverts when the arbiter is the payout address the merchant changed to", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await f.escrow.write.updateMerchant([f.stranger.account.address, "Chez Earnest"], {
        account: f.merchant.account,
      });
      await viem.assertions.revertWithCustomErrorWithArgs(
        create(f, { arbiter: f.stranger.account.address, arbiterTimeout: DAY }),
        f.escrow,
        "ArbiterNotIndependent",
        [getAddress(f.stranger.account.address)],
      );
    });

    it("reverts when the merchant is its own payout address and names itself arbiter", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const self = f.stranger.account;
      await f.escrow.write.registerMerchant([self.address, "Self-paid"], { account: self });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.createOffering([terms(f.grid, { arbiter: self.address, arbiterTimeout: DAY })], {
          account: self,
        }),
        f.escrow,
        "ArbiterNotIndependent",
        [getAddress(self.address)],
      );
    });

    it("reverts when the check-in rule is outside the enum", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      // The ABI carries the enum as a bare uint8, so calldata can hold any value; the contract's decoder refuses it.
      const valid = terms(f.grid);
      const data = encodeFunctionData({ abi: f.escrow.abi, functionName: "createOffering", args: [valid] });
      const rule = encodeFunctionData({
        abi: f.escrow.abi,
        functionName: "createOffering",
        args: [{ ...valid, checkInRule: 2 }],
      });
      assert.notEqual(rule, data);
      await assert.rejects(f.merchant.sendTransaction({ to: f.escrow.address, data: rule }));
      assert.equal(await f.escrow.read.offeringCount(), 0);
      await f.merchant.sendTransaction({ to: f.escrow.address, data });
      assert.equal(await f.escrow.read.offeringCount(), 1);
    });

    it("reverts when maxAdvance is below minLeadTime", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        create(f, { minLeadTime: DAY, maxAdvance: DAY - 1 }),
        f.escrow,
        "InvalidBookingWindow",
        [DAY, DAY - 1],
      );
    });

    it("reverts when the no-show refund is above 100 %", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        create(f, { noShowRefundBps: 10_001 }),
        f.escrow,
        "ShareAboveWhole",
        [10_001n],
      );
    });

    it("reverts when a tier's refund is above 100 %", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        create(f, { cancellationTiers: [{ secondsBeforeStart: DAY, refundBps: 10_001 }] }),
        f.escrow,
        "ShareAboveWhole",
        [10_001n],
      );
    });

    it("reverts when a later tier's refund is above 100 %", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        create(f, {
          cancellationTiers: [
            { secondsBeforeStart: 2 * DAY, refundBps: 10_000 },
            { secondsBeforeStart: DAY, refundBps: 20_000 },
          ],
        }),
        f.escrow,
        "ShareAboveWhole",
        [20_000n],
      );
    });

    it("reverts when there are more than MAX_TIERS tiers", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const six = [...FIVE_TIERS, { secondsBeforeStart: 60, refundBps: 0 }];
      await viem.assertions.revertWithCustomErrorWithArgs(
        create(f, { cancellationTiers: six }),
        f.escrow,
        "TooManyTiers",
        [6n, MAX_TIERS],
      );
    });

    it("reverts when two tiers have the same secondsBeforeStart", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const tiers: CancellationTier[] = [
        { secondsBeforeStart: 2 * DAY, refundBps: 10_000 },
        { secondsBeforeStart: DAY, refundBps: 5_000 },
        { secondsBeforeStart: DAY, refundBps: 2_000 },
      ];
      await viem.assertions.revertWithCustomErrorWithArgs(
        create(f, { cancellationTiers: tiers }),
        f.escrow,
        "TierOutOfOrder",
        [2n, tiers[2], tiers[1]],
      );
    });

    it("reverts when a tier's secondsBeforeStart increases", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const tiers: CancellationTier[] = [
        { secondsBeforeStart: DAY, refundBps: 10_000 },
        { secondsBeforeStart: 2 * DAY, refundBps: 5_000 },
      ];
      await viem.assertions.revertWithCustomErrorWithArgs(
        create(f, { cancellationTiers: tiers }),
        f.escrow,
        "TierOutOfOrder",
        [1n, tiers[1], tiers[0]],
      );
    });

    it("reverts when a later tier refunds more than the one before", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const tiers: CancellationTier[] = [
        { secondsBeforeStart: 2 * DAY, refundBps: 5_000 },
        { secondsBeforeStart: DAY, refundBps: 5_001 },
      ];
      await viem.assertions.revertWithCustomErrorWithArgs(
        create(f, { cancellationTiers: tiers }),
        f.escrow,
        "TierOutOfOrder",
        [1n, tiers[1], tiers[0]],
      );
    });

    it("reverts when the dispute window is above MAX_DISPUTE_WINDOW", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        create(f, { disputeWindow: MAX_DISPUTE_WINDOW + 1 }),
        f.escrow,
        "DisputeWindowTooLong",
        [MAX_DISPUTE_WINDOW + 1, MAX_DISPUTE_WINDOW],
      );
    });

    it("reverts when an arbiter is set with a timeout of 0", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        create(f, { arbiter: f.arbiter.account.address, arbiterTimeout: 0 }),
        f.escrow,
        "InvalidArbiterTimeout",
        [0, MAX_ARBITER_TIMEOUT],
      );
    });

    it("reverts when an arbiter is set with a timeout above MAX_ARBITER_TIMEOUT", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        create(f, { arbiter: f.arbiter.account.address, arbiterTimeout: MAX_ARBITER_TIMEOUT + 1 }),
        f.escrow,
        "InvalidArbiterTimeout",
        [MAX_ARBITER_TIMEOUT + 1, MAX_ARBITER_TIMEOUT],
      );
    });

    it("reverts when the metadata is 1025 bytes", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        create(f, { metadata: "m".repeat(1025) }),
        f.escrow,
        "MetadataTooLong",
        [1025n, MAX_METADATA_BYTES],
      );
    });

    it("reverts when multi-byte metadata is over 1024 bytes though under 1024 characters", async () => {
      const f = await networkHelpers.loadFixture(deployEscrow);
      const metadata = "时".repeat(342); // 3 bytes each: 1026 bytes
      await viem.assertions.revertWithCustomErrorWithArgs(create(f, { metadata }), f.escrow, "MetadataTooLong", [
        BigInt(Buffer.byteLength(metadata, "utf8")),
        MAX_METADATA_BYTES,
      ]);
    });
  });

  describe("setOfferingActive", () => {
    it("succeeds in closing and reopening an offering, emitting OfferingActiveSet", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      const asMerchant = { account: f.merchant.account };
      await viem.assertions.emitWithArgs(
        f.escrow.write.setOfferingActive([1, false], asMerchant),
        f.escrow,
        "OfferingActiveSet",
        [1, false],
      );
      assert.equal((await f.escrow.read.getOffering([1])).active, false);
      assert.equal((await f.escrow.read.getOffering([2])).active, true);
      await viem.assertions.emitWithArgs(
        f.escrow.write.setOfferingActive([1, true], asMerchant),
        f.escrow,
        "OfferingActiveSet",
        [1, true],
      );
      assert.equal((await f.escrow.read.getOffering([1])).active, true);
    });

    it("reverts when the offering does not exist", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.setOfferingActive([3, false], { account: f.merchant.account }),
        f.escrow,
        "OfferingNotFound",
        [3],
      );
    });

    it("reverts when the caller is not the offering's merchant", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.setOfferingActive([1, false], { account: f.stranger.account }),
        f.escrow,
        "NotOfferingMerchant",
        [1, getAddress(f.stranger.account.address)],
      );
      assert.equal((await f.escrow.read.getOffering([1])).active, true);
    });

    it("reverts when another registered merchant tries to close the offering", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      await f.escrow.write.registerMerchant([f.stranger.account.address, "Rival"], { account: f.stranger.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.write.setOfferingActive([2, false], { account: f.stranger.account }),
        f.escrow,
        "NotOfferingMerchant",
        [2, getAddress(f.stranger.account.address)],
      );
    });
  });

  describe("getOffering", () => {
    it("reverts when the id is 0", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.read.getOffering([0]),
        f.escrow,
        "OfferingNotFound",
        [0],
      );
    });

    it("reverts when the id is past offeringCount", async () => {
      const f = await networkHelpers.loadFixture(deployWithOfferings);
      assert.equal(await f.escrow.read.offeringCount(), 2);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.escrow.read.getOffering([3]),
        f.escrow,
        "OfferingNotFound",
        [3],
      );
    });
  });
});
