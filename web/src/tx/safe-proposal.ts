// A Safe's wallet (Safe{Wallet} as a Safe App or over WalletConnect) answers a transaction with its Safe
// transaction hash: a proposal its owners still sign, that becomes a chain transaction only when one of them
// executes it. The chain is the one witness every such wallet shares: the Safe emits `ExecutionSuccess(txHash)` or
// `ExecutionFailure(txHash)` (txHash indexed, safe-smart-account 1.3 to 1.5) in the transaction that executes it.
import { parseAbi, type Address, type Hash, type PublicClient } from "viem";
import type { Config } from "wagmi";
import { getPublicClient } from "wagmi/actions";
import type { Execution } from "./run-transaction";

export const safeExecutionAbi = parseAbi([
  "event ExecutionSuccess(bytes32 indexed txHash, uint256 payment)",
  "event ExecutionFailure(bytes32 indexed txHash, uint256 payment)",
  "function getThreshold() view returns (uint256)",
]);

/** How often the chain is asked whether the other owners have executed the proposal. */
const POLL_MS = 2_000;

/** An EIP-7702 account's code is this prefix and the address it delegates to: an ordinary key, not a Safe. */
const DELEGATION_PREFIX = "0xef0100";

const isSafe = new Map<string, Promise<boolean>>();

/** The chain's client with every public action. Built here, in the chunk that loads with the first transaction,
 *  because viem's public actions would otherwise weigh on every page's first load. */
export function publicClientOn(config: Config, chainId: number | undefined): PublicClient {
  const client = getPublicClient(config, { chainId });
  if (!client) throw new Error(`No client for chain ${chainId}`);
  return client;
}

/** Whether `account` is a Safe: it has contract code that answers `getThreshold()`. Asked once per account. */
export function isSafeAccount(client: PublicClient, account: Address): Promise<boolean> {
  const key = `${client.chain?.id}:${account.toLowerCase()}`;
  let answer = isSafe.get(key);
  if (!answer) {
    answer = (async () => {
      const code = await client.getCode({ address: account });
      if (!code || code === "0x" || code.startsWith(DELEGATION_PREFIX)) return false;
      try {
        await client.readContract({ address: account, abi: safeExecutionAbi, functionName: "getThreshold" });
        return true;
      } catch {
        return false;
      }
    })();
    // A failed look-up (the RPC was down) is asked again next time.
    answer.catch(() => isSafe.delete(key));
    isSafe.set(key, answer);
  }
  return answer;
}

/** Waits until the Safe `safe` executes the proposal `safeTxHash`, looking at its logs from `fromBlock` (the block
 *  before the proposal was made). Some smart-account wallets answer with a real transaction hash instead; its
 *  receipt ends the wait as well. Stops with an AbortError when `signal` aborts. */
export async function waitForSafeExecution(
  client: PublicClient,
  {
    safe,
    safeTxHash,
    fromBlock,
    signal,
    pollMs = POLL_MS,
  }: {
    safe: Address;
    safeTxHash: Hash;
    fromBlock: bigint;
    signal?: AbortSignal;
    pollMs?: number;
  },
): Promise<Execution> {
  for (;;) {
    signal?.throwIfAborted();
    const filter = { address: safe, args: { txHash: safeTxHash }, fromBlock, toBlock: "latest" } as const;
    const [succeeded, failed, receipt] = await Promise.all([
      client.getLogs({ ...filter, event: safeExecutionAbi[0] }),
      client.getLogs({ ...filter, event: safeExecutionAbi[1] }),
      client.getTransactionReceipt({ hash: safeTxHash }).catch(() => undefined),
    ]);
    const [log] = [...succeeded, ...failed];
    if (log) return { hash: log.transactionHash, success: log.eventName === "ExecutionSuccess" };
    if (receipt) return { hash: receipt.transactionHash, success: receipt.status === "success" };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
