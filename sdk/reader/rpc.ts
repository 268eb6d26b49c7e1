// A small JSON-RPC client over fetch (or an EIP-1193 provider, a viem client included): batches, a timeout per
// request, retries with jittered exponential backoff on transient errors, and a count of the requests it sends
// (benchmarks and the auditor report it). No Node APIs.
import { RpcRequestError, RpcUnreachableError } from "./errors.js";

export type RpcCall = { method: string; params: unknown[] };

export type Eip1193 = { request(args: { method: string; params?: unknown }): Promise<unknown> };

export type RpcOptions = {
  /** Retries per request after transient errors (timeouts, 429, 5xx, rate limits). */
  retries?: number;
  /** First backoff delay in ms; it doubles each retry, and each wait is between half and all of it (jitter, so
   *  that many clients refused at once do not all come back at once). */
  backoffMs?: number;
  /** How long one request may take before it counts as a transient failure. */
  timeoutMs?: number;
  /** Most calls in one JSON-RPC batch. */
  maxBatch?: number;
};

export type Rpc = {
  call<T>(method: string, params?: unknown[]): Promise<T>;
  /** Many calls in as few HTTP requests as the batch size allows; results in order. Errors are thrown. */
  batch<T>(calls: RpcCall[]): Promise<T[]>;
  /** HTTP requests (or provider requests) sent so far, retries included. */
  readonly requests: number;
  readonly url: string;
};

type JsonRpcResponse = { id: number; result?: unknown; error?: { code?: number; message?: string } };

const TRANSIENT_CODES = new Set([-32005, 429]);
const TRANSIENT_TEXT = /rate limit|too many requests|timeout|timed out|temporarily|try again|busy|header not found/i;

/** True for an error a provider gives when a log range is too large (Alchemy, Infura, QuickNode, geth, etc.). */
export function isRangeTooLarge(error: unknown): boolean {
  const cause = error instanceof Error ? (error as { cause?: unknown }).cause : undefined;
  const text = error instanceof Error ? `${error.message} ${cause instanceof Error ? cause.message : ""}` : "";
  return /range|too many|more than \d+|limit exceeded|response size|query returned|block range|too large|10000/i.test(
    text,
  );
}

/** True when a provider refused a log range for the number or size of the logs in it rather than for its block
 *  count (Infura's "query returned more than 10000 results", Alchemy's "Log response size exceeded"): a range of
 *  the same size elsewhere in the history may well pass. */
export function isTooManyLogs(error: unknown): boolean {
  const text = error instanceof Error ? error.message : "";
  return /more than \d+ (results|logs)|response size|too many (results|logs)|query returned|result set/i.test(text);
}

/** The provider's cap on the logs of one answer, when its refusal names it. */
export function logCapOf(error: unknown): number | undefined {
  const match = /more than (\d+)/i.exec(error instanceof Error ? error.message : "");
  return match ? Number(match[1]) : undefined;
}

class TransientError extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TransientError(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createRpc(target: string | Eip1193, options: RpcOptions = {}): Rpc {
  const retries = options.retries ?? 5;
  const backoffMs = options.backoffMs ?? 250;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBatch = options.maxBatch ?? 100;
  const url = typeof target === "string" ? target : "provider";
  let requests = 0;
  let nextId = 1;

  async function viaProvider(provider: Eip1193, calls: RpcCall[]): Promise<JsonRpcResponse[]> {
    return withTimeout(
      Promise.all(
        calls.map(async (c, i) => {
          try {
            return { id: i, result: await provider.request({ method: c.method, params: c.params }) };
          } catch (e) {
            const err = e as { code?: number; message?: string };
            return { id: i, error: { code: err.code, message: err.message ?? String(e) } };
          }
        }),
      ),
      timeoutMs,
    );
  }

  async function viaFetch(endpoint: string, calls: RpcCall[]): Promise<JsonRpcResponse[]> {
    const ids = calls.map(() => nextId++);
    let list: JsonRpcResponse[];
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(calls.map((c, i) => ({ jsonrpc: "2.0", id: ids[i], method: c.method, params: c.params }))),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.status === 429 || response.status >= 500) throw new TransientError(`HTTP ${response.status}`);
      if (!response.ok) {
        throw new RpcRequestError({
          method: calls[0].method,
          code: response.status,
          detail: `HTTP ${response.status}`,
        });
      }
      const body: unknown = await response.json();
      list = (Array.isArray(body) ? body : [body]) as JsonRpcResponse[];
    } catch (e) {
      if (e instanceof TransientError || e instanceof RpcRequestError) throw e;
      // A refused connection, a timeout, a body cut short: the next attempt may well succeed.
      throw new TransientError(`network: ${(e as Error).message}`, { cause: e });
    }
    const byId = new Map(list.map((r) => [r.id, r]));
    return ids.map((id, i) => {
      const r = byId.get(id);
      if (r) return { ...r, id: i };
      // Some providers answer a whole batch with one error object.
      if (list.length === 1 && list[0].error) return { id: i, error: list[0].error };
      return { id: i, error: { code: -32603, message: "missing response in batch" } };
    });
  }

  async function withRetry(calls: RpcCall[]): Promise<unknown[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        requests++;
        const responses = await (typeof target === "string" ? viaFetch(target, calls) : viaProvider(target, calls));
        const transient = responses.find(
          (r) => r.error && (TRANSIENT_TEXT.test(r.error.message ?? "") || r.error.code === 429),
        );
        if (transient) throw new TransientError(transient.error!.message ?? "transient error");
        return responses.map((r, i) => {
          if (r.error) {
            const detail = r.error.message ?? "unknown error";
            throw new RpcRequestError({ method: calls[i].method, code: r.error.code, detail });
          }
          return r.result;
        });
      } catch (e) {
        const retryable =
          e instanceof TransientError ||
          (e instanceof RpcRequestError && e.code !== undefined && TRANSIENT_CODES.has(e.code) && !isRangeTooLarge(e));
        if (!retryable || attempt >= retries) {
          if (e instanceof TransientError) throw new RpcUnreachableError({ url, cause: e });
          throw e;
        }
        await sleep(backoffMs * 2 ** attempt * (0.5 + Math.random() / 2));
      }
    }
  }

  return {
    get requests() {
      return requests;
    },
    url,
    async call<T>(method: string, params: unknown[] = []) {
      const [result] = await withRetry([{ method, params }]);
      return result as T;
    },
    async batch<T>(calls: RpcCall[]) {
      const out: T[] = [];
      for (let i = 0; i < calls.length; i += maxBatch) {
        out.push(...((await withRetry(calls.slice(i, i + maxBatch))) as T[]));
      }
      return out;
    },
  };
}
