// The command line against a Hardhat node: exit 0 and a byte-identical report on a rerun (from the cache),
// 1 on a shortfall, 2 with a message (never a stack trace) when it cannot run: bad options, no deployment to
// default to, an address that is not an Earnest escrow. Amounts in the summary are in each token's unit.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createWalletClient, http, parseUnits, type Abi, type Address, type Hex } from "viem";
import { mockStablecoinAbi } from "@earnest/sdk";
import { Earnest, root, startChain, tempDir, type Chain } from "../notifier/helpers.js";

/** Deploys the mock contract `name` (contracts/mocks) from the node's first account. */
async function deployMock(chain: Chain, name: string): Promise<Address> {
  const { abi, bytecode } = JSON.parse(
    readFileSync(path.join(root, `artifacts/contracts/mocks/${name}.sol/${name}.json`), "utf8"),
  ) as { abi: Abi; bytecode: Hex };
  const wallet = createWalletClient({ transport: http(chain.url), account: chain.accounts[0] });
  const hash = await wallet.deployContract({ abi, bytecode, chain: null });
  return (await chain.client.waitForTransactionReceipt({ hash })).contractAddress!;
}

/** Exit 2 with `message` on stderr, and no stack trace. */
function assertRefused(run: { code: number; stderr: string; stdout: string }, message: RegExp): void {
  assert.equal(run.code, 2, run.stderr + run.stdout);
  assert.match(run.stderr, message);
  assert.doesNotMatch(run.stderr, /^\s+at /m);
}

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
  let musd: Address;
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
    // Two seats in mUSD (6 decimals), to see the summary count in the token's unit.
    musd = await deployMock(chain, "MockStablecoin");
    await earnest.send(chain.accounts[0], "setTokenAllowed", [musd, true]);
    const deposit = parseUnits("12.5", 6);
    const priced = await earnest.createOffering(
      merchant,
      await earnest.terms({ token: musd, depositPerSeat: deposit }),
    );
    const wallet = createWalletClient({ transport: http(chain.url), account: customer });
    for (const [functionName, args] of [
      ["mint", [customer, deposit * 2n]],
      ["approve", [earnest.address, deposit * 2n]],
    ] as const) {
      const hash = await wallet.writeContract({
        address: musd,
        abi: mockStablecoinAbi,
        functionName,
        args,
        chain: null,
      });
      await chain.client.waitForTransactionReceipt({ hash });
    }
    await earnest.send(customer, "book", [
      priced.offeringId,
      await earnest.slot(priced.terms, 5),
      2,
      `0x${"11".repeat(32)}`,
    ]);
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
    assert.equal(readFileSync(path.join(out, "bookings.csv"), "utf8").trim().split("\n").length, 4);
    const second = await cli(base());
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /[1-9]\d* blocks from cache/);
    assert.equal(readFileSync(path.join(out, "report.json"), "utf8"), report);
  });

  it("uses a damaged cache up to the damage, says so, reads the rest and gives the same report", async () => {
    // Empty blocks after the history, so that it takes a few pages (the first log range is 16 blocks). Mined one by
    // one: the node answers eth_getCode inside a `hardhat_mine` range as if no code were there, which would send the
    // deploy-block search (there is no known deployment on a fresh clone) past the deployment.
    for (let i = 0; i < 64; i++) await chain.rpc("evm_mine", []);
    const fresh = await cli([...base(), "--no-cache"]);
    assert.equal(fresh.code, 0, fresh.stderr);
    const report = readFileSync(path.join(out, "report.json"), "utf8");
    assert.equal((await cli(base())).code, 0);
    const file = path.join(cache, `${earnest.address.toLowerCase()}.ndjson`);
    const lines = readFileSync(file, "utf8").split("\n");
    // A header and a page a line; this history takes a few pages.
    assert.ok(lines.length >= 4, `${lines.length} lines`);
    const cut = lines[2].length >> 1;
    for (const [damage, message, fromCache] of [
      // Cut in the second page (a run killed while writing, a full disk): the first page is still used.
      [`${lines.slice(0, 2).join("\n")}\n${lines[2].slice(0, cut)}`, /log cache cannot be read from block \d+/, true],
      // A page that does not follow the one before.
      [
        [lines[0], lines[1], lines[2].replace(/"fromBlock":"\d+"/, '"fromBlock":"1"'), ...lines.slice(3)].join("\n"),
        /log cache is damaged from block \d+ \(a page starts at block 1\)/,
        true,
      ],
      // Not a cache at all.
      ["not json\n", /log cache is not one this version reads/, false],
    ] as const) {
      writeFileSync(file, damage);
      const run = await cli(base());
      assert.equal(run.code, 0, run.stderr + run.stdout);
      assert.match(run.stderr, message);
      assert.match(run.stdout, fromCache ? /[1-9]\d* blocks from cache/ : / 0 blocks from cache/);
      assert.equal(readFileSync(path.join(out, "report.json"), "utf8"), report);
      // Rewritten whole: the next run reads all from it, without a word.
      const again = await cli(base());
      assert.equal(again.stderr, "");
      assert.match(again.stdout, /[1-9]\d* blocks from cache/);
      assert.equal(readFileSync(path.join(out, "report.json"), "utf8"), report);
    }
  });

  it("counts the summary in each token's unit and symbol, and keeps base units in the JSON", async () => {
    const run = await cli(base());
    assert.equal(run.code, 0, run.stderr);
    // One 0.01 ETH seat left after the cancel; two 12.5 mUSD seats.
    assert.match(run.stdout, /^Token ETH \(native\): balance 0\.01 ETH, owes 0\.01 ETH \(held 0\.01 ETH, /m);
    assert.match(
      run.stdout,
      new RegExp(`^Token mUSD \\(${musd}\\): balance 25 mUSD, owes 25 mUSD \\(held 25 mUSD, `, "im"),
    );
    assert.equal(
      readFileSync(path.join(out, "summary.txt"), "utf8"),
      run.stdout.slice(0, run.stdout.indexOf("Wrote ")),
    );
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as {
      tokens: { token: string; balance: string }[];
    };
    assert.deepEqual(
      report.tokens.map((t) => [t.token, t.balance]).sort(),
      [
        ["0x0000000000000000000000000000000000000000", "10000000000000000"],
        [musd.toLowerCase(), "25000000"],
      ].sort(),
    );
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

  it("prints the usage with every option for --help and -h, and exits 0", async () => {
    for (const flag of ["--help", "-h"]) {
      const run = await cli([flag]);
      assert.equal(run.code, 0, run.stderr);
      for (const option of [
        "--rpc",
        "--escrow",
        "--reviews",
        "--no-reviews",
        "--from-block",
        "--to-block",
        "--out",
        "--cache",
        "--no-cache",
        "--retries",
        "-h, --help",
      ]) {
        assert.ok(run.stdout.includes(`  ${option} `), `${flag} lists ${option}`);
      }
    }
  });

  it("exits 2 with a message on a malformed option, before reading the chain", async () => {
    for (const [args, message] of [
      [["--retries", "abc"], /--retries must be a whole number from 0 to 20, got "abc"/],
      [["--retries=-1"], /--retries must be a whole number from 0 to 20, got "-1"/],
      [["--retries", "1.5"], /--retries must be a whole number from 0 to 20, got "1\.5"/],
      [["--retries", "21"], /--retries must be at most 20, got 21/],
      [["--from-block", "0x10"], /--from-block must be a block number, got "0x10"/],
      [["--escrow", "0x1234"], /--escrow must be an address, got "0x1234"/],
      [["--reviews", "nope"], /--reviews must be an address, got "nope"/],
      [["--reviews", `0x${"12".repeat(20)}`, "--no-reviews"], /--reviews and --no-reviews contradict each other/],
      [["--rpc", "127.0.0.1:8545"], /--rpc must be an http:\/\/ or https:\/\/ URL/],
      [["--verbose"], /Unknown option '--verbose'/],
    ] as const) {
      // An RPC that does not exist: a check that let the value through would fail differently.
      assertRefused(await cli(["--rpc", "http://127.0.0.1:9", ...args]), message);
    }
  });

  it("exits 2 with a message when there is no --escrow and no deployment on the RPC's chain", async () => {
    // A node of another chain: sdk/generated/deployments.ts knows nothing there (as on a fresh clone, locally).
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const calls = JSON.parse(body) as { id: number }[];
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(calls.map((c) => ({ jsonrpc: "2.0", id: c.id, result: "0x539" }))));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const run = await cli(["--rpc", `http://127.0.0.1:${port}`, "--out", out]).finally(() => server.close());
    assertRefused(run, /No --escrow given, and no Earnest deployment is known on chain 1337\./);
  });

  it('exits 2 with "no Earnest escrow" for a token, a silent fallback and a zero-word fallback', async () => {
    for (const [address, reason] of [
      [musd, /its EIP-712 domain is "Mock USD", not "Earnest"/],
      [await deployMock(chain, "SilentFallback"), /eip712Domain\(\) returns nothing/],
      [await deployMock(chain, "ZeroWordFallback"), /eip712Domain\(\) returns 32 bytes that are not a domain/],
    ] as const) {
      const run = await cli([...base(), "--escrow", address]);
      assertRefused(run, new RegExp(`No Earnest escrow at ${address}: ${reason.source}`));
    }
  });

  it('exits 2 with "no Earnest reviews contract" when --reviews is not the escrow\'s', async () => {
    const run = await cli([...base(), "--reviews", musd]);
    assertRefused(
      run,
      new RegExp(`No Earnest reviews contract of this escrow at ${musd}: it does not answer escrow\\(\\)`),
    );
  });
});
