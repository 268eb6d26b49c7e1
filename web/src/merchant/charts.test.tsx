import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { BarChart, HeatMap } from "./charts";
import { passTokenFrom } from "./pass-link";

describe("charts", () => {
  it("draws one cell per weekday and hour, the busiest darkest", () => {
    const cells = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    cells[4][19] = 8;
    cells[5][12] = 2;
    render(<HeatMap cells={cells} dayLabels={["M", "T", "W", "T", "F", "S", "S"]} label="peak" />);
    const rects = screen.getByTestId("heat-map").querySelectorAll("rect");
    expect(rects).toHaveLength(7 * 24);
    const opacity = (day: number, hour: number) => Number(rects[day * 24 + hour].getAttribute("fill-opacity"));
    expect(opacity(4, 19)).toBe(1);
    expect(opacity(5, 12)).toBeLessThan(opacity(4, 19));
    expect(opacity(0, 0)).toBeLessThan(opacity(5, 12));
    expect(rects[4 * 24 + 19].textContent).toBe("F 19:00 — 8");
  });

  it("scales bars to the largest value", () => {
    render(
      <BarChart
        testId="bars"
        label="lead"
        bars={[
          { label: "a", value: 5, title: "five" },
          { label: "b", value: 10, title: "ten" },
          { label: "c", value: 0, title: "none" },
        ]}
      />,
    );
    const heights = [...screen.getByTestId("bars").querySelectorAll("rect")].map((r) =>
      Number(r.getAttribute("height")),
    );
    expect(heights).toEqual([50, 100, 0]);
  });

  it("prints every bar's value, formatted when the caller formats it, and is named with its values", () => {
    render(
      <BarChart
        testId="bars"
        label="Revenue: 2025-03-03: 1.5 ETH; 2025-03-10: 0 ETH"
        bars={[
          { label: "2025-03-03", value: 1.5, valueLabel: "1.5", title: "1.5 ETH" },
          { label: "2025-03-10", value: 0, title: "0 ETH" },
        ]}
      />,
    );
    const chart = screen.getByRole("img", { name: "Revenue: 2025-03-03: 1.5 ETH; 2025-03-10: 0 ETH" });
    expect([...chart.querySelectorAll('[data-testid="bar-value"]')].map((v) => v.textContent)).toEqual(["1.5", "0"]);
  });

  it("prints the count in every busy cell of the heat map and none in the empty ones", () => {
    const cells = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    cells[4][19] = 8;
    cells[0][7] = 120;
    render(<HeatMap cells={cells} dayLabels={["M", "T", "W", "T", "F", "S", "S"]} label="peak: F 19:00: 8 seats" />);
    const map = screen.getByRole("img", { name: "peak: F 19:00: 8 seats" });
    const values = [...map.querySelectorAll('[data-testid="heat-value"]')];
    expect(values.map((v) => v.textContent)).toEqual(["120", "8"]);
    // Text on the dark (busiest) cell is light, on a pale cell dark, so each number stays readable.
    expect(values.map((v) => v.classList.contains("inverse"))).toEqual([true, false]);
  });
});

describe("pass links", () => {
  it("takes the token from a pasted link, a scanned URL or the bare token", () => {
    expect(passTokenFrom(" https://earnest.example/app/#/pass/eyJj_b-9 ")).toBe("eyJj_b-9");
    expect(passTokenFrom("http://127.0.0.1:4173/#/pass/abc?x=1")).toBe("abc");
    expect(passTokenFrom("eyJjIjoxfQ")).toBe("eyJjIjoxfQ");
  });
});
