// sdk/terms.ts: the policy builder refuses, by name, every set of terms the contract would revert on, and the
// nonsense the contract lets through; terms it passes are accepted on-chain.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { zeroAddress, type Address } from "viem";
import {
  MAX_ARBITER_TIMEOUT,
  MAX_DISPUTE_WINDOW,
  MAX_METADATA_BYTES,
  MAX_SLOT_LENGTH,
  MAX_TIERS,
  validateTerms,
  type OfferingTerms,
  type TermsContext,
  type TermsProblemCode,
} from "@earnest/sdk";
import {
  DAY,
  deployEscrow,
  detailsHash,
  ETH_DEPOSIT,
  FEE_BPS,
  HOUR,
  networkHelpers,
  slotInDays,
  terms,
  viem,
} from "../support/fixture.js";

type Base = Awaited<ReturnType<typeof deployEscrow>>;
type ContractError = Parameters<typeof viem.assertions.revertWithCustomError<Base["escrow"]>>[2];

const ARBITER: Address = "0x00000000000000000000000000000000000000a1";

function codes(t: OfferingTerms, context?: TermsContext): TermsProblemCode[] {
  return validateTerms(t, context).map((p) => p.code);
}

/** Each case: what to change (knowing the fixture's merchant and its payout), the problem the sdk names, and the
 *  error the contract reverts with (if any). */
const cases: {
  name: string;
  change: Partial<OfferingTerms> | ((f: Base) => Partial<OfferingTerms>);
  problem: TermsProblemCode;
  error?: ContractError;
}[] = [
  { name: "a zero deposit", change: { depositPerSeat: 0n }, problem: "zeroDeposit", error: "ZeroTerm" },
  { name: "zero seats", change: { seatsPerSlot: 0 }, problem: "zeroSeats", error: "ZeroTerm" },
  { name: "a zero slot length", change: { slotLength: 0 }, problem: "zeroSlotLength", error: "ZeroTerm" },
  {
    name: "a slot over 30 days",
    change: { slotLength: 30 * DAY + 1, maxAdvance: 90 * DAY },
    problem: "slotTooLong",
    error: "SlotTooLong",
  },
  {
    name: "the merchant as its own arbiter",
    change: (f) => ({ arbiter: f.merchant.account.address, arbiterTimeout: DAY }),
    problem: "arbiterNotIndependent",
    error: "ArbiterNotIndependent",
  },
  {
    name: "the merchant's payout address as arbiter",
    change: (f) => ({ arbiter: f.payout.account.address, arbiterTimeout: DAY }),
    problem: "arbiterNotIndependent",
    error: "ArbiterNotIndependent",
  },
  {
    name: "a booking window that closes before it opens",
    change: { minLeadTime: 2 * DAY, maxAdvance: DAY, cancellationTiers: [] },
    problem: "emptyBookingWindow",
    error: "InvalidBookingWindow",
  },
  {
    name: "a no-show refund over 100 %",
    change: { noShowRefundBps: 10_001 },
    problem: "noShowShareAboveWhole",
    error: "ShareAboveWhole",
  },
  {
    name: "a tier refund over 100 %",
    change: { cancellationTiers: [{ secondsBeforeStart: DAY, refundBps: 10_001 }] },
    problem: "tierShareAboveWhole",
    error: "ShareAboveWhole",
  },
  {
    name: "tiers in increasing time",
    change: {
      cancellationTiers: [
        { secondsBeforeStart: DAY, refundBps: 10_000 },
        { secondsBeforeStart: 2 * DAY, refundBps: 5_000 },
      ],
    },
    problem: "tierOutOfOrder",
    error: "TierOutOfOrder",
  },
  {
    name: "a later tier refunding more",
    change: {
      cancellationTiers: [
        { secondsBeforeStart: 2 * DAY, refundBps: 5_000 },
        { secondsBeforeStart: DAY, refundBps: 10_000 },
      ],
    },
    problem: "tierOutOfOrder",
    error: "TierOutOfOrder",
  },
  {
    name: "too many tiers",
    change: {
      cancellationTiers: Array.from({ length: 6 }, (_, i) => ({ secondsBeforeStart: (6 - i) * DAY, refundBps: 5_000 })),
    },
    problem: "tooManyTiers",
    error: "TooManyTiers",
  },
  {
    name: "a dispute window over 30 days",
    change: { disputeWindow: 30 * DAY + 1 },
    problem: "disputeWindowTooLong",
    error: "DisputeWindowTooLong",
  },
  {
    name: "an arbiter without a timeout",
    change: { arbiter: ARBITER, arbiterTimeout: 0 },
    problem: "arbiterTimeoutInvalid",
    error: "InvalidArbiterTimeout",
  },
  {
    name: "an arbiter timeout over 30 days",
    change: { arbiter: ARBITER, arbiterTimeout: 30 * DAY + 1 },
    problem: "arbiterTimeoutInvalid",
    error: "InvalidArbiterTimeout",
  },
  {
    name: "metadata over 1024 bytes",
    change: { metadata: "é".repeat(513) },
    problem: "metadataTooLong",
    error: "MetadataTooLong",
  },
  // Accepted by the contract, but no customer could use them.
  {
    name: "a booking window of one second",
    change: { minLeadTime: DAY, maxAdvance: DAY, cancellationTiers: [] },
    problem: "emptyBookingWindow",
  },
  {
    name: "a tier earlier than anyone can book",
    change: { maxAdvance: 7 * DAY, cancellationTiers: [{ secondsBeforeStart: 8 * DAY, refundBps: 10_000 }] },
    problem: "tierUnreachable",
  },
];

