// Bad configuration stops the relayer at start with a named error and exit status 2: a bad or missing key, bad
// addresses, no merchants, an unreachable RPC, no contract (or not an escrow) at the address, a database made for
// another escrow, a port in use, and the file and flag mistakes.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { getAddress } from "viem";
import { freePort } from "../support/processes.js";
import { RelayerProcess, startRelayer } from "../support/relayer.js";
import { Earnest, RELAYER_KEY, setupWorld, tempDir, type World } from "./helpers.js";

const MERCHANT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

describe("relayer: start-up checks", () => {
  let world: World;
  const tmp = tempDir();
  const processes: RelayerProcess[] = [];

  before(async () => {
    world = await setupWorld();
  });

  after(async () => {
    for (const p of processes) await p.kill();
    await world?.stop();
    tmp.remove();
  });

  async function run(
    args: string[],
    env: Record<string, string> = {},
  ): Promise<{ code: number | null; output: string }> {
    const p = new RelayerProcess(args, { RELAYER_KEY: "", ...env });
    processes.push(p);
    const { code } = await p.exited;
    return { code, output: p.output };
  }

  it("names the problem and exits with status 2", async () => {
    const db = path.join(tmp.dir, "r.db");
    const withKey = { RELAYER_KEY: RELAYER_KEY };
    const base = ["--db", db, "--rpc", world.chain.url, "--escrow", world.escrow.address, "--merchant", MERCHANT];
    const badJson = path.join(tmp.dir, "bad.json");
    writeFileSync(badJson, "{ rpc: nope }");
    const typo = path.join(tmp.dir, "typo.json");
    writeFileSync(typo, JSON.stringify({ merchant: [MERCHANT] }));
    const badUnit = path.join(tmp.dir, "unit.json");
    writeFileSync(badUnit, JSON.stringify({ merchants: [MERCHANT], budget: { unit: "eth" } }));
    const badLimit = path.join(tmp.dir, "limit.json");
    writeFileSync(badLimit, JSON.stringify({ merchants: [MERCHANT], rateLimits: { ip: { burst: 0 } } }));
    const busy = createServer();
    const busyPort = await freePort();
    await new Promise<void>((resolve) => busy.listen(busyPort, "127.0.0.1", resolve));
    const deadRpc = `http://127.0.0.1:${await freePort()}`;

    const cases: [string, string[], Record<string, string>, RegExp][] = [
      [
        "no key",
        base,
        {},
        /MissingSettingError: The default key setting names the environment variable RELAYER_KEY, which is unset/,
      ],
      [
        "a malformed key",
        [...base, "--key", "0x1234"],
        {},
        /InvalidKeyError: --key is not a private key \(32 bytes as hex\)/,
      ],
      [
        "a key from an unset variable",
        [...base, "--key", "env:NOPE_KEY"],
        {},
        /MissingSettingError: --key names the environment variable NOPE_KEY/,
      ],
      [
        "a key beyond the curve's order",
        [...base, "--key", `0x${"ff".repeat(32)}`],
        {},
        /InvalidKeyError: The key is not a valid secp256k1 private key/,
      ],
      [
        "a bad escrow address",
        [...base, "--escrow", "0x1234"],
        withKey,
        /InvalidAddressError: --escrow is not an address: "0x1234"/,
      ],
      [
        "a bad merchant address",
        [...base, "--merchant", "0xnope"],
        withKey,
        /InvalidAddressError: --merchant is not an address/,
      ],
      [
        "no merchants",
        ["--db", db, "--rpc", world.chain.url, "--escrow", world.escrow.address],
        withKey,
        /MissingSettingError: No merchants/,
      ],
      [
        "an unreachable RPC",
        [...base, "--rpc", deadRpc],
        withKey,
        new RegExp(`RpcUnreachableError: Cannot reach the RPC at ${deadRpc}`),
      ],
      [
        "a malformed RPC URL",
        [...base, "--rpc", "localhost:8545"],
        withKey,
        /InvalidUrlError: --rpc must be an http\(s\) URL/,
      ],
      [
        "an address with no contract",
        [...base, "--escrow", MERCHANT],
        withKey,
        /NoContractError: No contract at 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 on chain 31337/,
      ],
      [
        "a contract that is not an escrow",
        [...base, "--escrow", world.usdc.address],
        withKey,
        new RegExp(`NotEarnestEscrowError: No Earnest escrow at ${world.usdc.address}`, "i"),
      ],
      [
        "a port in use",
        [...base, "--port", String(busyPort)],
        withKey,
        new RegExp(`PortUnavailableError: Cannot listen on 127.0.0.1:${busyPort}: EADDRINUSE`),
      ],
      [
        "a port out of range",
        [...base, "--port", "70000"],
        withKey,
        /InvalidNumberError: --port must be an integer from 0 to 65535/,
      ],
      [
        "a config file that is not JSON",
        ["--config", badJson],
        withKey,
        /ConfigFileError: The config file .*bad.json is not valid JSON/,
      ],
      ["a misspelt setting", ["--config", typo], withKey, /UnknownOptionError: Unknown setting "merchant"/],
      ["an unknown flag", [...base, "--merchants", MERCHANT], withKey, /UnknownOptionError: Unknown flag --merchants/],
      ["an unknown budget unit", ["--config", badUnit], withKey, /ConfigError: budget.unit must be "wei" or "gas"/],
      [
        "an empty rate limit",
        ["--config", badLimit],
        withKey,
        /InvalidNumberError: rateLimits.ip.burst must be an integer from 1/,
      ],
    ];
    try {
      const results = await Promise.all(cases.map(([, args, env]) => run(args, env)));
      results.forEach(({ code, output }, i) => {
        const [what, , , expected] = cases[i];
        assert.equal(code, 2, `${what}: exit status\n${output}`);
        assert.match(output, expected, what);
        assert.doesNotMatch(output, /ffffffff/, `${what}: the key is never printed`);
      });
    } finally {
      busy.close();
    }
  });

  it("refuses a database made for another escrow", async () => {
    const dbDir = path.join(tmp.dir, "mismatch");
    mkdirSync(dbDir);
    const first = await startRelayer({
      rpcUrl: world.chain.url,
      escrow: world.escrow.address,
      merchants: [MERCHANT],
      key: RELAYER_KEY,
      dbDir,
    });
    await first.stop();
    const other = await Earnest.deploy(world.chain);
    const { code, output } = await run(["--config", path.join(dbDir, "relayer.json"), "--escrow", other.address], {
      EARNEST_RELAYER_KEY: RELAYER_KEY,
    });
    assert.equal(code, 2, output);
    assert.match(
      output,
      new RegExp(`DatabaseMismatchError: The database was made for escrow ${getAddress(world.escrow.address)}`),
    );
  });
});
