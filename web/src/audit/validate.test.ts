import { describe, expect, it } from "vitest";
import { validate, type Fields } from "./validate";

const good: Fields = {
  rpcUrl: "http://127.0.0.1:8545",
  escrow: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  fromBlock: "",
  toBlock: "",
};

describe("validate", () => {
  it("accepts a URL and an address, blocks left out", () => {
    expect(validate(good)).toEqual({
      ok: true,
      input: { rpcUrl: good.rpcUrl, escrow: good.escrow, fromBlock: undefined, toBlock: undefined },
    });
  });

  it("trims and reads block numbers", () => {
    const checked = validate({ ...good, rpcUrl: ` ${good.rpcUrl} `, fromBlock: " 3", toBlock: "10 " });
    expect(checked).toMatchObject({ ok: true, input: { rpcUrl: good.rpcUrl, fromBlock: 3n, toBlock: 10n } });
  });

  it("names each bad field", () => {
    expect(validate({ rpcUrl: "ws://node", escrow: "0x123", fromBlock: "-1", toBlock: "1e3" })).toEqual({
      ok: false,
      errors: { rpcUrl: "rpcUrl", escrow: "escrow", fromBlock: "block", toBlock: "block" },
    });
    expect(validate({ ...good, rpcUrl: "not a url" })).toMatchObject({ ok: false, errors: { rpcUrl: "rpcUrl" } });
  });

  it("refuses a mixed-case address with a wrong checksum, accepts it in lower case", () => {
    const typo = "0x5FbDB2315678afecb367f032d93F642f64180aA3";
    expect(validate({ ...good, escrow: typo })).toMatchObject({ ok: false, errors: { escrow: "escrow" } });
    expect(validate({ ...good, escrow: typo.toLowerCase() }).ok).toBe(true);
  });

  it("refuses a from block after the to block", () => {
    expect(validate({ ...good, fromBlock: "9", toBlock: "8" })).toEqual({ ok: false, errors: { fromBlock: "range" } });
    expect(validate({ ...good, fromBlock: "8", toBlock: "8" }).ok).toBe(true);
  });
});