describe("sdk terms", () => {
  it("uses the contract's limits", async () => {
    const { escrow } = await networkHelpers.loadFixture(deployEscrow);
    assert.equal(BigInt(MAX_TIERS), await escrow.read.MAX_TIERS());
    assert.equal(MAX_DISPUTE_WINDOW, await escrow.read.MAX_DISPUTE_WINDOW());
    assert.equal(MAX_ARBITER_TIMEOUT, await escrow.read.MAX_ARBITER_TIMEOUT());
    assert.equal(BigInt(MAX_METADATA_BYTES), await escrow.read.MAX_METADATA_BYTES());
    assert.equal(MAX_SLOT_LENGTH, await escrow.read.MAX_SLOT_LENGTH());
  });

  it("finds nothing wrong with sound terms, and the contract accepts them", async () => {
    const f: Base = await networkHelpers.loadFixture(deployEscrow);
    const sound: OfferingTerms = terms(f.grid, { arbiter: ARBITER, arbiterTimeout: 3 * DAY, maxFeeBps: FEE_BPS });
    const context = { merchant: f.merchant.account.address, payout: f.payout.account.address, feeBps: FEE_BPS };
    assert.deepEqual(validateTerms(sound, context), []);
    await f.escrow.write.createOffering([sound], { account: f.merchant.account });
    assert.equal(await f.escrow.read.offeringCount(), 1);
  });

  for (const c of cases) {
    it(`names ${c.name}${c.error ? ` (the contract reverts with ${c.error})` : " (the contract would accept it)"}`, async () => {
      const f: Base = await networkHelpers.loadFixture(deployEscrow);
      const bad: OfferingTerms = terms(f.grid, typeof c.change === "function" ? c.change(f) : c.change);
      const found = codes(bad, { merchant: f.merchant.account.address, payout: f.payout.account.address });
      assert.ok(found.includes(c.problem), `expected ${c.problem}, got ${found.join(", ") || "nothing"}`);
      const create = f.escrow.write.createOffering([bad], { account: f.merchant.account });
      if (c.error) await viem.assertions.revertWithCustomError(create, f.escrow, c.error);
      else await create;
    });
  }

  it("names the tier that breaks the order, and every problem at once", () => {
    const problems = validateTerms(
      terms(0, {
        depositPerSeat: 0n,
        noShowRefundBps: 20_000,
        cancellationTiers: [
          { secondsBeforeStart: 2 * DAY, refundBps: 10_000 },
          { secondsBeforeStart: DAY, refundBps: 5_000 },
          { secondsBeforeStart: DAY, refundBps: 2_500 },
        ],
      }),
    );
    assert.deepEqual(problems, [
      { code: "zeroDeposit" },
      { code: "noShowShareAboveWhole" },
      { code: "tierOutOfOrder", index: 2 },
    ]);
  });

  it("refuses values that do not fit the contract's fields", () => {
    const problems = validateTerms(terms(0, { seatsPerSlot: 65_536, depositPerSeat: 1n << 96n, slotLength: -HOUR }));
    assert.deepEqual(
      problems.filter((p) => p.code === "outOfRange").map((p) => (p.code === "outOfRange" ? p.field : "")),
      ["depositPerSeat", "seatsPerSlot", "slotLength"],
    );
  });

  it("names a fee cap below the fee in force: the contract takes the offering but refuses its bookings", async () => {
    const f: Base = await networkHelpers.loadFixture(deployEscrow);
    const capped = terms(f.grid, { maxFeeBps: FEE_BPS - 1 });
    assert.deepEqual(validateTerms(capped, { feeBps: FEE_BPS }), [
      { code: "maxFeeBelowCurrentFee", feeBps: FEE_BPS, maxFeeBps: FEE_BPS - 1 },
    ]);
    assert.deepEqual(codes(capped, { feeBps: FEE_BPS - 1 }), []);
    await f.escrow.write.createOffering([capped], { account: f.merchant.account });
    const book = f.escrow.write.book([1, await slotInDays(f.grid, 3), 1, detailsHash("capped")], {
      account: f.customer.account,
      value: ETH_DEPOSIT,
    });
    await viem.assertions.revertWithCustomError(book, f.escrow, "FeeAboveOfferingMaximum");
  });

  it("judges the arbiter's independence only by the addresses it is given", () => {
    const merchant: Address = "0x00000000000000000000000000000000000000b2";
    const payout: Address = "0x00000000000000000000000000000000000000b3";
    const judgedBy = (arbiter: Address, context: TermsContext) =>
      codes(terms(0, { arbiter, arbiterTimeout: DAY }), context);
    assert.deepEqual(judgedBy(merchant, { merchant }), ["arbiterNotIndependent"]);
    assert.deepEqual(judgedBy(payout, { merchant, payout }), ["arbiterNotIndependent"]);
    assert.deepEqual(judgedBy(payout, { merchant }), []);
    assert.deepEqual(codes(terms(0, { arbiter: zeroAddress }), { merchant, payout }), []);
  });
});
