// Accessibility checks in the browser tests: axe-core run against what the page shows at that moment (WCAG 2.2
// A and AA rules, 2.0 and 2.1 included), failing the test with each violation named; and what reaches past a phone's
// screen.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

type Violation = { id: string; help: string; nodes: { target: string[] }[] };

/** axe-core's browser build, when the package is installed. */
async function axeSource(): Promise<string | undefined> {
  try {
    return await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  } catch {
    return undefined;
  }
}

/** Whether the axe checks can run here (the `axe-core` dev dependency is installed). */
export const axeAvailable = (await axeSource()) !== undefined;

/** Fails with every WCAG 2.2 A/AA violation axe finds in `page` (within `selector`, when given). */
export async function expectAccessible(page: Page, selector?: string): Promise<void> {
  const source = await axeSource();
  assert.ok(source, "axe-core is not installed: add it as a dev dependency to run the accessibility checks");
  await page.addScriptTag({ content: source });
  const violations = await page.evaluate(async (context) => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(context ?? document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    return result.violations;
  }, selector);
  const list = (violations as Violation[]).map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`,
  );
  assert.deepEqual(list, [], `accessibility violations:\n${list.join("\n")}`);
}

/** Every shown element reaching past the right edge of the screen, named for the failure message. */
export function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    return [...document.querySelectorAll("body *")]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > limit + 0.5;
      })
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)} px)`);
  });
}
