import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { zeroAddress, type Address } from "viem";
import { CheckInRule, describePolicy, type OfferingTerms } from "@earnest/sdk";
import i18n from "../i18n";
import { PolicyBuilder } from "./PolicyBuilder";
import { defaultForm } from "./policy-form";

const MERCHANT: Address = "0x00000000000000000000000000000000000000aa";
const PAYOUT: Address = "0x00000000000000000000000000000000000000bb";
/** The protocol fee in force: 2.5 %. */
const FEE_BPS = 250;
const USD: Address = "0x00000000000000000000000000000000000000d5";
const tokens = [
  { address: zeroAddress, symbol: "ETH", decimals: 18 },
  { address: USD, symbol: "mUSD", decimals: 6 },
];

function renderBuilder() {
  const onPublish = vi.fn<(terms: OfferingTerms) => void>();
  render(
    <PolicyBuilder
      initial={defaultForm("Asia/Tokyo", "2030-05-01", FEE_BPS)}
      tokens={tokens}
      merchant={MERCHANT}
      payout={PAYOUT}
      feeBps={FEE_BPS}
      busy={false}
      onPublish={onPublish}
    />,
  );
  const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });
  type("offering-name", "Tea ceremony");
  type("offering-deposit", "25");
  return { onPublish, type };
}

const problemCodes = () => screen.queryAllByTestId("problem").map((p) => p.dataset.code);

