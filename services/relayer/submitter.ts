// Signs and broadcasts the relayer's transactions and follows them to their receipts. Nonces are handed out here,
// one at a time under a lock, so concurrent requests never collide; each transaction is written to the store
// (with its raw bytes) before it is broadcast, and a pending one is sent again until it has a receipt, also after a
// restart. One poll loop asks for every pending receipt at once instead of one watcher per request.
import {
  BaseError,
  keccak256,
  parseEventLogs,
  type Address,
  type Hex,
  type PrivateKeyAccount,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import { earnestEscrowAbi, type BookingIntent } from "@earnest/sdk";
import { log } from "@earnest/service-kit";
import type { BookingAnswer, ChainView, Fees } from "./chain.js";
import type { BudgetUnit } from "./config.js";
import { utcDay, type Store, type Submission } from "./store.js";

/** Why a submission did not book (the service answers SubmissionFailed, or BudgetExhausted / NonceUsed). */
export class SubmitError extends Error {
  override name = "SubmitError";
  constructor(
    readonly reason: "budget" | "nonce" | "failed" | "timeout",
    message: string,
  ) {
    super(message);
  }
}

export type SubmitRequest = {
  id: Hex;
  intent: BookingIntent;
  merchant: Address;
  budget: bigint;
  data: Hex;
  gas: bigint;
  fees: Fees;
};

type Waiter = { resolve: (answer: BookingAnswer) => void; reject: (error: Error) => void };

type Tracked = { submission: Submission; lastSentAt: number; waiters: Waiter[] };

/** A failed broadcast that is the node saying "I have it already": the transaction is out there. */
const ALREADY_SENT = /already known|known transaction|already imported|already in the mempool|already exists/i;
/** The nonce was taken by another transaction of this key: this one can never be mined. */
const NONCE_TAKEN = /nonce too low|nonce is too low|nonce has already been used/i;

function message(error: unknown): string {
  return (error instanceof BaseError ? error.details || error.shortMessage : String(error)).split("\n")[0];
}

export class Submitter {
  /** Transactions broadcast since start. */
  submitted = 0;
  gasUsed = 0n;
  weiSpent = 0n;
  private nextNonce = 0;
  private lock: Promise<unknown> = Promise.resolve();
  private readonly tracked = new Map<Hex, Tracked>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private lastHead: bigint | undefined;
  private running = false;

  constructor(
    private readonly client: PublicClient,
    private readonly chain: ChainView,
    private readonly account: PrivateKeyAccount,
    private readonly chainId: number,
    private readonly store: Store,
    private readonly options: { budgetUnit: BudgetUnit; pollIntervalMs: number; rebroadcastMs: number },
  ) {}

  get pendingCount(): number {
    return this.tracked.size;
  }

  /** Picks up the pending submissions of an earlier run (checked and sent again by the first poll) and the next
   *  nonce: after both the chain's pending count and every stored transaction. */
  async start(): Promise<void> {
    const onChain = await this.client.getTransactionCount({ address: this.account.address, blockTag: "pending" });
    this.nextNonce = Math.max(onChain, this.store.highestPendingTxNonce() + 1);
    for (const submission of this.store.pending()) {
      this.tracked.set(submission.txHash, { submission, lastSentAt: 0, waiters: [] });
    }
    this.running = true;
    if (this.tracked.size > 0) {
      log("info", "resuming pending submissions", { count: this.tracked.size });
      await this.poll();
    }
    this.schedule();
  }

  /** Signs, records and broadcasts the booking's transaction; resolves with the booking once it has a receipt. */
  async submit(request: SubmitRequest, receiptTimeoutMs: number): Promise<BookingAnswer> {
    const submission = await this.exclusively(() => this.broadcast(request));
    // A chain that mines on arrival (a local node) has the receipt already: one request instead of a poll.
    const tracked = this.tracked.get(submission.txHash);
    if (tracked) {
      const receipt = await this.client.getTransactionReceipt({ hash: submission.txHash }).catch(() => null);
      if (receipt && this.tracked.has(submission.txHash)) await this.settle(tracked, receipt);
    }
    return this.answer(this.store.submission(submission.id) ?? submission, receiptTimeoutMs);
  }

  /** The answer for a stored submission: at once when done, at its receipt when pending. */
  answer(submission: Submission, timeoutMs: number): Promise<BookingAnswer> {
    if (submission.status === "done") {
      return Promise.resolve({
        bookingId: submission.bookingId!,
        transactionHash: submission.txHash,
        blockNumber: submission.blockNumber!,
      });
    }
    if (submission.status === "failed") {
      return Promise.reject(new SubmitError("failed", submission.error ?? "The submission failed."));
    }
    let tracked = this.tracked.get(submission.txHash);
    if (!tracked) {
      // Finished in between: read it again.
      const fresh = this.store.submission(submission.id);
      if (fresh && fresh.status !== "pending") return this.answer(fresh, timeoutMs);
      tracked = { submission, lastSentAt: Date.now(), waiters: [] };
      this.tracked.set(submission.txHash, tracked);
    }
    const waiters = tracked.waiters;
    return new Promise<BookingAnswer>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(
          new SubmitError(
            "timeout",
            `Transaction ${submission.txHash} has no receipt after ${timeoutMs} ms; post the booking again for its answer.`,
          ),
        );
      }, timeoutMs);
      waiters.push(waiter);
    });
  }

  private exclusively<T>(body: () => Promise<T>): Promise<T> {
    const run = this.lock.then(body, body);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Runs under the lock: one nonce, one record, one broadcast at a time, in nonce order. */
  private async broadcast(request: SubmitRequest): Promise<Submission> {
    const { intent, fees } = request;
    const nonce = this.nextNonce;
    const rawTx = await this.account.signTransaction({
      chainId: this.chainId,
      type: "eip1559",
      to: this.chain.escrow,
      data: request.data,
      gas: request.gas,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      nonce,
      value: 0n,
    });
    const now = Date.now();
    const submission: Submission = {
      id: request.id,
      customer: intent.customer,
      nonce: intent.nonce,
      merchant: request.merchant,
      offeringId: intent.offeringId,
      day: utcDay(now),
      txNonce: nonce,
      txHash: keccak256(rawTx),
      rawTx,
      reserved: this.options.budgetUnit === "wei" ? request.gas * fees.maxFeePerGas : request.gas,
      status: "pending",
      bookingId: null,
      blockNumber: null,
      error: null,
      intent: JSON.stringify(intent),
    };
    const outcome = this.store.insertSubmission(submission, request.budget, now);
    if (outcome === "budget") {
      throw new SubmitError("budget", `Merchant ${request.merchant}'s gas budget for today is spent.`);
    }
    if (outcome === "nonce") {
      throw new SubmitError("nonce", `The customer's nonce ${intent.nonce} is taken by another booking.`);
    }
    this.nextNonce = nonce + 1;
    this.tracked.set(submission.txHash, { submission, lastSentAt: Date.now(), waiters: [] });
    try {
      await this.client.sendRawTransaction({ serializedTransaction: rawTx });
      this.submitted++;
    } catch (error) {
      const text = message(error);
      if (ALREADY_SENT.test(text)) return submission;
      if (error instanceof BaseError && /fetch failed|timed? ?out|ECONNREFUSED|socket/i.test(`${error.message}`)) {
        // Perhaps it arrived: keep it pending; the poll sends it again until it has a receipt.
        log("warn", "broadcast unconfirmed", { txHash: submission.txHash, error: text });
        return submission;
      }
      // Refused outright (no funds, fee too low, nonce taken): it will never be mined, so its nonce goes back.
      this.tracked.delete(submission.txHash);
      this.store.fail(submission.id, text, 0n, Date.now());
      this.nextNonce = await this.client.getTransactionCount({ address: this.account.address, blockTag: "pending" });
      throw new SubmitError("failed", `The transaction was refused: ${text}`);
    }
    return submission;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      void this.poll().finally(() => this.schedule());
    }, this.options.pollIntervalMs);
  }

  /** Asks for every pending receipt at once; finishes those that have one and sends the others again when due. */
  private async poll(): Promise<void> {
    if (this.polling || this.tracked.size === 0) return;
    this.polling = true;
    try {
      // Receipts only come with blocks: ask for them when there is a new one, or when a resend is due.
      const head = await this.client.getBlockNumber({ cacheTime: 0 });
      const resendDue = [...this.tracked.values()].some((t) => Date.now() - t.lastSentAt >= this.options.rebroadcastMs);
      if (head === this.lastHead && !resendDue) return;
      this.lastHead = head;
      const entries = [...this.tracked.values()];
      const receipts = await Promise.all(
        entries.map((t) =>
          this.client.getTransactionReceipt({ hash: t.submission.txHash }).catch((error: unknown) => {
            if (error instanceof BaseError && error.name === "TransactionReceiptNotFoundError") return null;
            throw error;
          }),
        ),
      );
      for (let i = 0; i < entries.length; i++) {
        const receipt = receipts[i];
        if (receipt) await this.settle(entries[i], receipt);
        else if (Date.now() - entries[i].lastSentAt >= this.options.rebroadcastMs) await this.resend(entries[i]);
      }
    } catch (error) {
      log("warn", "receipt poll failed", { error: message(error) });
    } finally {
      this.polling = false;
    }
  }

  private async resend(tracked: Tracked): Promise<void> {
    tracked.lastSentAt = Date.now();
    const { submission } = tracked;
    try {
      await this.client.sendRawTransaction({ serializedTransaction: submission.rawTx });
      log("info", "sent again", { txHash: submission.txHash, txNonce: submission.txNonce });
    } catch (error) {
      const text = message(error);
      if (ALREADY_SENT.test(text)) return;
      if (NONCE_TAKEN.test(text)) {
        // Mined meanwhile (the next poll finds its receipt), or replaced: check once more before giving up.
        const receipt = await this.client
          .getTransactionReceipt({ hash: submission.txHash })
          .catch(() => null as TransactionReceipt | null);
        if (receipt) return this.settle(tracked, receipt);
        this.tracked.delete(submission.txHash);
        this.store.fail(submission.id, `Its nonce was used by another transaction: ${text}`, 0n, Date.now());
        await this.found(tracked, new SubmitError("failed", "The transaction was replaced before it was mined."));
        return;
      }
      log("warn", "send again failed", { txHash: submission.txHash, error: text });
    }
  }

  private async settle(tracked: Tracked, receipt: TransactionReceipt): Promise<void> {
    const { submission } = tracked;
    this.tracked.delete(submission.txHash);
    const cost = this.options.budgetUnit === "wei" ? receipt.gasUsed * receipt.effectiveGasPrice : receipt.gasUsed;
    this.gasUsed += receipt.gasUsed;
    this.weiSpent += receipt.gasUsed * receipt.effectiveGasPrice;
    const booked = parseEventLogs({ abi: earnestEscrowAbi, logs: receipt.logs, eventName: "Booked" }).find(
      (l) => l.address.toLowerCase() === this.chain.escrow.toLowerCase(),
    );
    if (receipt.status === "success" && booked) {
      const answer = {
        bookingId: booked.args.bookingId,
        transactionHash: receipt.transactionHash,
        blockNumber: receipt.blockNumber,
      };
      this.store.finish(submission.id, { ...answer, spent: cost }, Date.now());
      for (const w of tracked.waiters) w.resolve(answer);
      return;
    }
    this.store.fail(submission.id, "The transaction reverted on chain.", cost, Date.now());
    log("warn", "reverted", { txHash: submission.txHash, id: submission.id });
    await this.found(tracked, new SubmitError("failed", `Transaction ${submission.txHash} reverted on chain.`));
  }

  /** A submission that did not book: someone else may have booked the same intent first; answer that if so. */
  private async found(tracked: Tracked, otherwise: Error): Promise<void> {
    let answer: BookingAnswer | undefined;
    try {
      answer = await this.chain.findBooked(JSON.parse(tracked.submission.intent) as BookingIntent);
    } catch {
      answer = undefined;
    }
    for (const w of tracked.waiters) {
      if (answer) w.resolve(answer);
      else w.reject(otherwise);
    }
  }

  /** Stops polling; what is still pending stays in the store for the next start. */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    for (const tracked of this.tracked.values()) {
      for (const w of tracked.waiters) w.reject(new SubmitError("timeout", "The relayer is stopping."));
    }
  }
}
