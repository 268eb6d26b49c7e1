// The policy in plain words (what customers read before paying) and when a refund next drops.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { zeroAddress } from "viem";
import {
  CheckInRule,
  describeCancellation,
  describeCheckIn,
  describeDisputes,
  describeFee,
  describeNoShow,
  describePolicy,
  describeSettlement,
  formatDuration,
  MAX_FEE_BPS,
  nextRefundDrop,
} from "@earnest/sdk";

const HOUR = 3600;
const flexible = [
  { secondsBeforeStart: 48 * HOUR, refundBps: 10_000 },
  { secondsBeforeStart: 24 * HOUR, refundBps: 5_000 },
];

describe("policy wording", () => {
  it("words the issue's example exactly", () => {
    assert.equal(
      describeCancellation(flexible, "en"),
      "Full refund until 48 h before, then 50 % until 24 h before, then none.",
    );
    assert.equal(
      describeCancellation(flexible, "zh-CN"),
      "开始前 48 小时之前取消可全额退款，此后开始前 24 小时之前取消退还 50%，之后不退款。",
    );
  });

  it("says there is no refund when there are no tiers or only zero tiers", () => {
    assert.equal(describeCancellation([], "en"), "No refund on cancellation.");
    assert.equal(
      describeCancellation([{ secondsBeforeStart: HOUR, refundBps: 0 }], "en"),
      "No refund on cancellation.",
    );
  });

  it("folds tiers of the same share and ends a tier at the start without 'then none'", () => {
    const tiers = [
      { secondsBeforeStart: 72 * HOUR, refundBps: 8_000 },
      { secondsBeforeStart: 36 * HOUR, refundBps: 8_000 },
      { secondsBeforeStart: 0, refundBps: 2_000 },
    ];
    assert.equal(describeCancellation(tiers, "en"), "80 % until 36 h before, then 20 % until the start.");
  });

  it("words no-show shares and disputes", () => {
    assert.equal(describeNoShow(0, "en"), "No-show: the deposit goes to the merchant.");
    assert.equal(describeNoShow(2_500, "en"), "No-show: 25 % of the deposit is refunded.");
    assert.equal(describeNoShow(10_000, "zh-CN"), "未到场：押金全额退还。");
    assert.equal(
      describeDisputes({ arbiter: zeroAddress, arbiterTimeout: 0, disputeWindow: HOUR }, "en"),
      "No disputes: this offering has no arbiter.",
    );
    assert.match(
      describeDisputes(
        {
          arbiter: "0x0000000000000000000000000000000000000001",
          arbiterTimeout: 3 * 24 * HOUR,
          disputeWindow: 24 * HOUR,
        },
        "en",
      ),
      /until 24 h after it ends; the arbiter rules within 3 d/,
    );
  });

  it("says what each check-in rule means for the customer", () => {
    assert.equal(
      describeCheckIn(CheckInRule.CustomerSignature, "en"),
      "Check-in by your signed code only: without it you get the no-show refund. You can sign it on your pass from 1 h before the start; once the venue submits it, you can no longer cancel.",
    );
    assert.equal(
      describeCheckIn(CheckInRule.MerchantWord, "en"),
      "Your signed code checks you in from 1 h before the start and ends your right to cancel; the venue may also check you in on its word from the start of your slot.",
    );
    assert.match(describeCheckIn(CheckInRule.CustomerSignature, "zh-CN"), /^只凭您签名的签到码签到/);
    assert.match(describeCheckIn(CheckInRule.MerchantWord, "zh-CN"), /开始前 1 小时起/);
  });

  it("says that anyone may settle once the dispute window is over", () => {
    assert.equal(
      describeSettlement({ arbiter: zeroAddress, disputeWindow: 2 * HOUR }, "en"),
      "2 h after the slot ends, anyone, you included, can settle the booking: what these rules give you never waits on the merchant.",
    );
    assert.match(
      describeSettlement({ arbiter: "0x0000000000000000000000000000000000000001", disputeWindow: 24 * HOUR }, "en"),
      /^24 h after the slot ends \(if disputed, once the arbiter rules or its time runs out\), anyone/,
    );
    assert.match(
      describeSettlement({ arbiter: zeroAddress, disputeWindow: HOUR }, "zh-CN"),
      /任何人（包括您）都可结算/,
    );
  });

  it("words the highest fee the offering accepts, and the cap in code", () => {
    assert.equal(
      describeFee(250, "en"),
      "The protocol fee comes out of the merchant's share, never your refund; this offering takes no new bookings while the fee is above 2.5 %.",
    );
    assert.match(describeFee(MAX_FEE_BPS, "en"), /accepts any fee up to the 10 % cap in code\.$/);
    assert.match(describeFee(60_000, "en"), /up to the 10 % cap/);
    assert.match(describeFee(0, "zh-CN"), /协议费高于 0%时/);
  });

  it("gathers every part of the policy", () => {
    const terms = {
      cancellationTiers: flexible,
      noShowRefundBps: 2_000,
      disputeWindow: HOUR,
      arbiter: zeroAddress,
      arbiterTimeout: 0,
      checkInRule: CheckInRule.CustomerSignature,
      maxFeeBps: 100,
    };
    assert.deepEqual(describePolicy(terms, "en"), {
      cancellation: describeCancellation(flexible, "en"),
      noShow: describeNoShow(2_000, "en"),
      checkIn: describeCheckIn(CheckInRule.CustomerSignature, "en"),
      disputes: describeDisputes(terms, "en"),
      settlement: describeSettlement(terms, "en"),
      fee: describeFee(100, "en"),
    });
  });

  it("writes durations in at most two units", () => {
    assert.equal(formatDuration(90 * 60, "en"), "1 h 30 min");
    assert.equal(formatDuration(48 * HOUR, "en"), "48 h");
    assert.equal(formatDuration(26 * HOUR + 5, "en"), "26 h");
    assert.equal(formatDuration(7 * 24 * HOUR + 3 * HOUR, "en"), "7 d 3 h");
    assert.equal(formatDuration(0, "zh-CN"), "0 秒");
    assert.equal(formatDuration(HOUR, "zh-CN"), "1 小时");
  });
});

describe("nextRefundDrop", () => {
  const start = 1_000_000;

  it("drops from the full refund to the next tier one second after its boundary", () => {
    assert.deepEqual(nextRefundDrop(flexible, start, start - 72 * HOUR), {
      at: start - 48 * HOUR + 1,
      refundBps: 5_000,
    });
    assert.deepEqual(nextRefundDrop(flexible, start, start - 30 * HOUR), { at: start - 24 * HOUR + 1, refundBps: 0 });
  });

  it("has no drop once the refund is already none or the slot has started", () => {
    assert.equal(nextRefundDrop(flexible, start, start - HOUR), undefined);
    assert.equal(nextRefundDrop(flexible, start, start), undefined);
  });

  it("skips tiers of the same share and ends a last tier at the start", () => {
    const tiers = [
      { secondsBeforeStart: 48 * HOUR, refundBps: 10_000 },
      { secondsBeforeStart: 24 * HOUR, refundBps: 10_000 },
      { secondsBeforeStart: 0, refundBps: 5_000 },
    ];
    assert.deepEqual(nextRefundDrop(tiers, start, start - 72 * HOUR), { at: start - 24 * HOUR + 1, refundBps: 5_000 });
    assert.deepEqual(nextRefundDrop(tiers, start, start - HOUR), { at: start, refundBps: 0 });
  });
});
