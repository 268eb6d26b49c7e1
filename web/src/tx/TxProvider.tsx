import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { useTranslation, withMessages } from "../i18n";
import type { Abi, Address, Chain, ContractFunctionArgs, ContractFunctionName, Hash, Hex } from "viem";
import { useConfig } from "wagmi";
import { getAccount } from "wagmi/actions";
import { chains, deploymentOn, explorerTxUrl } from "../config";
/** Loaded with the first transaction, not with the page. */
const loadSafeProposal = () => import("./safe-proposal");
const loadLifecycle = () => withMessages(import("./lifecycle"), "errors");
import type { TxDriver, TxFailure, TxResult, TxStep } from "./run-transaction";

/** A contract write as the dApp describes it: the call, plus a label for the toast. */
export type TxRequest<
  abi extends Abi = Abi,
  functionName extends ContractFunctionName<abi, "nonpayable" | "payable"> = ContractFunctionName<
    abi,
    "nonpayable" | "payable"
  >,
> = {
  label: string;
  address: `0x${string}`;
  abi: abi;
  functionName: functionName;
  args: ContractFunctionArgs<abi, "nonpayable" | "payable", functionName>;
  value?: bigint;
  /** Formats token amounts in error sentences, when the call is about one token. */
  formatAmount?: (value: bigint) => string;
  /** What the confirmed toast says happened ("Checked in 2 seats"), instead of a bare "Done". */
  done?: string;
};

/** An EIP-5792 batch the wallet confirms once and runs in order, all or nothing. */
export type TxCallsRequest = {
  label: string;
  calls: readonly { to: Address; data: Hex; value?: bigint }[];
  /** Checks the batch before the wallet is asked; throws the revert to report. */
  simulate: () => Promise<void>;
  formatAmount?: (value: bigint) => string;
  done?: string;
};

/** A call the customer signed and someone else sends (a merchant's relayer): simulated as `TxRequest` from the
 *  customer's address, then `submit` hands it over and resolves to the transaction's hash. */
export type TxRelayRequest<
  abi extends Abi = Abi,
  functionName extends ContractFunctionName<abi, "nonpayable" | "payable"> = ContractFunctionName<
    abi,
    "nonpayable" | "payable"
  >,
> = TxRequest<abi, functionName> & {
  submit: () => Promise<Hash>;
  /** Words the submitter's own errors (its refusals); the rest are classified as any transaction's. */
  classify?: (error: unknown) => TxFailure | undefined;
};

/** Thrown when a batch ends without any receipt to show for it. */
export class CallsFailedError extends Error {
  override name = "CallsFailedError";
  constructor(readonly status: string | undefined) {
    super(`The wallet's batch ended without a receipt (status ${status ?? "unknown"}).`);
  }
}

type Toast = {
  id: number;
  label: string;
  step: TxStep;
  hash?: string;
  message?: string;
  chain?: Chain;
  /** Shown once confirmed. */
  done?: string;
};

type Transactor = {
  send: <const abi extends Abi, functionName extends ContractFunctionName<abi, "nonpayable" | "payable">>(
    request: TxRequest<abi, functionName>,
  ) => Promise<TxResult>;
  /** A batch confirmed once in the wallet (EIP-5792); its receipt is the last call's. */
  sendCalls: (request: TxCallsRequest) => Promise<TxResult>;
  /** A call submitted by a relayer for the customer: no wallet step, a relayer step instead. */
  relay: <const abi extends Abi, functionName extends ContractFunctionName<abi, "nonpayable" | "payable">>(
    request: TxRelayRequest<abi, functionName>,
  ) => Promise<TxResult>;
  sign: <T>(
    label: string,
    sign: () => Promise<T>,
  ) => Promise<{ ok: true; value: T } | { ok: false; failure: TxFailure }>;
};

const TxContext = createContext<Transactor | null>(null);

