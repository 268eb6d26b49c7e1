import { act, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import i18n from "../i18n";
import { LoyaltyProgressItem } from "./RewardsPanel";

const rule = { visits: 3, discountBps: 2_000 };

function progress(fulfilled: number, r = rule) {
  const { unmount } = render(
    <ul>
      <LoyaltyProgressItem rule={r} fulfilled={fulfilled} name="Tea ceremony" venue="Kyoto Tea Room" />
    </ul>,
  );
  const text = [screen.getByTestId("loyalty-next").textContent, screen.getByTestId("loyalty-visits").textContent];
  unmount();
  return text;
}

describe("LoyaltyProgressItem", () => {
  afterEach(async () => {
    await act(() => i18n.changeLanguage("en"));
  });

  it("counts the fulfilled visits to the next reward, starting again after each one", () => {
    expect(progress(0)).toEqual(["3 more visits for 20 % off a seat at Tea ceremony", "0 of 3 visits done"]);
    expect(progress(1)).toEqual(["2 more visits for 20 % off a seat at Tea ceremony", "1 of 3 visits done"]);
    expect(progress(2)).toEqual(["1 more visit for 20 % off a seat at Tea ceremony", "2 of 3 visits done"]);
    // The third visit earned a reward: the count starts again.
    expect(progress(3)).toEqual(["3 more visits for 20 % off a seat at Tea ceremony", "0 of 3 visits done"]);
    expect(progress(7, { visits: 4, discountBps: 1_250 })[0]).toBe(
      "1 more visit for 12.5 % off a seat at Tea ceremony",
    );
  });

  it("names the offering and its venue", () => {
    render(
      <ul>
        <LoyaltyProgressItem rule={rule} fulfilled={1} name="Tea ceremony" venue="Kyoto Tea Room" />
      </ul>,
    );
    expect(screen.getByRole("heading", { level: 3 }).textContent).toBe("Tea ceremony · Kyoto Tea Room");
  });

  it("says it in Chinese, which has one plural form", async () => {
    await act(() => i18n.changeLanguage("zh-CN"));
    expect(progress(2)).toEqual(["再完成 1 次到访，即可在 Tea ceremony 享一个座位 20% 的优惠", "已完成 2 / 3 次到访"]);
    expect(progress(4)[0]).toBe("再完成 2 次到访，即可在 Tea ceremony 享一个座位 20% 的优惠");
  });
});
