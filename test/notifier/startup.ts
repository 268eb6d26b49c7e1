// Bad configuration stops the notifier at start with a message that names the problem, also an RPC that accepts
// connections but never answers; a signal during start-up is a clean exit; retry delays grow exponentially with
// jitter up to their bound.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { backoffMs } from "../../services/notifier/delivery.js";
import { createWalletClient, http, type Address } from "viem";
import { Earnest, freePort, newSecret, NotifierProcess, startChain, tempDir, waitFor, type Chain } from "./helpers.js";

const MERCHANT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const SECRET = newSecret();

/** An "RPC" that accepts connections and reads requests, answering only what `answer` gives a result for. */
async function fakeRpc(
  answer: (method: string) => unknown,
): Promise<{ url: string; requests: () => number; close: () => void }> {
  let requests = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      requests++;
      const calls = JSON.parse(raw) as { id: number; method: string }[] | { id: number; method: string };
      const list = Array.isArray(calls) ? calls : [calls];
      const results = list.map((c) => answer(c.method));
      if (results.some((r) => r === undefined)) return; // never answers
      const body = list.map((c, i) => ({ jsonrpc: "2.0", id: c.id, result: results[i] }));
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify(Array.isArray(calls) ? body : body[0]));
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** A contract whose code answers any call with the word 42: what a proxy or a catch-all fallback looks like to
 *  a reader that takes answers at their word. */
async function deployCatchAll(chain: Chain): Promise<Address> {
  // Runtime `PUSH1 42 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`, after the init code that copies it out.
  const hash = await createWalletClient({ transport: http(chain.url), account: chain.accounts[0] }).sendTransaction({
    data: "0x600a600c600039600a6000f3602a60005260206000f3",
    chain: null,
  });
  return (await chain.client.waitForTransactionReceipt({ hash })).contractAddress!;
}

