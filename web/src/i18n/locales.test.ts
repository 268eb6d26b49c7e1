import { describe, expect, it } from "vitest";
import { lazyResources, resources, type Locale } from "./resources";

/** Every namespace of `locale`, the bundled and the lazily loaded. */
async function allMessages(locale: Locale): Promise<Record<string, unknown>> {
  const lazy = await Promise.all(
    Object.entries(lazyResources).map(async ([ns, load]) => [ns, (await load[locale]()).default] as const),
  );
  return { ...resources[locale], ...Object.fromEntries(lazy) };
}

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keys(child, prefix ? `${prefix}.${key}` : key));
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();
}

const [en, zh] = await Promise.all([allMessages("en"), allMessages("zh-CN")]);

describe("locales", () => {
  it("has the same namespaces and keys in English and Simplified Chinese", () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort());
  });

  it("uses the same placeholders in both languages", () => {
    const lookup = (tree: unknown, path: string) =>
      path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], tree);
    for (const path of keys(en)) {
      const [a, b] = [lookup(en, path), lookup(zh, path)];
      expect(typeof b, path).toBe("string");
      expect(placeholders(b as string), path).toEqual(placeholders(a as string));
    }
  });

  it("leaves no string empty", () => {
    for (const tree of [en, zh]) {
      for (const path of keys(tree)) {
        const value = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], tree);
        expect(String(value).trim(), path).not.toBe("");
      }
    }
  });
});