/** Owns the lifecycle of every transaction and signature in the dApp, and shows it as toasts. */
export function TxProvider({ children }: { children: ReactNode }) {
  const config = useConfig();
  const queryClient = useQueryClient();
  const { t } = useTranslation();
  const [toasts, setToasts] = useState<Toast[]>([]);

  const check = useCallback(() => {
    const account = getAccount(config);
    if (!account.isConnected) return "notConnected" as const;
    return deploymentOn(account.chainId) && chains.some((c) => c.id === account.chainId)
      ? ("ready" as const)
      : ("wrongNetwork" as const);
  }, [config]);

  const transactor = useMemo<Transactor>(() => {
    let nextId = 1;
    const update = (id: number, patch: Partial<Toast>) =>
      setToasts((list) => list.map((toast) => (toast.id === id ? { ...toast, ...patch } : toast)));
    /** Simulates a contract write from the connected account; returns what `writeContract` takes. */
    const simulate = async (call: TxRequest) => {
      const { simulateContract } = await loadLifecycle();
      // Typed at the call site; here any write of any ABI goes the same way.
      const { request: prepared } = await simulateContract(config, {
        address: call.address,
        abi: call.abi,
        functionName: call.functionName,
        args: call.args,
        value: call.value,
        account: getAccount(config).address,
      });
      return prepared;
    };
    /** Runs one lifecycle and shows it as a toast. */
    const run = async <Request,>(
      { label, formatAmount, done }: Pick<TxRequest, "label" | "formatAmount" | "done">,
      driver: Omit<TxDriver<Request>, "check" | "wait">,
    ): Promise<TxResult> => {
      const id = nextId++;
      const chain = chains.find((c) => c.id === getAccount(config).chainId);
      setToasts((list) => [...list, { id, label, step: "simulating", chain, done }]);
      const { runTransaction, failureMessage, waitForTransactionReceipt } = await loadLifecycle();
      const result = await runTransaction(
        { check, wait: (hash) => waitForTransactionReceipt(config, { hash }), ...driver },
        ({ step, hash, failure }) =>
          update(id, { step, hash, message: failure ? failureMessage(failure, t, formatAmount) : undefined }),
      );
      if (result.ok) {
        // A success after a failure (a declined permit, then a booking that went through on retry) makes the
        // earlier red toast stale: leaving it beside the green one says the action failed when it did not.
        setToasts((list) => list.filter((toast) => toast.step !== "failed" || toast.id > id));
        await queryClient.invalidateQueries();
        setTimeout(() => setToasts((list) => list.filter((toast) => toast.id !== id)), 6000);
      }
      return result;
    };
    /** What the wallet answers may be a Safe's proposal (Safe App, or a Safe{Wallet} over WalletConnect): then
     *  the transaction is followed on chain, from the block before it was proposed, until the owners execute it. */
    const followingProposals = (): Pick<TxDriver<unknown>, "isProposal" | "waitForExecution"> & {
      beforeSend: () => Promise<void>;
    } => {
      const { address: account, chainId } = getAccount(config);
      let fromBlock = 0n;
      return {
        beforeSend: async () => {
          const { getBlockNumber } = await loadLifecycle();
          fromBlock = await getBlockNumber(config, { chainId });
        },
        isProposal: async () => {
          if (!account) return false;
          const { isSafeAccount, publicClientOn } = await loadSafeProposal();
          return isSafeAccount(publicClientOn(config, chainId), account);
        },
        waitForExecution: async (safeTxHash) => {
          const { waitForSafeExecution, publicClientOn } = await loadSafeProposal();
          return waitForSafeExecution(publicClientOn(config, chainId), { safe: account!, safeTxHash, fromBlock });
        },
      };
    };
    return {
      async send(request) {
        const { beforeSend, ...proposals } = followingProposals();
        return run(request, {
          simulate: () => simulate(request as unknown as TxRequest),
          send: async (prepared) => {
            await beforeSend();
            const { writeContract } = await loadLifecycle();
            return writeContract(config, prepared);
          },
          ...proposals,
        });
      },
      async sendCalls({ calls, simulate: preflight, ...request }) {
        return run(request, {
          simulate: preflight,
          send: async () => {
            const { sendCalls, waitForCallsStatus } = await loadLifecycle();
            const { id } = await sendCalls(config, { calls, forceAtomic: true });
            const { receipts, status } = await waitForCallsStatus(config, { id });
            // The last call (the booking) is the one whose receipt says how the batch ended.
            const last = receipts?.at(-1);
            if (!last) throw new CallsFailedError(status);
            return last.transactionHash;
          },
        });
      },
      async relay(request) {
        return run(request, {
          simulate: () => simulate(request as unknown as TxRequest),
          send: () => request.submit(),
          sendStep: "relaying",
          classify: request.classify,
        });
      },
      async sign(label, sign) {
        const { runSignature, failureMessage } = await loadLifecycle();
        const result = await runSignature(check, sign);
        if (!result.ok) {
          const id = nextId++;
          setToasts((list) => [...list, { id, label, step: "failed", message: failureMessage(result.failure, t) }]);
        }
        return result;
      },
    };
  }, [check, config, queryClient, t]);

  const dismiss = (id: number) => setToasts((list) => list.filter((toast) => toast.id !== id));

  return (
    <TxContext value={transactor}>
      {children}
      <ol className="toasts" aria-live="polite">
        {toasts.map((toast) => {
          const link = toast.hash ? explorerTxUrl(toast.chain, toast.hash) : undefined;
          return (
            <li key={toast.id} className={`toast toast-${toast.step}`} data-testid="tx-toast" data-step={toast.step}>
              <strong>{toast.label}</strong>
              <span data-testid="tx-step">
                {toast.step === "confirmed" && toast.done ? toast.done : t(`tx.step.${toast.step}`)}
              </span>
              {toast.message && <p role={toast.step === "failed" ? "alert" : undefined}>{toast.message}</p>}
              {link && (
                <a href={link} target="_blank" rel="noreferrer">
                  {t("tx.explorer")}
                </a>
              )}
              {(toast.step === "failed" || toast.step === "confirmed") && (
                <button type="button" className="link" onClick={() => dismiss(toast.id)}>
                  {t("action.dismiss")}
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </TxContext>
  );
}

export function useTransactor(): Transactor {
  const transactor = useContext(TxContext);
  if (!transactor) throw new Error("useTransactor must be used inside <TxProvider>");
  return transactor;
}
