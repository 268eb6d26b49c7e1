import { describe, expect, it } from "vitest";
import { firstVisitMessages, lazyResources, type Locale } from "./resources";

/** Every namespace of `locale`, the bundled and the lazily loaded. */
async function allMessages(locale: Locale): Promise<Record<string, unknown>> {
  const lazy = await Promise.all(
    Object.entries(lazyResources).map(async ([ns, load]) => [ns, (await load[locale]()).default] as const),
  );
  return { ...(await firstVisitMessages(locale)), ...Object.fromEntries(lazy) };
}

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keys(child, prefix ? `${prefix}.${key}` : key));
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();
}

/** A key without its plural category: languages have different plural forms of the same message. */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, "");

/** Every key of `tree`, plural forms folded into one. */
function messageKeys(tree: unknown): string[] {
  return [...new Set(keys(tree).map(base))].sort();
}

const [en, zh] = await Promise.all([allMessages("en"), allMessages("zh-CN")]);

describe("locales", () => {
  it("has the same namespaces and keys in English and Simplified Chinese", () => {
    expect(messageKeys(zh)).toEqual(messageKeys(en));
  });

  it("gives every plural message its 'other' form, in both languages", () => {
    for (const tree of [en, zh]) {
      const all = new Set(keys(tree));
      for (const key of keys(tree).filter((k) => base(k) !== k)) {
        expect(all.has(`${base(key)}_other`), key).toBe(true);
      }
    }
  });

  it("uses the same placeholders in both languages", () => {
    const lookup = (tree: unknown, path: string) =>
      path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], tree);
    // A plural message is compared by its "other" form, which every language has.
    const text = (tree: unknown, path: string) => lookup(tree, path) ?? lookup(tree, `${path}_other`);
    for (const path of messageKeys(en)) {
      const [a, b] = [text(en, path), text(zh, path)];
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