describe("PolicyBuilder", () => {
  beforeEach(async () => {
    await act(() => i18n.changeLanguage("en"));
  });
  afterEach(async () => {
    await act(() => i18n.changeLanguage("en"));
  });

  it("previews the policy in the words customers read and publishes exactly those terms", () => {
    const { onPublish, type } = renderBuilder();
    fireEvent.change(screen.getByTestId("offering-token"), { target: { value: USD } });
    type("tier-0-before", "48");
    fireEvent.click(screen.getByTestId("add-tier"));
    type("tier-1-before", "24");
    type("tier-1-refund", "50");
    type("offering-no-show", "20");
    type("offering-arbiter", "0x00000000000000000000000000000000000000a1");

    const terms: OfferingTerms = {
      token: USD,
      depositPerSeat: 25_000_000n,
      seatsPerSlot: 4,
      slotLength: 7_200,
      firstSlotStart: Date.parse("2030-05-01T18:00:00+09:00") / 1000,
      minLeadTime: 3_600,
      maxAdvance: 60 * 86_400,
      noShowRefundBps: 2_000,
      disputeWindow: 86_400,
      arbiter: "0x00000000000000000000000000000000000000a1",
      arbiterTimeout: 3 * 86_400,
      // What the merchant sees is what it accepts: the merchant's word, and at most the fee in force now.
      checkInRule: CheckInRule.MerchantWord,
      maxFeeBps: FEE_BPS,
      cancellationTiers: [
        { secondsBeforeStart: 48 * 3_600, refundBps: 10_000 },
        { secondsBeforeStart: 24 * 3_600, refundBps: 5_000 },
      ],
      metadata: JSON.stringify({ name: "Tea ceremony", timeZone: "Asia/Tokyo" }),
    };
    const words = describePolicy(terms, "en");
    expect(screen.getByTestId("preview-cancellation").textContent).toBe(words.cancellation);
    expect(screen.getByTestId("preview-no-show").textContent).toBe(words.noShow);
    expect(screen.getByTestId("preview-disputes").textContent).toBe(words.disputes);
    expect(screen.getByTestId("preview-check-in").textContent).toBe(words.checkIn);
    expect(screen.getByTestId("preview-settlement").textContent).toBe(words.settlement);
    expect(screen.getByTestId("preview-fee").textContent).toBe(words.fee);
    expect(screen.getByTestId("current-fee").textContent).toMatch(/is 2\.5 % now \(never above 10 %/);
    expect(problemCodes()).toEqual([]);

    fireEvent.click(screen.getByTestId("publish"));
    expect(onPublish).toHaveBeenCalledExactlyOnceWith(terms);
  });

  it("refuses tiers out of order before any transaction", () => {
    const { onPublish, type } = renderBuilder();
    fireEvent.click(screen.getByTestId("add-tier"));
    type("tier-1-before", "48");
    type("tier-1-refund", "50");
    expect(problemCodes()).toEqual(["tierOutOfOrder"]);
    expect(within(screen.getByRole("alert")).getByText(/Tier 2 is out of order/)).toBeTruthy();
    expect(screen.getByTestId<HTMLButtonElement>("publish").disabled).toBe(true);
    fireEvent.submit(screen.getByTestId("policy-builder"));
    expect(onPublish).not.toHaveBeenCalled();
  });

  it("refuses shares over 100 %", () => {
    const { onPublish, type } = renderBuilder();
    type("offering-no-show", "150");
    type("tier-0-refund", "100.5");
    expect(problemCodes()).toEqual(["noShowShareAboveWhole", "tierShareAboveWhole"]);
    fireEvent.submit(screen.getByTestId("policy-builder"));
    expect(onPublish).not.toHaveBeenCalled();
  });

  it("refuses a booking window that nobody could book in, and a tier earlier than anyone can book", () => {
    const { onPublish, type } = renderBuilder();
    type("offering-min-lead", "2");
    fireEvent.change(screen.getByTestId("offering-min-lead-unit"), { target: { value: "d" } });
    type("offering-max-advance", "12");
    fireEvent.change(screen.getByTestId("offering-max-advance-unit"), { target: { value: "h" } });
    expect(problemCodes()).toContain("emptyBookingWindow");
    expect(problemCodes()).toContain("tierUnreachable");
    fireEvent.submit(screen.getByTestId("policy-builder"));
    expect(onPublish).not.toHaveBeenCalled();
  });

  it("names fields that cannot be read, and waits with the preview", () => {
    const { type } = renderBuilder();
    type("offering-deposit", "");
    type("offering-seats", "four");
    type("offering-arbiter", "0x1234");
    type("offering-time-zone", "Mars/Olympus");
    expect(problemCodes()).toEqual(["unknownTimeZone", "required", "notAnAddress", "notANumber"]);
    expect(screen.queryByTestId("preview-cancellation")).toBeNull();
  });

  it("refuses the merchant or its payout address as arbiter", () => {
    const { type } = renderBuilder();
    type("offering-arbiter", MERCHANT);
    expect(problemCodes()).toEqual(["arbiterNotIndependent"]);
    type("offering-arbiter", PAYOUT);
    expect(problemCodes()).toEqual(["arbiterNotIndependent"]);
  });

  it("refuses a slot over 30 days", () => {
    const { type } = renderBuilder();
    type("offering-slot-length", "31");
    fireEvent.change(screen.getByTestId("offering-slot-length-unit"), { target: { value: "d" } });
    expect(problemCodes()).toContain("slotTooLong");
    expect(screen.getByText("A slot can last at most 30 d.")).toBeTruthy();
  });

  it("refuses a fee cap below the fee in force, which would leave the offering unbookable", () => {
    const { onPublish, type } = renderBuilder();
    type("offering-max-fee", "2");
    expect(problemCodes()).toEqual(["maxFeeBelowCurrentFee"]);
    expect(screen.getByText(/the protocol fee is 2\.5 % now, above the 2 % you accept/)).toBeTruthy();
    fireEvent.submit(screen.getByTestId("policy-builder"));
    expect(onPublish).not.toHaveBeenCalled();
  });

  it("publishes the customer-signature rule and any fee up to the cap when the merchant asks for them", () => {
    const { onPublish, type } = renderBuilder();
    fireEvent.click(screen.getByTestId("check-in-rule-1"));
    type("offering-max-fee", "10");
    expect(screen.getByTestId("preview-check-in").textContent).toMatch(/^Check-in by your signed code only/);
    expect(screen.getByTestId("preview-fee").textContent).toMatch(/accepts any fee up to the 10 % cap/);
    fireEvent.click(screen.getByTestId("publish"));
    expect(onPublish.mock.calls[0][0]).toMatchObject({ checkInRule: CheckInRule.CustomerSignature, maxFeeBps: 1_000 });
  });

  it("previews in Simplified Chinese with the sdk's wording", async () => {
    renderBuilder();
    await act(() => i18n.changeLanguage("zh-CN"));
    const tiers = [{ secondsBeforeStart: 24 * 3_600, refundBps: 10_000 }];
    expect(screen.getByTestId("preview-cancellation").textContent).toBe(
      describePolicy(
        {
          cancellationTiers: tiers,
          noShowRefundBps: 0,
          disputeWindow: 86_400,
          arbiter: zeroAddress,
          arbiterTimeout: 0,
          checkInRule: CheckInRule.MerchantWord,
          maxFeeBps: FEE_BPS,
        },
        "zh-CN",
      ).cancellation,
    );
    expect(screen.getByText("发布")).toBeTruthy();
  });
});
