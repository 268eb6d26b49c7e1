// Shared by the notifier tests: a Hardhat node, the escrow deployed on it, a webhook receiver that verifies every
// delivery with the `standardwebhooks` package (what merchants' receivers use), and the notifier as a child process. Every child leads its own process group and is killed with it, also when a test fails.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  createPublicClient,
  createWalletClient,
  http,
  parseEventLogs,
  type Abi,
  type Address,
  type Hex,
  type Log,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import { Webhook } from "standardwebhooks";
import { checkInTypes, earnestEscrowAbi, escrowDomain, type OfferingTerms } from "@earnest/sdk";
import { freePort, killGroup, root, spawnGroup, startHardhatNode, waitFor } from "../support/processes.js";
import { DAY, HOUR, terms } from "../support/terms.js";

export { DAY, freePort, HOUR, root, waitFor };

/** A fresh Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "earnest-notifier-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// ---------------------------------------------------------------------------------------------------------------
// The chain
// ---------------------------------------------------------------------------------------------------------------

export type Chain = {
  url: string;
  client: PublicClient;
  accounts: Address[];
  rpc: <T>(method: string, params?: unknown[]) => Promise<T>;
  stop: () => Promise<void>;
};

export async function startChain(): Promise<Chain> {
  const node = await startHardhatNode();
  const client = createPublicClient({ transport: http(node.url), pollingInterval: 50 }) as PublicClient;
  const accounts = await node.rpc<Address[]>("eth_accounts");
  return { ...node, client, accounts };
}

/** EarnestEscrow as compiled: its own ABI has the constructor (the sdk's ABI is the whole surface, IEarnestEscrow). */
const artifact = JSON.parse(
  readFileSync(path.join(root, "artifacts/contracts/EarnestEscrow.sol/EarnestEscrow.json"), "utf8"),
) as { abi: Abi; bytecode: Hex };

/** What `createOffering` takes (the sdk types it from the ABI). */
export type Terms = OfferingTerms;

/** The escrow on a chain, driven by the node's unlocked accounts. */
export class Earnest {
  private constructor(
    readonly chain: Chain,
    readonly address: Address,
    readonly deployBlock: bigint,
  ) {}

  static async deploy(chain: Chain, feeBps = 250): Promise<Earnest> {
    const wallet = createWalletClient({ transport: http(chain.url), account: chain.accounts[0] });
    const hash = await wallet.deployContract({
      abi: artifact.abi,
      bytecode: artifact.bytecode,
      args: [chain.accounts[0], chain.accounts[1], feeBps],
      chain: null,
    });
    const receipt = await chain.client.waitForTransactionReceipt({ hash });
    return new Earnest(chain, receipt.contractAddress!, receipt.blockNumber);
  }

  /** Sends a call from `from` and returns its receipt and decoded events; throws if it reverted. */
  async send(
    from: Address,
    functionName: string,
    args: unknown[],
    value?: bigint,
  ): Promise<{ receipt: TransactionReceipt; logs: ReturnType<typeof parseEventLogs<typeof earnestEscrowAbi>> }> {
    const wallet = createWalletClient({ transport: http(this.chain.url), account: from });
    const hash = await wallet.writeContract({
      address: this.address,
      abi: earnestEscrowAbi,
      functionName: functionName as "book",
      args: args as never,
      value,
      chain: null,
    } as never);
    const receipt = await this.chain.client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
    return { receipt, logs: parseEventLogs({ abi: earnestEscrowAbi, logs: receipt.logs }) };
  }

  async now(): Promise<number> {
    return Number((await this.chain.client.getBlock({ blockTag: "latest" })).timestamp);
  }

  /** The default terms (test/support/terms.ts) on a grid from the last full hour, with 1000 seats a slot and one
   *  cancellation tier. */
  async terms(overrides: Partial<Terms> = {}): Promise<Terms> {
    const t = await this.now();
    return terms(t - (t % HOUR), {
      seatsPerSlot: 1000,
      cancellationTiers: [{ secondsBeforeStart: 48 * HOUR, refundBps: 10_000 }],
      metadata: '{"name":"Dinner"}',
      ...overrides,
    });
  }

  async createOffering(merchant: Address, terms: Terms): Promise<{ offeringId: number; terms: Terms }> {
    const { logs } = await this.send(merchant, "createOffering", [terms]);
    const created = logs.find((l) => l.eventName === "OfferingCreated")!;
    return { offeringId: Number((created.args as { offeringId: number }).offeringId), terms };
  }

  /** A slot start on the offering's grid about `days` from now. */
  async slot(terms: Terms, days: number): Promise<number> {
    const target = (await this.now()) + days * DAY;
    return terms.firstSlotStart + Math.ceil((target - terms.firstSlotStart) / terms.slotLength) * terms.slotLength;
  }

  async book(customer: Address, offeringId: number, terms: Terms, slotStart: number, seats = 1): Promise<bigint> {
    const { logs } = await this.send(
      customer,
      "book",
      [offeringId, slotStart, seats, `0x${"11".repeat(32)}`],
      terms.depositPerSeat * BigInt(seats),
    );
    return (logs.find((l) => l.eventName === "Booked")!.args as { bookingId: bigint }).bookingId;
  }

