// The command line against a Hardhat node: exit 0 and a byte-identical report on a rerun (from the cache),
// 1 on a shortfall, 2 when it cannot run.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Earnest, root, startChain, tempDir, type Chain } from "../notifier/helpers.js";

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(root, "cli/audit/main.ts"), ...args],
      { cwd: root },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("audit: command line", () => {
  let chain: Chain;
  let earnest: Earnest;
  const tmp = tempDir();
  const out = path.join(tmp.dir, "out");
  const cache = path.join(tmp.dir, "cache");
  const base = () => ["--rpc", chain.url, "--escrow", earnest.address, "--out", out, "--cache", cache];

  before(async () => {
    chain = await startChain();
    earnest = await Earnest.deploy(chain);
    const [, , merchant, payout, customer] = chain.accounts;
    await earnest.send(merchant, "registerMerchant", [payout, "Chez CLI"]);
    const { offeringId, terms } = await earnest.createOffering(merchant, await earnest.terms());
    const slot = await earnest.slot(terms, 5);
    const id = await earnest.book(customer, offeringId, terms, slot, 2);
    await earnest.book(customer, offeringId, terms, slot, 1);
    await earnest.send(customer, "cancel", [id]);
  });
  after(async () => {
    await chain?.stop();
    tmp.remove();
  });

  it("exits 0 on a clean chain and gives the same report again, from the cache", async () => {
    const first = await cli(base());
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.match(first.stdout, /everything holds/);
    const report = readFileSync(path.join(out, "report.json"), "utf8");
    assert.ok(existsSync(path.join(out, "bookings.csv")) && existsSync(path.join(out, "summary.txt")));
    assert.equal(readFileSync(path.join(out, "bookings.csv"), "utf8").trim().split("\n").length, 3);
    const second = await cli(base());
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /[1-9]\d* blocks from cache/);
    assert.equal(readFileSync(path.join(out, "report.json"), "utf8"), report);
  });

  it("exits 1 when the escrow holds less than it owes", async () => {
    const snapshot = await chain.rpc<string>("evm_snapshot", []);
    await chain.rpc("hardhat_setBalance", [earnest.address, "0x1"]);
    const run = await cli(base()).finally(() => chain.rpc("evm_revert", [snapshot]));
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as { findings: { kind: string }[] };
    assert.deepEqual(
      report.findings.map((f) => f.kind),
      ["shortfall"],
    );
  });

  it("exits 2 with a hint when it cannot run", async () => {
    const beyond = await cli([...base(), "--to-block", "999999"]);
    assert.equal(beyond.code, 2);
    assert.match(beyond.stderr, /does not exist yet/);
    const noContract = await cli([...base(), "--escrow", "0x000000000000000000000000000000000000dEaD"]);
    assert.equal(noContract.code, 2);
    assert.match(noContract.stderr, /No contract at/);
    const unreachable = await cli(["--rpc", "http://127.0.0.1:9", "--escrow", earnest.address, "--retries", "0"]);
    assert.equal(unreachable.code, 2);
    assert.match(unreachable.stderr, /Cannot reach the RPC/);
  });
});
