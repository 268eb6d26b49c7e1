// One audit run in the browser: the sdk's own `audit()` (so the report is byte-identical to the CLI's) over a
// fetch-based RPC that stops at the next request once the run is cancelled.
import {
  audit,
  createRpc,
  historyCacheOf,
  readTokenUnits,
  type AuditResult,
  type Progress,
  type Rpc,
  type TokenUnits,
} from "@earnest/sdk";
import { browserLogCache } from "../lib/log-cache";
import type { AuditInput } from "./validate";

/**
 * `rpc` that throws the signal's reason before and after each request once `signal` is aborted. `audit()` takes
 * no signal itself; every step it takes goes through the RPC, so this stops it within one request.
 */
export function abortableRpc(rpc: Rpc, signal: AbortSignal): Rpc {
  async function guard<T>(request: () => Promise<T>): Promise<T> {
    signal.throwIfAborted();
    const result = await request();
    signal.throwIfAborted();
    return result;
  }
  return {
    get requests() {
      return rpc.requests;
    },
    url: rpc.url,
    call: <T>(method: string, params?: unknown[]) => guard(() => rpc.call<T>(method, params)),
    batch: <T>(calls: Parameters<Rpc["batch"]>[0]) => guard(() => rpc.batch<T>(calls)),
  };
}

/** An audit's result and the unit of each of its tokens, for the page to count amounts in. */
export type AuditRun = AuditResult & { units: TokenUnits };

export async function runAudit(
  input: AuditInput,
  { signal, onProgress }: { signal: AbortSignal; onProgress: Progress },
): Promise<AuditRun> {
  const rpc = abortableRpc(createRpc(input.rpcUrl), signal);
  const result = await audit({
    rpc,
    escrow: input.escrow,
    fromBlock: input.fromBlock,
    toBlock: input.toBlock,
    // One record of the whole history: fine for the deployments a browser can hold.
    cache: historyCacheOf(browserLogCache(`audit ${input.rpcUrl} ${input.escrow.toLowerCase()}`)),
    onProgress,
  });
  const units = await readTokenUnits(rpc, {
    tokens: result.verification.tokens.map((t) => t.token),
    blockNumber: result.meta.anchor.number,
  });
  return { ...result, units };
}