describe("notifier: start-up checks", () => {
  let chain: Chain;
  let escrow: Earnest;
  const tmp = tempDir();
  const processes: NotifierProcess[] = [];

  before(async () => {
    chain = await startChain();
    escrow = await Earnest.deploy(chain);
  });

  after(async () => {
    for (const p of processes) await p.kill();
    await chain?.stop();
    tmp.remove();
  });

  async function run(args: string[]): Promise<{ code: number | null; output: string }> {
    const p = new NotifierProcess(args);
    processes.push(p);
    const { code } = await p.exited;
    return { code, output: p.output };
  }

  it("names the problem and exits with status 2", async () => {
    const db = path.join(tmp.dir, "n.db");
    const base = ["--db", db, "--rpc", chain.url, "--escrow", escrow.address, "--from-block", "0"];
    const badJson = path.join(tmp.dir, "bad.json");
    writeFileSync(badJson, "{ rpc: nope }");
    const typo = path.join(tmp.dir, "typo.json");
    writeFileSync(typo, JSON.stringify({ confirmation: 3 }));
    const busy = createServer();
    const busyPort = await freePort();
    await new Promise<void>((resolve) => busy.listen(busyPort, "127.0.0.1", resolve));
    const deadRpc = `http://127.0.0.1:${await freePort()}`;
    const silent = await fakeRpc(() => undefined);
    // Answers the chain id, then nothing: only start-up's own deadline can end the wait.
    const stalling = await fakeRpc((method) => (method === "eth_chainId" ? "0x7a69" : undefined));
    const catchAll = await deployCatchAll(chain);
    const sixteenBytes = `whsec_${Buffer.from("0123456789abcdef").toString("base64")}`;

    const cases: [string, string[], RegExp][] = [
      [
        "a bad escrow address",
        [...base, "--escrow", "0x1234"],
        /InvalidAddressError: --escrow is not an address: "0x1234"/,
      ],
      [
        "a bad merchant address",
        [...base, "--webhook", "0xnope=http://127.0.0.1/x"],
        /InvalidAddressError: --webhook merchant/,
      ],
      [
        "a malformed webhook URL",
        [...base, "--webhook", `${MERCHANT}=not a url`, "--secret", `${MERCHANT}=${SECRET}`],
        /InvalidUrlError: --webhook for 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 is not a URL/,
      ],
      [
        "a webhook that is not http(s)",
        [...base, "--webhook", `${MERCHANT}=ftp://example.com/x`, "--secret", `${MERCHANT}=${SECRET}`],
        /InvalidUrlError: --webhook for .* must be an http\(s\) URL/,
      ],
      [
        "a secret in the format before Standard Webhooks",
        [...base, "--webhook", `${MERCHANT}=http://127.0.0.1/x`, "--secret", `${MERCHANT}=old-raw-secret-0123456789`],
        /LegacySecretError: --secret for 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 is not a Standard Webhooks secret \("whsec_" and a base64 key\)\. .*make a new secret with node -e/,
      ],
      [
        "a secret that is not base64",
        [...base, "--webhook", `${MERCHANT}=http://127.0.0.1/x`, "--secret", `${MERCHANT}=whsec_not*base64!`],
        /InvalidSecretError: --secret for .* must be "whsec_" followed by base64/,
      ],
      [
        "a secret with a short key",
        [...base, "--webhook", `${MERCHANT}=http://127.0.0.1/x`, "--secret", `${MERCHANT}=${sixteenBytes}`],
        /InvalidSecretError: --secret for .* must hold a key of 24 to 64 bytes, not 16/,
      ],
      [
        "a webhook without a secret",
        [...base, "--webhook", `${MERCHANT}=http://127.0.0.1/x`],
        /MissingSettingError: Merchant 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 has webhooks but no secret/,
      ],
      [
        "an unreachable RPC",
        [...base, "--rpc", deadRpc],
        new RegExp(`RpcUnreachableError: Cannot reach the RPC at ${deadRpc}`),
      ],
      [
        "an RPC that accepts connections but never answers",
        [...base, "--rpc", silent.url, "--rpc-timeout-ms", "300"],
        new RegExp(`RpcUnreachableError: Cannot reach the RPC at ${silent.url}\\. \\(.*timeout`),
      ],
      [
        "an RPC that never answers, with the default timeouts",
        [...base, "--rpc", silent.url],
        new RegExp(`RpcUnreachableError: Cannot reach the RPC at ${silent.url}\\. \\(.*timeout`),
      ],
      [
        "an RPC that stops answering during start-up",
        [...base, "--rpc", stalling.url, "--rpc-timeout-ms", "60000"],
        /StartupTimeoutError: Start-up did not finish within 15 s\./,
      ],
      ["a bad RPC timeout", [...base, "--rpc-timeout-ms", "0"], /InvalidNumberError: --rpc-timeout-ms must be/],
      ["a malformed RPC URL", [...base, "--rpc", "localhost:8545"], /InvalidUrlError: --rpc must be an http\(s\) URL/],
      [
        "an address with no contract",
        [...base, "--escrow", MERCHANT],
        /NoContractError: No contract at 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 on chain 31337/,
      ],
      [
        "a contract that is not an Earnest escrow (it answers every call with one word)",
        [...base, "--escrow", catchAll],
        new RegExp(`NotEarnestEscrowError: No Earnest escrow at ${catchAll}`, "i"),
      ],
      [
        "a config file that is not JSON",
        ["--config", badJson],
        /ConfigFileError: The config file .*bad.json is not valid JSON/,
      ],
      ["a misspelt setting", ["--config", typo], /UnknownOptionError: Unknown setting "confirmation"/],
      ["an unknown flag", [...base, "--confirmation", "3"], /UnknownOptionError: Unknown flag --confirmation/],
      ["a negative confirmation depth", [...base, "--confirmations", "-1"], /InvalidNumberError: --confirmations/],
      [
        "a port in use",
        [...base, "--port", String(busyPort)],
        new RegExp(`PortUnavailableError: Cannot listen on 127.0.0.1:${busyPort}`),
      ],
    ];
    try {
      const results = await Promise.all(cases.map(([, args]) => run(args)));
      results.forEach(({ code, output }, i) => {
        const [what, , expected] = cases[i];
        assert.equal(code, 2, `${what}: exit status\n${output}`);
        assert.match(output, expected, what);
      });
    } finally {
      busy.close();
      silent.close();
      stalling.close();
    }
  });

  it("exits cleanly on SIGTERM or SIGINT during start-up", async () => {
    const silent = await fakeRpc(() => undefined);
    try {
      for (const signal of ["SIGTERM", "SIGINT"] as const) {
        const before = silent.requests();
        const p = new NotifierProcess(["--db", path.join(tmp.dir, "s.db"), "--rpc", silent.url, "--escrow", MERCHANT]);
        processes.push(p);
        // Its first RPC request is under way: it is starting, waiting for an answer that never comes.
        await waitFor("the first RPC request", () => silent.requests() > before);
        p.signal(signal);
        const { code, signal: killedBy } = await p.exited;
        assert.deepEqual({ code, killedBy }, { code: 0, killedBy: null }, p.output);
        assert.match(p.output, new RegExp(`"msg":"stopped during start-up","signal":"${signal}"`));
      }
    } finally {
      silent.close();
    }
  });

  it("backs off exponentially with jitter, up to the bound", () => {
    const low = () => 0;
    const high = () => 1;
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => backoffMs(n, 1000, 60_000, high)),
      [1000, 2000, 4000, 8000],
    );
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => backoffMs(n, 1000, 60_000, low)),
      [500, 1000, 2000, 4000],
    );
    assert.equal(backoffMs(30, 1000, 60_000, high), 60_000);
    assert.equal(backoffMs(100, 1000, 60_000, low), 30_000);
    const spread = new Set(Array.from({ length: 20 }, () => backoffMs(5, 1000, 60_000)));
    assert.ok(spread.size > 10, "random jitter");
  });
});
