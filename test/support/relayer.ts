// The relayer (services/relayer) as a child process beside a local chain, for the relayer's tests, its benchmark
// and the browser tests; and customers' signed bookings, signed the way the dApp signs them (sdk/typed-data.ts).
// The child leads its own process group and is killed with it, also when a test fails.
import type { ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { toHex, type Address, type Hex, type LocalAccount } from "viem";
import {
  bookingAuthorizationMessage,
  bookingIntentTypes,
  escrowDomain,
  hashBookingIntent,
  hashDetails,
  newSalt,
  permitArgs,
  permitTypes,
  receiveWithAuthorizationTypes,
  type BookingDetails,
  type BookingIntent,
  type SignedBooking,
} from "@earnest/sdk";
import { freePort, killGroup, root, spawnGroup, waitFor } from "./processes.js";

/** The environment variable the helper hands the key over in (never on the command line). */
const KEY_VARIABLE = "EARNEST_RELAYER_KEY";

export class RelayerProcess {
  output = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(args: string[], env: Record<string, string> = {}) {
    this.child = spawnGroup(
      process.execPath,
      ["--import", "tsx", path.join(root, "services/relayer/main.ts"), ...args],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } },
    );
    this.child.stdout!.on("data", (d: Buffer) => (this.output += d.toString()));
    this.child.stderr!.on("data", (d: Buffer) => (this.output += d.toString()));
    // "close", not "exit": only then has all of the child's output been read.
    this.exited = new Promise((resolve) => this.child.once("close", (code, signal) => resolve({ code, signal })));
  }

  async ready(): Promise<void> {
    await waitFor(
      "the relayer to start",
      () => {
        if (this.child.exitCode !== null) throw new Error(`The relayer exited:\n${this.output}`);
        return this.output.includes('"msg":"started"');
      },
      60_000,
    );
  }

  signal(signal: NodeJS.Signals): void {
    killGroup(this.child, signal);
  }

  /** Stops it as an operator would (SIGTERM) and waits for it. */
  async stop(): Promise<void> {
    this.signal("SIGTERM");
    await this.exited;
  }

  /** Kills it at once (SIGKILL: no cleanup) and waits for it. */
  async kill(): Promise<void> {
    this.signal("SIGKILL");
    await this.exited;
  }
}

export type StartRelayerOptions = {
  rpcUrl: string;
  escrow: Address;
  /** The merchants served: addresses (the default budget each), or address → `{ dailyBudget }`. */
  merchants: Address[] | Record<Address, { dailyBudget?: string }>;
  /** The relayer's private key (it pays the gas). */
  key: Hex;
  /** Where the database and the config file go; the same dir again resumes the same state. */
  dbDir: string;
  /** Defaults to a free port. */
  port?: number;
  /** Further settings of the config file (services/relayer/README.md): budget, rateLimits, minDeadlineSeconds… */
  settings?: Record<string, unknown>;
};

export type StartedRelayer = RelayerProcess & { url: string; port: number };

/** Writes a config file into `dbDir`, starts the relayer with it and resolves once it serves. */
export async function startRelayer(options: StartRelayerOptions): Promise<StartedRelayer> {
  const port = options.port ?? (await freePort());
  const file = path.join(options.dbDir, "relayer.json");
  writeFileSync(
    file,
    JSON.stringify({
      rpc: options.rpcUrl,
      escrow: options.escrow,
      key: `env:${KEY_VARIABLE}`,
      merchants: options.merchants,
      db: path.join(options.dbDir, "relayer.db"),
      port,
      pollIntervalMs: 20,
      ...options.settings,
    }),
  );
  const relayer = new RelayerProcess(["--config", file], { [KEY_VARIABLE]: options.key }) as StartedRelayer;
  relayer.url = `http://127.0.0.1:${port}`;
  relayer.port = port;
  try {
    await relayer.ready();
  } catch (error) {
    await relayer.kill();
    throw error;
  }
  return relayer;
}

// ---------------------------------------------------------------------------------------------------------------
// Signed bookings
// ---------------------------------------------------------------------------------------------------------------

/** A token's EIP-712 domain fields (MockUSDC: "USD Coin", "2"; MockStablecoin: "Mock USD", "1"). */
export type TokenDomain = { address: Address; name: string; version: string };

export type IntentWithDetails = { intent: BookingIntent; details: BookingDetails; salt: Hex };

/** An intent with fresh details, salt and nonce. */
export function newIntent({
  customer,
  offeringId,
  slotStart,
  seats = 1,
  deadline,
  details = { name: "Ada", contact: "ada@example.com", notes: "" },
}: {
  customer: Address;
  offeringId: number;
  slotStart: number;
  seats?: number;
  deadline: number;
  details?: BookingDetails;
}): IntentWithDetails {
  const salt = newSalt();
  return {
    intent: {
      customer,
      offeringId,
      slotStart,
      seats,
      detailsHash: hashDetails(details, salt),
      couponDigest: toHex(0, { size: 32 }),
      nonce: newSalt(),
      deadline,
    },
    details,
    salt,
  };
}

/** The customer's one signature for `bookWithAuthorization`: ERC-3009 `ReceiveWithAuthorization` of `amount` to
 *  the escrow, its nonce the intent's digest. */
export async function signAuthorizationBooking(
  customer: LocalAccount,
  intent: BookingIntent,
  { chainId, escrow, token, amount }: { chainId: number; escrow: Address; token: TokenDomain; amount: bigint },
): Promise<SignedBooking> {
  const authorization = await customer.signTypedData({
    domain: { name: token.name, version: token.version, chainId, verifyingContract: token.address },
    types: receiveWithAuthorizationTypes,
    primaryType: "ReceiveWithAuthorization",
    message: bookingAuthorizationMessage(intent, escrow, amount, hashBookingIntent(intent, chainId, escrow)),
  });
  return { intent, payment: { kind: "authorization", authorization }, coupon: null };
}

/** The customer's signatures for `bookWithSignature`: the intent in the escrow's domain, and an EIP-2612 permit of
 *  `amount` to the escrow (with the token's current permit nonce `permitNonce`) valid until the intent's deadline. */
export async function signPermitBooking(
  customer: LocalAccount,
  intent: BookingIntent,
  {
    chainId,
    escrow,
    token,
    amount,
    permitNonce,
  }: { chainId: number; escrow: Address; token: TokenDomain; amount: bigint; permitNonce: bigint },
): Promise<SignedBooking> {
  const signature = await customer.signTypedData({
    domain: escrowDomain(chainId, escrow),
    types: bookingIntentTypes,
    primaryType: "BookingIntent",
    message: intent,
  });
  const deadline = BigInt(intent.deadline);
  const permit = await customer.signTypedData({
    domain: { name: token.name, version: token.version, chainId, verifyingContract: token.address },
    types: permitTypes,
    primaryType: "Permit",
    message: { owner: intent.customer, spender: escrow, value: amount, nonce: permitNonce, deadline },
  });
  return { intent, payment: { kind: "permit", signature, permit: permitArgs(permit, amount, deadline) }, coupon: null };
}
