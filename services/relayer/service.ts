// The relayer: checks a signed booking (offering served, payment supported, deadline and nonce fresh, simulation
// succeeds, budget left), submits it with its own key and answers with the booking. Start-up checks the chain, the
// escrow and the store, resumes pending submissions, then serves HTTP (server.ts).
import type { Server } from "node:http";
import {
  createPublicClient,
  encodeFunctionData,
  http,
  zeroAddress,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import {
  createRpc,
  deployments,
  earnestEscrowAbi,
  hashBookingIntent,
  identifyEscrow,
  InvalidSignedBookingError,
  noCoupon,
  NoContractError,
  parseSignedBooking,
  RpcUnreachableError,
  type RelayerBookingAnswer,
  type RelayerRefusalCode,
  type SignedBooking,
} from "@earnest/sdk";
import { log, MissingSettingError } from "@earnest/service-kit";
import { ChainView, decodeRevert, isRevert, type BookingAnswer } from "./chain.js";
import { InvalidKeyError, type Config } from "./config.js";
import { TokenBuckets } from "./limits.js";
import { Histogram, renderMetrics } from "./metrics.js";
import { startServer } from "./server.js";
import { Store, utcDay } from "./store.js";
import { SubmitError, Submitter } from "./submitter.js";

/** A refusal: the code (and so the HTTP status), a plain-English message and any details for the client. */
export class Refusal extends Error {
  override name = "Refusal";
  constructor(
    readonly code: RelayerRefusalCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const HEALTH_INTERVAL_MS = 2000;
const HEALTHY_WITHIN_MS = 15_000;
/** Head of gas over the estimate, so that small state changes between simulation and mining do not run out. */
const GAS_HEADROOM_PERCENT = 25n;

type KnownDeployment = { EarnestEscrow?: { address: string; deployBlock: number } };

const toJson = (a: BookingAnswer): RelayerBookingAnswer => ({
  bookingId: a.bookingId.toString(),
  transactionHash: a.transactionHash,
  blockNumber: a.blockNumber.toString(),
});

/** Seconds until the next UTC midnight, when every budget starts again. */
function secondsToNextUtcDay(now = Date.now()): number {
  return Math.ceil((Math.floor(now / 86_400_000 + 1) * 86_400_000 - now) / 1000);
}

export class Relayer {
  port = 0;
  readonly requests = new Map<string, number>();
  readonly latency = new Histogram();
  private server: Server | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private lastOk = Date.now();
  private balance: bigint | undefined;
  /** Requests for the same intent still being checked share one outcome. */
  private readonly inFlight = new Map<Hex, Promise<RelayerBookingAnswer>>();
  private readonly customerLimits: TokenBuckets;
  private readonly ipLimits: TokenBuckets;

  private constructor(
    readonly config: Config,
    readonly chainId: number,
    readonly escrow: Address,
    readonly account: PrivateKeyAccount,
    private readonly store: Store,
    private readonly chain: ChainView,
    private readonly submitter: Submitter,
  ) {
    this.customerLimits = new TokenBuckets(config.rateLimits.customer);
    this.ipLimits = new TokenBuckets(config.rateLimits.ip);
  }

  static async start(config: Config): Promise<Relayer> {
    let account: PrivateKeyAccount;
    try {
      account = privateKeyToAccount(config.key);
    } catch {
      throw new InvalidKeyError("The key is not a valid secp256k1 private key.");
    }
    const client = createPublicClient({
      transport: http(config.rpc, { batch: true, retryCount: 2, timeout: 20_000 }),
      pollingInterval: config.pollIntervalMs,
    }) as PublicClient;
    let chainId: number;
    try {
      chainId = await client.getChainId();
    } catch (error) {
      throw new RpcUnreachableError({ url: config.rpc, cause: error });
    }
    const known = (deployments as Record<string, KnownDeployment>)[String(chainId)]?.EarnestEscrow;
    const escrow = config.escrow ?? (known?.address as Address | undefined);
    if (!escrow) {
      throw new MissingSettingError(
        `No --escrow given and sdk/generated/deployments.ts has no EarnestEscrow for chain ${chainId}.`,
      );
    }
    const code = await client.getCode({ address: escrow });
    if (!code || code === "0x") throw new NoContractError({ address: escrow, chainId });
    // The verifier's identity check (EIP-712 domain "Earnest" version 2, which has signed bookings; the deployment's
    // events when the deploy block is known): a token or a catch-all fallback would answer the relayer's reads with
    // reverts or zero words, and every customer's booking would fail at submission instead of at start.
    await identifyEscrow(createRpc(config.rpc, { retries: 2, timeoutMs: 20_000 }), {
      escrow,
      chainId,
      blockNumber: await client.getBlockNumber(),
      deployBlock:
        known && known.address.toLowerCase() === escrow.toLowerCase() ? BigInt(known.deployBlock) : undefined,
    });

    const store = new Store(config.db);
    try {
      store.bind({ chainId, escrow, relayer: account.address });
      const chain = new ChainView(client, escrow, config.fromBlock);
      const submitter = new Submitter(client, chain, account, chainId, store, config);
      const relayer = new Relayer(config, chainId, escrow, account, store, chain, submitter);
      // Pending submissions first: the next nonce must be known before the first request.
      await submitter.start();
      try {
        relayer.server = await startServer(config, relayer);
      } catch (error) {
        submitter.stop();
        throw error;
      }
      const address = relayer.server.address();
      relayer.port = typeof address === "object" && address ? address.port : config.port;
      await relayer.checkHealth();
      relayer.healthTimer = setInterval(() => void relayer.checkHealth(), HEALTH_INTERVAL_MS);
      if (relayer.balance === 0n) log("warn", "the relayer account has no ETH: every submission will fail", {});
      log("info", "started", {
        chainId,
        escrow,
        relayer: account.address,
        merchants: [...config.merchants.keys()],
        budgetUnit: config.budgetUnit,
        url: `http://${config.host}:${relayer.port}/`,
        pending: submitter.pendingCount,
      });
      return relayer;
    } catch (error) {
      store.close();
      throw error;
    }
  }

  private async checkHealth(): Promise<void> {
    try {
      this.balance = await this.chain.client.getBalance({ address: this.account.address });
      this.lastOk = Date.now();
    } catch (error) {
      log("warn", "health check failed", { error: (error as Error).message.split("\n")[0] });
    }
  }

  get healthy(): boolean {
    return Date.now() - this.lastOk < HEALTHY_WITHIN_MS;
  }

  info() {
    return {
      escrow: this.escrow,
      chainId: this.chainId,
      relayer: this.account.address,
      merchants: [...this.config.merchants.keys()],
      minDeadlineSeconds: this.config.minDeadlineSeconds,
    };
  }

  health() {
    return {
      ok: this.healthy,
      chainId: this.chainId,
      relayer: this.account.address,
      balanceWei: this.balance?.toString() ?? null,
      pending: this.submitter.pendingCount,
    };
  }

  metrics(): string {
    const day = utcDay(Date.now());
    return renderMetrics({
      up: this.healthy,
      requests: this.requests,
      latency: this.latency,
      submitted: this.submitter.submitted,
      pending: this.submitter.pendingCount,
      gasUsed: this.submitter.gasUsed,
      weiSpent: this.submitter.weiSpent,
      balanceWei: this.balance,
      budgetUnit: this.config.budgetUnit,
      budgets: [...this.config.merchants].map(([merchant, budget]) => ({
        merchant,
        budget,
        ...this.store.budgetUse(merchant, day),
      })),
    });
  }

  /** Records a finished POST /bookings for the metrics. */
  observe(outcome: string, seconds: number): void {
    this.requests.set(outcome, (this.requests.get(outcome) ?? 0) + 1);
    this.latency.observe(seconds);
  }

  /** POST /bookings: the booking's answer, or a Refusal. */
  async book(body: unknown, ip: string): Promise<RelayerBookingAnswer> {
    let booking: SignedBooking;
    try {
      booking = parseSignedBooking(body);
    } catch (error) {
      if (error instanceof InvalidSignedBookingError) {
        throw new Refusal("BadRequest", error.message, { field: error.field });
      }
      throw error;
    }
    const { intent } = booking;
    const id = hashBookingIntent(intent, this.chainId, this.escrow);

    // Ours already (also from before a restart): the same answer again; another intent with its nonce is refused.
    const existing = this.store.submissionByNonce(intent.customer, intent.nonce);
    if (existing) {
      if (existing.id !== id) {
        throw new Refusal("NonceUsed", "This nonce was used by another of the customer's bookings.", {
          nonce: intent.nonce,
        });
      }
      return this.answer(this.submitter.answer(existing, this.config.receiptTimeoutMs));
    }
    const running = this.inFlight.get(id);
    if (running) return running;

    const ipWait = this.ipLimits.take(ip);
    if (ipWait > 0) {
      throw new Refusal("RateLimited", "Too many bookings from this address; try again later.", {
        retryAfter: ipWait,
        scope: "ip",
      });
    }
    const customerWait = this.customerLimits.take(intent.customer);
    if (customerWait > 0) {
      this.ipLimits.giveBack(ip);
      throw new Refusal("RateLimited", "Too many bookings by this customer; try again later.", {
        retryAfter: customerWait,
        scope: "customer",
      });
    }
    const outcome = this.checkAndSubmit(booking, id).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, outcome);
    return outcome;
  }

  private async answer(answer: Promise<BookingAnswer>): Promise<RelayerBookingAnswer> {
    try {
      return toJson(await answer);
    } catch (error) {
      if (error instanceof SubmitError) throw this.refusalOf(error);
      throw error;
    }
  }

  private refusalOf(error: SubmitError): Refusal {
    return new Refusal("SubmissionFailed", error.message);
  }

  private async checkAndSubmit(booking: SignedBooking, id: Hex): Promise<RelayerBookingAnswer> {
    const { intent, payment, coupon } = booking;
    const offering = await this.rpc(() => this.chain.offering(intent.offeringId));
    if (!offering) {
      throw new Refusal("OfferingNotServed", `There is no offering ${intent.offeringId}.`, {
        offeringId: intent.offeringId,
      });
    }
    const budget = this.config.merchants.get(offering.merchant);
    if (budget === undefined) {
      throw new Refusal("OfferingNotServed", `Offering ${intent.offeringId} is not one of this relayer's merchants'.`, {
        offeringId: intent.offeringId,
        merchant: offering.merchant,
      });
    }
    if (offering.token === zeroAddress) {
      throw new Refusal("UnsupportedPayment", "The offering is paid in ETH: book it from a wallet.", {
        token: zeroAddress,
      });
    }
    const needs = payment.kind === "authorization" ? "authorization" : payment.permit ? "permit" : undefined;
    if (needs && !(await this.rpc(() => this.chain.supports(offering.token, needs)))) {
      throw new Refusal(
        "UnsupportedPayment",
        needs === "authorization"
          ? "The offering's token has no ERC-3009 authorizations: sign a permit instead."
          : "The offering's token has no EIP-2612 permit.",
        { token: offering.token, kind: needs },
      );
    }

    const [now, used] = await this.rpc(() =>
      Promise.all([this.chain.now(), this.chain.nonceUsed(intent.customer, intent.nonce)]),
    );
    const minimum = this.config.minDeadlineSeconds;
    if (intent.deadline <= now || intent.deadline - now < minimum) {
      throw new Refusal(
        "Expired",
        intent.deadline <= now
          ? "The booking's deadline has passed: sign it again."
          : `The booking's deadline is too close: this relayer needs at least ${minimum} s to submit it.`,
        { deadline: intent.deadline, now, minimum },
      );
    }
    if (used) return this.bookedByOthers(booking);

    const data =
      payment.kind === "authorization"
        ? encodeFunctionData({
            abi: earnestEscrowAbi,
            functionName: "bookWithAuthorization",
            args: [intent, payment.authorization, coupon?.coupon ?? noCoupon, coupon?.signature ?? "0x"],
          })
        : encodeFunctionData({
            abi: earnestEscrowAbi,
            functionName: "bookWithSignature",
            args: [
              intent,
              payment.signature,
              payment.permit ?? { value: 0n, deadline: 0n, v: 0, r: `0x${"00".repeat(32)}`, s: `0x${"00".repeat(32)}` },
              coupon?.coupon ?? noCoupon,
              coupon?.signature ?? "0x",
            ],
          });
    let gas: bigint;
    try {
      gas = await this.chain.estimate(this.account.address, data);
    } catch (error) {
      if (!isRevert(error)) throw this.unreachable(error);
      const revert = decodeRevert(error);
      if (revert.errorName === "BookingNonceUsed") return this.bookedByOthers(booking);
      if (revert.errorName === "BookingIntentExpired") {
        throw new Refusal("Expired", "The booking's deadline has passed: sign it again.", {
          deadline: intent.deadline,
          minimum,
        });
      }
      throw new Refusal(
        "SimulationFailed",
        revert.errorName
          ? `The escrow would refuse this booking: ${revert.errorName}.`
          : `The escrow would refuse this booking: ${revert.reason}`,
        {
          errorName: revert.errorName ?? null,
          args: revert.args.map((a) => (typeof a === "bigint" ? a.toString() : a)),
        },
      );
    }
    const gasLimit = gas + (gas * GAS_HEADROOM_PERCENT) / 100n;
    const fees = await this.rpc(() => this.chain.currentFees());
    const cost = this.config.budgetUnit === "wei" ? gasLimit * fees.maxFeePerGas : gasLimit;
    const day = utcDay(Date.now());
    const { spent, reserved } = this.store.budgetUse(offering.merchant, day);
    if (spent + reserved + cost > budget) throw this.budgetExhausted(offering.merchant, budget, spent + reserved, cost);

    try {
      return toJson(
        await this.submitter.submit(
          { id, intent, merchant: offering.merchant, budget, data, gas: gasLimit, fees },
          this.config.receiptTimeoutMs,
        ),
      );
    } catch (error) {
      if (!(error instanceof SubmitError)) throw this.unreachable(error);
      if (error.reason === "budget") {
        const use = this.store.budgetUse(offering.merchant, day);
        throw this.budgetExhausted(offering.merchant, budget, use.spent + use.reserved, cost);
      }
      if (error.reason === "nonce") {
        // A concurrent request with another intent for the same nonce got there first.
        throw new Refusal("NonceUsed", "This nonce was used by another of the customer's bookings.", {
          nonce: intent.nonce,
        });
      }
      throw this.refusalOf(error);
    }
  }

  private budgetExhausted(merchant: Address, budget: bigint, used: bigint, cost: bigint): Refusal {
    return new Refusal("BudgetExhausted", "The merchant's gas budget for today is spent; try again tomorrow.", {
      merchant,
      unit: this.config.budgetUnit,
      budget: budget.toString(),
      used: used.toString(),
      needed: cost.toString(),
      retryAfter: secondsToNextUtcDay(),
    });
  }

  /** The nonce is used on chain: answer the booking when it is this intent's, else refuse. */
  private async bookedByOthers(booking: SignedBooking): Promise<RelayerBookingAnswer> {
    const found = await this.rpc(() => this.chain.findBooked(booking.intent));
    if (found) return toJson(found);
    throw new Refusal("NonceUsed", "This nonce was used by another of the customer's bookings.", {
      nonce: booking.intent.nonce,
    });
  }

  private async rpc<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      throw this.unreachable(error);
    }
  }

  private unreachable(error: unknown): Refusal {
    if (error instanceof Refusal) return error;
    log("error", "chain read failed", { error: (error as Error).message.split("\n")[0] });
    return new Refusal("SubmissionFailed", "The relayer cannot reach the chain now; try again shortly.");
  }

  /** Closes the HTTP server and the store; pending submissions stay stored for the next start. */
  async stop(): Promise<void> {
    clearInterval(this.healthTimer);
    this.submitter.stop();
    await new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(resolve);
    });
    this.store.close();
    log("info", "stopped", {});
  }
}
