import type { ContextModule } from "@ledgerhq/context-module";
import { describe, expect, it, vi } from "vitest";
import { boundedContextModule, privateContextModule } from "./runtime/contextModule";

function remote(overrides: Partial<ContextModule> = {}): ContextModule {
  return {
    getContexts: () => Promise.resolve([]),
    getFieldContext: () => Promise.resolve({ type: "error", error: new Error("none") } as never),
    getTypedDataFilters: () => Promise.resolve({ type: "error", error: new Error("none") } as const),
    report: () => Promise.resolve(),
    ...overrides,
  };
}

const never = () => new Promise<never>(() => undefined);

describe("private context module", () => {
  it("has no metadata for anything", async () => {
    expect(await privateContextModule.getContexts({})).toEqual([]);
    expect((await privateContextModule.getFieldContext({}, "token" as never)).type).toBe("error");
    expect((await privateContextModule.getTypedDataFilters({} as never)).type).toBe("error");
  });
});

describe("bounded context module", () => {
  it("signs without metadata when Ledger's servers do not answer in time", async () => {
    const slow = boundedContextModule(
      remote({ getContexts: never, getFieldContext: never, getTypedDataFilters: never }),
      { telemetry: () => false, timeoutMs: 10 },
    );
    expect(await slow.getContexts({})).toEqual([]);
    expect((await slow.getFieldContext({}, "token" as never)).type).toBe("error");
    expect((await slow.getTypedDataFilters({} as never)).type).toBe("error");
  });

  it("signs without metadata when Ledger's servers fail", async () => {
    const failing = boundedContextModule(
      remote({ getContexts: () => Promise.reject(new TypeError("Failed to fetch")) }),
      { telemetry: () => false, timeoutMs: 1000 },
    );
    expect(await failing.getContexts({})).toEqual([]);
  });

  it("passes metadata through when it arrives", async () => {
    const context = { type: "token", payload: "0x01" } as never;
    const answering = boundedContextModule(remote({ getContexts: () => Promise.resolve([context]) }), {
      telemetry: () => false,
    });
    expect(await answering.getContexts({})).toEqual([context]);
  });

  it("posts no telemetry unless the user turned it on", async () => {
    const report = vi.fn(() => Promise.resolve());
    const signReport = vi.fn(() => Promise.resolve());
    let telemetry = false;
    const module = boundedContextModule(remote({ report, signReport }), { telemetry: () => telemetry });
    await module.report({} as never);
    await module.signReport?.({} as never);
    expect(report).not.toHaveBeenCalled();
    expect(signReport).not.toHaveBeenCalled();
    telemetry = true;
    await module.report({} as never);
    await module.signReport?.({} as never);
    expect(report).toHaveBeenCalledOnce();
    expect(signReport).toHaveBeenCalledOnce();
  });
});
