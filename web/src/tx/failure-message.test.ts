import { beforeAll, describe, expect, it } from "vitest";
import { BookingStatus, earnestEscrowAbi, errorNames, relayerRefusalCodes, verifiedReviewsAbi } from "@earnest/sdk";
import i18n, { loadNamespaces } from "../i18n";
import { firstVisitMessages, lazyResources } from "../i18n/resources";
import { failureMessage } from "./failure-message";

describe("failure messages", () => {
  // Loaded with the first transaction, as TxProvider does.
  beforeAll(() => loadNamespaces("errors"));

  it("has a sentence for every custom error of the escrow and of the reviews contract, in both languages", async () => {
    const names = [...errorNames(earnestEscrowAbi), ...errorNames(verifiedReviewsAbi)];
    expect(names).toContain("ReviewWindowClosed");
    for (const locale of ["en", "zh-CN"] as const) {
      const sentences = (await lazyResources.errors[locale]()).default as Record<string, string>;
      const missing = names.filter((name) => !sentences[name]);
      expect(missing, locale).toEqual([]);
    }
  });

  it("fills a review error's values: its time, its status and its byte counts", async () => {
    await i18n.changeLanguage("en");
    const closed = failureMessage({ kind: "contract", name: "ReviewWindowClosed", args: [7n, 1_800_000_000n] }, i18n.t);
    expect(closed).toMatch(/^The time to review this visit ended on .*2027.*\.$/);
    expect(closed).not.toContain("1800000000");
    const status = failureMessage(
      { kind: "contract", name: "BookingNotFulfilled", args: [7n, BookingStatus.NoShow] },
      i18n.t,
    );
    expect(status).toBe(`Only a fulfilled visit can be reviewed; this booking is ${i18n.t("status.7")}.`);
    expect(failureMessage({ kind: "contract", name: "TextTooLong", args: [501n, 500n] }, i18n.t)).toBe(
      "The text is too long (501 bytes; at most 500).",
    );
  });

  it("words every refusal a relayer can answer with, in both languages", async () => {
    for (const locale of ["en", "zh-CN"] as const) {
      const sentences = (await firstVisitMessages(locale)).common.relayer as Record<string, string>;
      const missing = relayerRefusalCodes.filter((code) => !sentences[code]);
      expect(missing, locale).toEqual([]);
    }
    await i18n.changeLanguage("en");
    const limited = { kind: "relayerRefused", code: "RateLimited", details: { retryAfter: 90 } } as const;
    expect(failureMessage(limited, i18n.t)).toBe(
      "Too many bookings through the relayer just now. Nothing was booked; try again in 90 seconds.",
    );
    const budget = { kind: "relayerRefused", code: "BudgetExhausted", details: { retryAfter: 5 * 3600 } } as const;
    expect(failureMessage(budget, i18n.t)).toMatch(/try again in 5 hours\.$/);
    expect(failureMessage({ kind: "relayerRefused", code: "Teapot", details: {} }, i18n.t)).toBe(
      "The relayer refused: Teapot. Nothing was booked.",
    );
    await i18n.changeLanguage("zh-CN");
    expect(failureMessage(limited, i18n.t)).toMatch(/90 秒后重试/);
    expect(failureMessage({ kind: "relayerUnreachable" }, i18n.t)).toMatch(/没有响应/);
    await i18n.changeLanguage("en");
  });

  it("fills an error's values into its sentence", async () => {
    await i18n.changeLanguage("en");
    const text = failureMessage({ kind: "contract", name: "SlotFull", args: [1, 1_800_000_000, 0n, 2] }, i18n.t);
    expect(text).toBe("This slot is full: 0 seats left, 2 asked for.");
  });

  it("formats amounts with the token when the caller knows it", async () => {
    await i18n.changeLanguage("en");
    const text = failureMessage({ kind: "contract", name: "WrongPayment", args: [10n, 5n] }, i18n.t, (v) => `${v} wei`);
    expect(text).toBe("The payment must be exactly 10 wei (sent 5 wei).");
  });

  it("names the staff role an action needs, and says a claim is the merchant's alone", async () => {
    await i18n.changeLanguage("en");
    const caller = "0x00000000000000000000000000000000000000aa";
    expect(failureMessage({ kind: "contract", name: "NotMerchantOrStaff", args: [7n, caller, 1] }, i18n.t)).toBe(
      "Only the merchant of this booking, or its staff allowed to check customers in, can do that.",
    );
    expect(failureMessage({ kind: "contract", name: "NotMerchantOrStaff", args: [7n, caller, 0] }, i18n.t)).toBe(
      "Only the merchant of this offering can do that.",
    );
  });

  it("writes durations with the plural Intl picks", async () => {
    await i18n.changeLanguage("en");
    expect(failureMessage({ kind: "contract", name: "SlotTooLong", args: [2_600_000, 86_400] }, i18n.t)).toBe(
      "A slot may last at most 1 day.",
    );
    expect(failureMessage({ kind: "contract", name: "SlotTooLong", args: [2_600_000, 2_592_000] }, i18n.t)).toBe(
      "A slot may last at most 30 days.",
    );
    await i18n.changeLanguage("zh-CN");
    expect(failureMessage({ kind: "contract", name: "SlotTooLong", args: [2_600_000, 86_400] }, i18n.t)).toBe(
      "时段最长为 1 天。",
    );
    await i18n.changeLanguage("en");
  });

  it("keeps a rejection calm in Chinese too", async () => {
    await i18n.changeLanguage("zh-CN");
    expect(failureMessage({ kind: "rejected" }, i18n.t)).toMatch(/拒绝了/);
    await i18n.changeLanguage("en");
  });
});
