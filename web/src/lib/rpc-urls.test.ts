import { describe, expect, it } from "vitest";
import { deploymentRpcUrls, InvalidRpcUrlError } from "./rpc-urls";

describe("deploymentRpcUrls", () => {
  it("reads one endpoint per chain id and ignores other variables and empty ones", () => {
    const urls = deploymentRpcUrls({
      VITE_RPC_URL: "http://127.0.0.1:8545",
      VITE_RPC_URL_8453: "https://base.example.org/v1/key",
      VITE_RPC_URL_1: "wss://mainnet.example.org",
      VITE_RPC_URL_11155111: "",
      VITE_WALLETCONNECT_PROJECT_ID: "abc",
    });
    expect([...urls]).toEqual([
      [8453, "https://base.example.org/v1/key"],
      [1, "wss://mainnet.example.org"],
    ]);
  });

  it.each(["base.example.org", "ftp://base.example.org", "javascript:alert(1)", "http//missing-colon"])(
    "refuses %s, naming the variable",
    (value) => {
      let error: unknown;
      try {
        deploymentRpcUrls({ VITE_RPC_URL_8453: value });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidRpcUrlError);
      expect((error as InvalidRpcUrlError).variable).toBe("VITE_RPC_URL_8453");
      expect((error as Error).message).toContain("VITE_RPC_URL_8453");
    },
  );
});
