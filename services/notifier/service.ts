// Wires the parts together: checks the chain and the contract, opens the store, then runs the follower loop,
// the delivery queue and the health/metrics server until stopped.
import type { Server } from "node:http";
import {
  createPublicClient,
  decodeFunctionResult,
  encodeFunctionData,
  http,
  zeroAddress,
  type Address,
  type Hex,
} from "viem";
import {
  createRpc,
  deployments,
  earnestEscrowAbi,
  identifyEscrow,
  NoContractError,
  RpcUnreachableError,
} from "@earnest/sdk";
import { log, MissingSettingError } from "@earnest/service-kit";
import type { Config } from "./config.js";
import { DeliveryQueue } from "./delivery.js";
import { Follower } from "./follower.js";
import { handleLoyalty, LoyaltyIssuer } from "./loyalty.js";
import { renderMetrics } from "./metrics.js";
import { PushRouter, PushSender } from "./push.js";
import { handlePush } from "./push-http.js";
import { startServer, type Status } from "./server.js";
import { Store } from "./store.js";

type KnownDeployment = { EarnestEscrow?: { address: string; deployBlock: number } };

function knownDeployment(chainId: number): KnownDeployment["EarnestEscrow"] {
  return (deployments as Record<string, KnownDeployment>)[String(chainId)]?.EarnestEscrow;
}

export class Notifier {
  port = 0;
  private running = true;
  private lastOk: number | undefined;
  private lastError: string | undefined;
  private sleeper: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private server: Server | undefined;

  private constructor(
    readonly config: Config,
    readonly store: Store,
    private readonly follower: Follower,
    private readonly queue: DeliveryQueue,
  ) {}