  /** The customer's EIP-712 "I am here" for `bookingId`, signed by the node's unlocked account. */
  async signCheckIn(customer: Address, bookingId: bigint): Promise<Hex> {
    const wallet = createWalletClient({ transport: http(this.chain.url), account: customer });
    return wallet.signTypedData({
      domain: escrowDomain(await this.chain.client.getChainId(), this.address),
      types: checkInTypes,
      primaryType: "CheckIn",
      message: { bookingId },
    });
  }

  /** Every escrow log from the deploy block to the head. */
  async allLogs(): Promise<Log[]> {
    return this.chain.client.getLogs({ address: this.address, fromBlock: this.deployBlock, toBlock: "latest" });
  }
}

export function eventIdOf(chainId: number, log: { transactionHash: Hex | null; logIndex: number | null }): string {
  return `${chainId}:${log.transactionHash}:${log.logIndex}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The receiver
// ---------------------------------------------------------------------------------------------------------------

export type Received = {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: { id: string; type: string } & Record<string, unknown>;
  at: number;
};

/** A webhook receiver on a fixed port that can go down (connections refused) and come back. It verifies each
 *  request with `standardwebhooks` and the secret of its path, as a merchant's receiver would: one that fails is
 *  answered 401 and listed in `refused`, not in `received`. */
export class Receiver {
  readonly received: Received[] = [];
  /** Requests that failed verification: `<path>: <reason>`. */
  readonly refused: string[] = [];
  /** Answer with this status instead of 200 when set. */
  failWith: number | undefined;
  /** Delay each answer by this many ms. */
  delayMs = 0;
  private server: Server | undefined;

  private constructor(
    readonly port: number,
    private readonly secrets: Record<string, string>,
  ) {}

  /** `secrets`: the signing secret of each path requests arrive at. */
  static async start(secrets: Record<string, string>): Promise<Receiver> {
    const receiver = new Receiver(await freePort(), secrets);
    await receiver.up();
    return receiver;
  }

  url(p = "/hook"): string {
    return `http://127.0.0.1:${this.port}${p}`;
  }

  async up(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const answer = () => {
          if (this.failWith !== undefined) {
            res.writeHead(this.failWith).end();
            return;
          }
          const secret = this.secrets[req.url ?? ""];
          try {
            if (secret === undefined) throw new Error("no secret for this path");
            new Webhook(secret).verify(raw, req.headers as Record<string, string>);
          } catch (error) {
            this.refused.push(`${req.url}: ${(error as Error).message}`);
            res.writeHead(401).end();
            return;
          }
          this.received.push({
            path: req.url ?? "",
            headers: req.headers,
            raw,
            body: JSON.parse(raw) as Received["body"],
            at: Date.now(),
          });
          res.writeHead(200).end("ok");
        };
        if (this.delayMs > 0) setTimeout(answer, this.delayMs);
        else answer();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  ids(type = "event", p?: string): Set<string> {
    return new Set(this.received.filter((r) => r.body.type === type && (!p || r.path === p)).map((r) => r.body.id));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The notifier
// ---------------------------------------------------------------------------------------------------------------

export class NotifierProcess {
  output = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(args: string[]) {
    this.child = spawnGroup(
      process.execPath,
      ["--import", "tsx", path.join(root, "services/notifier/main.ts"), ...args],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    this.child.stdout!.on("data", (d: Buffer) => (this.output += d.toString()));
    this.child.stderr!.on("data", (d: Buffer) => (this.output += d.toString()));
    // "close", not "exit": only then has all of the child's output been read.
    this.exited = new Promise((resolve) => this.child.once("close", (code, signal) => resolve({ code, signal })));
  }

  async ready(): Promise<void> {
    await waitFor(
      "the notifier to start",
      () => {
        if (this.child.exitCode !== null) throw new Error(`The notifier exited:\n${this.output}`);
        return this.output.includes('"msg":"started"');
      },
      60_000,
    );
  }

  signal(signal: NodeJS.Signals): void {
    killGroup(this.child, signal);
  }

  /** Stops it however it is going; for after-hooks. */
  async kill(): Promise<void> {
    this.signal("SIGKILL");
    await this.exited;
  }
}

export type NotifierSetup = {
  chain: Chain;
  escrow: Earnest;
  dir: string;
  port: number;
  merchants: Record<string, { secret: string; webhooks: string[] }>;
  alerts?: Record<string, unknown>;
  confirmations?: number;
  delivery?: Record<string, number>;
};

/** Writes a config file for the notifier and returns the flags that use it. */
export function notifierArgs(s: NotifierSetup): string[] {
  const file = path.join(s.dir, "config.json");
  writeFileSync(
    file,
    JSON.stringify({
      rpc: s.chain.url,
      escrow: s.escrow.address,
      fromBlock: Number(s.escrow.deployBlock),
      confirmations: s.confirmations ?? 0,
      db: path.join(s.dir, "notifier.db"),
      port: s.port,
      pollIntervalMs: 50,
      merchants: s.merchants,
      alerts: s.alerts ?? {},
      delivery: { backoffBaseMs: 50, backoffMaxMs: 500, maxAttempts: 1000, timeoutMs: 2000, ...s.delivery },
    }),
  );
  return ["--config", file];
}
