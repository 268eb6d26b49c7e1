import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { zeroAddress, type Address } from "viem";
import { CheckInRule, describePolicy, parseMetadata, type OfferingTerms } from "@earnest/sdk";
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
/** The problems shown beside one field. */
const fieldProblems = (field: string) =>
  screen
    .queryAllByTestId("field-problem")
    .filter((p) => p.dataset.field === field)
    .map((p) => p.textContent);

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
    expect(within(screen.getByRole("alert")).getByText("A slot can last at most 30 d.")).toBeTruthy();
    expect(fieldProblems("slotLength")).toEqual(["A slot can last at most 30 d."]);
  });

  it("refuses a fee cap below the fee in force, which would leave the offering unbookable", () => {
    const { onPublish, type } = renderBuilder();
    type("offering-max-fee", "2");
    expect(problemCodes()).toEqual(["maxFeeBelowCurrentFee"]);
    expect(
      within(screen.getByRole("alert")).getByText(/the protocol fee is 2\.5 % now, above the 2 % you accept/),
    ).toBeTruthy();
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

describe("PolicyBuilder: every problem at once, and nothing previewed that does not hold", () => {
  beforeEach(async () => {
    await act(() => i18n.changeLanguage("en"));
  });

  it("shows typing problems and the terms' sense problems together, each beside its field and in one list", () => {
    const { onPublish, type } = renderBuilder();
    type("offering-deposit", "lots");
    type("offering-no-show", "150");
    fireEvent.click(screen.getByTestId("add-tier"));
    type("tier-1-before", "48");
    type("tier-1-refund", "50");
    expect(problemCodes()).toEqual(["notANumber", "noShowShareAboveWhole", "tierOutOfOrder"]);
    expect(fieldProblems("deposit")).toEqual(["Deposit per seat: not a number."]);
    expect(fieldProblems("noShow")).toEqual(["The no-show refund cannot be more than 100 %."]);
    expect(fieldProblems("tiers.1")).toEqual([expect.stringMatching(/^Tier 2 is out of order/)]);
    expect(within(screen.getByRole("alert")).getByText("3 things to fix before publishing:")).toBeTruthy();
    expect(screen.getByTestId<HTMLButtonElement>("publish").disabled).toBe(true);
    fireEvent.submit(screen.getByTestId("policy-builder"));
    expect(onPublish).not.toHaveBeenCalled();
  });

  it("names a blank field once, not also as a zero that makes no sense", () => {
    const { type } = renderBuilder();
    type("offering-deposit", "");
    type("offering-max-advance", "");
    expect(problemCodes()).toEqual(["required", "required"]);
    expect(fieldProblems("deposit")).toEqual(["Deposit per seat: required."]);
  });

  it("previews no policy while a share is out of range, and the right one once it is fixed", () => {
    const { type } = renderBuilder();
    type("offering-no-show", "150");
    expect(screen.queryByTestId("preview-no-show")).toBeNull();
    expect(screen.getByTestId("policy-preview").textContent).not.toMatch(/150/);
    expect(screen.getByTestId("policy-preview").textContent).toMatch(/The preview appears once/);
    type("offering-no-show", "15");
    expect(screen.getByTestId("preview-no-show").textContent).toMatch(/15 %/);
  });

  it("shows the fee in force and what the merchant receives per seat and per full slot, kept and no-show", () => {
    const { type } = renderBuilder();
    fireEvent.change(screen.getByTestId("offering-token"), { target: { value: USD } });
    type("offering-deposit", "25");
    type("offering-seats", "4");
    type("offering-no-show", "20");
    expect(screen.getByTestId("current-fee").textContent).toMatch(/is 2\.5 % now/);
    const row = (outcome: string) =>
      within(screen.getByTestId(`receive-${outcome}`))
        .getAllByRole("cell")
        .map((cell) => cell.textContent);
    // Kept: the fee is 2.5 % of the deposit. 25 → 24.375 (0.625); 4 seats, 100 → 97.5 (2.5).
    expect(row("fulfilled")).toEqual(["24.375 mUSD (fee 0.625 mUSD)", "97.5 mUSD (fee 2.5 mUSD)"]);
    // No-show: 20 % back to the customer, the fee out of the other 80 %. 25 → 5 back, 19.5 (0.5); 100 → 78 (2).
    expect(row("noShow")).toEqual(["19.5 mUSD (fee 0.5 mUSD)", "78 mUSD (fee 2 mUSD)"]);
    expect(screen.getByTestId("receive").textContent).toMatch(/Full slot \(4 seats\)/);
    expect(screen.getByTestId("receive").textContent).toMatch(/No-show \(20 % back to the customer\)/);

    // Rounding down as the contract does: 0.000003 mUSD a seat keeps 0.000003 (the 2.5 % fee is under one unit).
    type("offering-deposit", "0.000003");
    expect(row("fulfilled")[0]).toBe("0.000003 mUSD (fee 0 mUSD)");

    type("offering-no-show", "120");
    expect(screen.queryByTestId("receive")).toBeNull();
  });

  it("offers the IANA zones by region, starts from the zone it is given, and refuses free text", () => {
    const { type } = renderBuilder();
    const zone = screen.getByTestId<HTMLInputElement>("offering-time-zone");
    expect(zone.value).toBe("Asia/Tokyo");
    const options = [...screen.getByTestId("time-zone-options").querySelectorAll("option")];
    expect(options.map((o) => o.value)).toEqual([
      ...Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC"),
      "UTC",
    ]);
    const label = (zone: string) => options.find((o) => o.value === zone)?.getAttribute("label");
    expect(label("Europe/Rome")).toMatch(/^Europe · Rome \(UTC\+0[12]:00\)$/);
    expect(label("America/Argentina/San_Juan")).toBe("America · Argentina / San Juan (UTC−03:00)");
    expect(label("UTC")).toBe("UTC");

    for (const text of ["UTC+2", "EST", "Rome", "Mars/Olympus"]) {
      type("offering-time-zone", text);
      expect(problemCodes(), text).toEqual(["unknownTimeZone"]);
      expect(zone.getAttribute("aria-invalid")).toBe("true");
    }
    type("offering-time-zone", "");
    expect(problemCodes()).toEqual(["required"]);
    expect(fieldProblems("timeZone")).toEqual(["Venue time zone: required."]);
    type("offering-time-zone", "europe/rome");
    expect(problemCodes()).toEqual([]);
    expect(screen.getByTestId("preview-slots").textContent).toMatch(/Europe\/Rome/);
  });

  it("writes structured opening hours to the metadata and previews them", () => {
    const { onPublish, type } = renderBuilder();
    expect(screen.getByTestId("preview-hours").textContent).toMatch(/open around the clock/);
    fireEvent.click(screen.getByTestId("add-period"));
    for (const day of [1, 2, 3, 4, 5]) fireEvent.click(screen.getByTestId(`period-0-day-${day}`));
    fireEvent.click(screen.getByTestId("add-period"));
    fireEvent.click(screen.getByTestId("period-1-day-6"));
    type("period-1-closes", "02:00");
    expect(problemCodes()).toEqual([]);
    expect(screen.getByTestId("preview-hours").textContent).toBe(
      "Mon–Fri 6:00 PM–11:00 PM · Sat 6:00 PM–2:00 AM the next day",
    );

    fireEvent.click(screen.getByTestId("publish"));
    const metadata = JSON.parse(onPublish.mock.calls[0][0].metadata) as unknown;
    expect(metadata).toEqual({
      name: "Tea ceremony",
      timeZone: "Asia/Tokyo",
      openingHours: [
        { days: [1, 2, 3, 4, 5], opens: "18:00", closes: "23:00" },
        { days: [6], opens: "18:00", closes: "02:00" },
      ],
    });
    expect(parseMetadata(onPublish.mock.calls[0][0].metadata).openingHours).toEqual(
      (metadata as { openingHours: unknown }).openingHours,
    );

    fireEvent.click(screen.getByTestId("period-1-remove"));
    expect(screen.queryAllByTestId("opening-period")).toHaveLength(1);
  });

  it("names opening hours that cannot work", () => {
    const { onPublish, type } = renderBuilder();
    fireEvent.click(screen.getByTestId("add-period"));
    expect(problemCodes()).toEqual(["noDays"]);
    expect(fieldProblems("openingHours.0")).toEqual(["Opening hours 1: tick at least one day."]);
    fireEvent.click(screen.getByTestId("period-0-day-7"));
    type("period-0-closes", "18:00");
    expect(problemCodes()).toEqual(["opensWhenCloses"]);
    type("period-0-closes", "");
    expect(problemCodes()).toEqual(["required"]);
    // Slots of a day from 18:00 never start between 10:00 and 12:00: nobody would be offered a slot.
    type("offering-slot-length", "24");
    type("period-0-opens", "10:00");
    type("period-0-closes", "12:00");
    for (const day of [1, 2, 3, 4, 5, 6]) fireEvent.click(screen.getByTestId(`period-0-day-${day}`));
    expect(problemCodes()).toEqual(["noSlotInHours"]);
    type("period-0-closes", "18:01");
    expect(problemCodes()).toEqual([]);
    type("offering-no-show", "150");
    expect(problemCodes()).toEqual(["noShowShareAboveWhole"]);
    fireEvent.submit(screen.getByTestId("policy-builder"));
    expect(onPublish).not.toHaveBeenCalled();
  });
});
