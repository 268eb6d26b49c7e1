// The pure pieces: derivation paths, the request queue, what may reach Ledger's servers, remembered choices.
import { hardhat, sepolia } from "viem/chains";
import { afterEach, describe, expect, it } from "vitest";
import { derivationPath } from "./derivation";
import { createDeviceQueue } from "./deviceQueue";
import {
  loadAccountChoice,
  loadClearSigningMetadata,
  loadTelemetry,
  saveAccountChoice,
  saveClearSigningMetadata,
} from "./preferences";
import { isLocalChain, metadataAllowed } from "./privacy";

afterEach(() => localStorage.clear());

describe("derivationPath", () => {
  it("lays out accounts the way each wallet family does", () => {
    expect(derivationPath("ledgerLive", 2)).toBe("44'/60'/2'/0/0");
    expect(derivationPath("bip44", 2)).toBe("44'/60'/0'/0/2");
    expect(derivationPath("legacy", 2)).toBe("44'/60'/0'/2");
  });

  it("refuses indexes a device cannot derive", () => {
    expect(() => derivationPath("bip44", -1)).toThrow(RangeError);
    expect(() => derivationPath("bip44", 1.5)).toThrow(RangeError);
    expect(() => derivationPath("bip44", 2 ** 31)).toThrow(RangeError);
  });
});

describe("createDeviceQueue", () => {
  it("runs one task at a time, in order, even after a failure", async () => {
    const queue = createDeviceQueue();
    const events: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        events.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([queue(task("a")), queue(task("b", true)), queue(task("c"))]);
    expect(events).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  });
});

describe("clear-signing metadata", () => {
  const localhostChain = { ...sepolia, id: 99, rpcUrls: { default: { http: ["http://127.0.0.1:9545"] } } };

  it("counts Hardhat and loopback RPCs as local chains", () => {
    expect(isLocalChain(hardhat)).toBe(true);
    expect(isLocalChain(localhostChain)).toBe(true);
    expect(isLocalChain(sepolia)).toBe(false);
  });

  it("is asked for on public chains only, and only while the user allows it", () => {
    const chains = [hardhat, sepolia];
    expect(metadataAllowed(chains, sepolia.id)).toBe(true);
    expect(metadataAllowed(chains, hardhat.id)).toBe(false);
    expect(metadataAllowed(chains, 12345)).toBe(false);
    saveClearSigningMetadata(false);
    expect(loadClearSigningMetadata()).toBe(false);
    expect(metadataAllowed(chains, sepolia.id)).toBe(false);
  });
});

describe("preferences", () => {
  it("remembers the chosen account", () => {
    expect(loadAccountChoice()).toBeUndefined();
    saveAccountChoice({ scheme: "legacy", index: 3 });
    expect(loadAccountChoice()).toEqual({ scheme: "legacy", index: 3 });
  });

  it("ignores a corrupt or foreign stored choice", () => {
    localStorage.setItem("earnest.ledger.account", "{not json");
    expect(loadAccountChoice()).toBeUndefined();
    localStorage.setItem("earnest.ledger.account", JSON.stringify({ scheme: "electrum", index: 0 }));
    expect(loadAccountChoice()).toBeUndefined();
  });

  it("keeps Ledger's telemetry off by default", () => {
    expect(loadTelemetry()).toBe(false);
  });
});