  static async start(config: Config): Promise<Notifier> {
    // One retry: a step that still fails is tried again by the follow loop, and at start an RPC that never answers
    // is reported after two timeouts.
    const rpc = createRpc(config.rpc, { retries: 1, timeoutMs: config.rpcTimeoutMs, maxBatch: 200 });
    let chainId: number;
    try {
      chainId = Number(BigInt(await rpc.call<Hex>("eth_chainId")));
    } catch (error) {
      // Whatever answers there is not an RPC that works.
      throw error instanceof RpcUnreachableError ? error : new RpcUnreachableError({ url: config.rpc, cause: error });
    }
    const known = knownDeployment(chainId);
    const escrow = config.escrow ?? (known?.address as Address | undefined);
    if (!escrow) {
      throw new MissingSettingError(
        `No --escrow given and sdk/generated/deployments.ts has no EarnestEscrow for chain ${chainId}.`,
      );
    }
    const code = await rpc.call<Hex>("eth_getCode", [escrow, "latest"]);
    if (!code || code === "0x") throw new NoContractError({ address: escrow, chainId });
    // A token or a catch-all fallback would answer every read with nothing or zeros, and a notifier following it
    // would tell merchants nothing, silently: the same identity check as the verifier's (EIP-712 domain, and the
    // deployment's events where the deploy block is known).
    const knownDeployBlock =
      known && known.address.toLowerCase() === escrow.toLowerCase() ? BigInt(known.deployBlock) : undefined;
    await identifyEscrow(rpc, {
      escrow,
      chainId,
      blockNumber: BigInt(await rpc.call<Hex>("eth_blockNumber")),
      deployBlock: knownDeployBlock,
    });

    const store = new Store(config.db);
    try {
      store.bind(chainId, escrow);
      if (store.startBlock() === undefined) {
        const start = config.fromBlock ?? knownDeployBlock;
        if (start === undefined) {
          throw new MissingSettingError(`--from-block is needed: ${escrow} is not a deployment the sdk knows.`);
        }
        store.setStartBlock(start);
      }
      // Payouts of the configured merchants as they stand, for routing credits when they registered before the start.
      for (const merchant of config.merchants.keys()) {
        const data = encodeFunctionData({ abi: earnestEscrowAbi, functionName: "getMerchant", args: [merchant] });
        const result = await rpc.call<Hex>("eth_call", [{ to: escrow, data }, "latest"]);
        const { payout } = decodeFunctionResult({ abi: earnestEscrowAbi, functionName: "getMerchant", data: result });
        if (payout !== zeroAddress) store.putPayout(payout, merchant, 0n);
      }
    } catch (error) {
      store.close();
      throw error;
    }

    const push = config.push;
    if (!push) log("info", "push disabled", { reason: "no push.vapidPublicKey and push.vapidPrivateKey set" });
    const queue = new DeliveryQueue({
      store,
      config: config.delivery,
      merchants: config.merchants,
      alerts: config.alerts,
      push: push && new PushSender(store, push),
    });
    const loyalty = config.couponKey
      ? new LoyaltyIssuer({
          rpc,
          chainId,
          escrow,
          key: config.couponKey,
          merchants: config.merchants,
          push: push !== undefined,
        })
      : undefined;
    if (!loyalty) log("info", "loyalty disabled", { reason: "no --coupon-key set" });
    const follower = new Follower({
      rpc,
      store,
      chainId,
      escrow,
      startBlock: store.startBlock()!,
      confirmations: config.confirmations,
      blocksPerQuery: config.blocksPerQuery,
      merchants: config.merchants,
      alerts: config.alerts,
      risk: config.risk,
      inFlight: () => queue.mayHaveArrived(),
      onDeliveries: () => queue.wake(),
      onRewind: () => queue.discardReadAhead(),
      push: push && new PushRouter({ rpc, chainId, escrow, noticeSeconds: push.noticeSeconds }),
      loyalty,
    });
    // SIWE signatures of contract accounts (ERC-1271, ERC-6492) are checked with a call through the same RPC.
    const client = push && createPublicClient({ transport: http(config.rpc, { timeout: config.rpcTimeoutMs }) });
    const notifier = new Notifier(config, store, follower, queue);
    try {
      notifier.server = await startServer(
        config.host,
        config.port,
        () => notifier.status(),
        () => renderMetrics(notifier.status(), store.counters()),
        (req, res, path) =>
          (loyalty && handleLoyalty({ store, escrow, origins: push?.origins }, req, res, path)) ||
          (push && client
            ? handlePush({ store, client, chainId, origins: push.origins, config: push }, req, res, path)
            : false),
      );
    } catch (error) {
      store.close();
      throw error;
    }
    const address = notifier.server.address();
    notifier.port = typeof address === "object" && address ? address.port : config.port;
    queue.start();
    notifier.loop = notifier.follow();
    log("info", "started", {
      chainId,
      escrow,
      cursor: store.cursor()?.number ?? null,
      startBlock: store.startBlock(),
      confirmations: config.confirmations,
      merchants: config.merchants.size,
      alertWebhooks: config.alerts.urls.length,
      push: push ? { origins: push.origins } : false,
      loyalty: loyalty ? { signer: loyalty.signer } : false,
      metrics: `http://${config.host}:${notifier.port}/metrics`,
    });
    return notifier;
  }

  status(): Status {
    const counts = this.store.counts();
    const fresh =
      this.lastOk !== undefined && Date.now() - this.lastOk < Math.max(30_000, 5 * this.config.pollIntervalMs);
    return {
      healthy: this.running && fresh && this.lastError === undefined,
      head: this.follower.head,
      processed: this.follower.processed,
      confirmations: this.config.confirmations,
      pending: counts.pending,
      dead: counts.dead,
      inFlight: this.queue.inFlight.size,
      lastError: this.lastError,
    };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.sleeper = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async follow(): Promise<void> {
    let retryMs = this.config.pollIntervalMs;
    while (this.running) {
      let more: boolean;
      try {
        more = await this.follower.step();
        this.lastOk = Date.now();
        this.lastError = undefined;
        retryMs = this.config.pollIntervalMs;
      } catch (error) {
        this.lastError = (error as Error).message.split("\n")[0];
        log("error", "follow failed", { error: this.lastError, retryMs });
        await this.sleep(retryMs);
        retryMs = Math.min(retryMs * 2, 30_000);
        continue;
      }
      if (!more && this.running) await this.sleep(this.config.pollIntervalMs);
    }
  }

  /** Finishes the step under way and the requests in flight, then closes everything. */
  async stop(): Promise<void> {
    this.running = false;
    this.sleeper?.();
    await this.loop;
    await this.queue.stop();
    await new Promise((resolve) => this.server?.close(resolve));
    this.store.close();
    log("info", "stopped", { processed: this.follower.processed ?? null });
  }
}
