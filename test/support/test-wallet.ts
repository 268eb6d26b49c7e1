/// <reference lib="dom" />
// A wallet without an extension, injected into the page before the app loads: an EIP-1193 provider announced over
// EIP-6963 that forwards to the test node (which signs for its unlocked accounts). Tests steer it through
// `window.__testWallet`: reject the next request, or change networks. Two options: an account the node does not
// know (a private key: the page asks the test's process to sign, through the binding `SIGNER_BINDING`, see
// local-stack.ts), and EIP-5792 (`wallet_getCapabilities` says atomic batches are supported, `wallet_sendCalls`
// runs the calls in order as ONE confirmation, all or nothing, and `wallet_getCallsStatus` reports them).

export type TestWalletOptions = {
  rpcUrl: string;
  account: string;
  chainId: number;
  /** The account's key is held by the test's process: sign through `window[SIGNER_BINDING]`. */
  localSigner?: boolean;
  /** Speak EIP-5792 (atomic batches). */
  eip5792?: boolean;
};

/** The page binding a private-key account signs through: `(method, params) => { result } | { error }`. */
export const SIGNER_BINDING = "__testWalletSigner";

/** What the signer binding answers: the method's result, or an EIP-1193 error. */
export type SignerAnswer = { result: unknown } | { error: { code: number; message: string } };

/** Runs in the page (serialised by Playwright): it may only use what it declares. */
export function installTestWallet({
  rpcUrl,
  account,
  chainId: initialChainId,
  localSigner = false,
  eip5792 = false,
}: TestWalletOptions): void {
  type Listener = (...args: unknown[]) => void;
  const listeners = new Map<string, Set<Listener>>();
  const emit = (event: string, value: unknown) => listeners.get(event)?.forEach((fn) => fn(value));
  const SIGNING = new Set([
    "eth_sendTransaction",
    "eth_signTypedData_v4",
    "personal_sign",
    "eth_sign",
    "wallet_sendCalls",
  ]);
  const state = { chainId: initialChainId, connected: false, rejectNext: false, requests: [] as string[] };
  let id = 0;
  type Receipt = { status: string; logs: unknown[]; blockHash: string; blockNumber: string; gasUsed: string };
  const batches = new Map<string, { status: number; receipts: Receipt[] }>();

  const rpcError = (code: number, message: string) => Object.assign(new Error(message), { code });
  const hexChain = () => `0x${state.chainId.toString(16)}`;

  const forward = async (method: string, params: unknown) => {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: params ?? [] }),
    });
    const json = (await response.json()) as {
      result?: unknown;
      error?: { code: number; message: string; data?: unknown };
    };
    if (json.error) throw Object.assign(rpcError(json.error.code, json.error.message), { data: json.error.data });
    return json.result;
  };

  /** Signs or sends as the account: the node for its own accounts, the test's process for a private key. */
  const sign = async (method: string, params: unknown) => {
    if (!localSigner) return forward(method, params);
    const signer = (window as unknown as Record<string, (m: string, p: unknown) => Promise<SignerAnswer>>)[
      "__testWalletSigner"
    ];
    const answer = await signer(method, params ?? []);
    if ("error" in answer) throw rpcError(answer.error.code, answer.error.message);
    return answer.result;
  };

  const receiptOf = async (hash: string): Promise<Receipt & { transactionHash: string }> => {
    for (;;) {
      const receipt = (await forward("eth_getTransactionReceipt", [hash])) as
        (Receipt & { transactionHash: string }) | null;
      if (receipt) return receipt;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  /** EIP-5792 `wallet_sendCalls`: the calls in order, each as a transaction; all or nothing, by reverting the
   *  node to a snapshot when one fails (a test node's stand-in for a smart account's atomic batch). */
  const sendCalls = async (request: { calls: { to: string; data?: string; value?: string }[]; from?: string }) => {
    const snapshot = await forward("evm_snapshot", []);
    const receipts: Receipt[] = [];
    let status = 200;
    try {
      for (const call of request.calls) {
        const hash = await sign("eth_sendTransaction", [
          { from: account, to: call.to, data: call.data ?? "0x", ...(call.value ? { value: call.value } : {}) },
        ]);
        const receipt = await receiptOf(hash as string);
        if (receipt.status !== "0x1") {
          status = 500;
          break;
        }
        receipts.push(receipt);
      }
    } catch (error) {
      await forward("evm_revert", [snapshot]);
      throw error;
    }
    if (status !== 200) {
      await forward("evm_revert", [snapshot]);
      receipts.length = 0;
    }
    const batchId = `0x${Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("")}`;
    batches.set(batchId, { status, receipts });
    return { id: batchId };
  };

  const provider = {
    isTestWallet: true,
    async request({ method, params }: { method: string; params?: unknown }) {
      state.requests.push(method);
      if (state.rejectNext && (SIGNING.has(method) || method === "eth_requestAccounts")) {
        state.rejectNext = false;
        throw rpcError(4001, "User rejected the request.");
      }
      switch (method) {
        case "eth_requestAccounts":
          state.connected = true;
          emit("connect", { chainId: `0x${state.chainId.toString(16)}` });
          return [account];
        case "eth_accounts":
          return state.connected ? [account] : [];
        case "eth_chainId":
          return `0x${state.chainId.toString(16)}`;
        case "net_version":
          return String(state.chainId);
        case "wallet_switchEthereumChain": {
          const target = Number((params as [{ chainId: string }])[0].chainId);
          if (target !== initialChainId && target !== 31337) throw rpcError(4902, "Unrecognized chain.");
          state.chainId = target;
          emit("chainChanged", `0x${target.toString(16)}`);
          return null;
        }
        case "wallet_requestPermissions":
        case "wallet_revokePermissions":
          return [];
        case "wallet_getCapabilities":
          if (!eip5792) throw rpcError(4200, "The wallet does not support wallet_getCapabilities.");
          return { [hexChain()]: { atomic: { status: "supported" } } };
        case "wallet_sendCalls":
          if (!eip5792) throw rpcError(4200, "The wallet does not support wallet_sendCalls.");
          if (state.chainId !== 31337) throw rpcError(4100, "Wallet is on another chain.");
          return sendCalls((params as [{ calls: { to: string; data?: string; value?: string }[] }])[0]);
        case "wallet_getCallsStatus": {
          if (!eip5792) throw rpcError(4200, "The wallet does not support wallet_getCallsStatus.");
          const batchId = (params as [string])[0];
          const batch = batches.get(batchId);
          if (!batch) throw rpcError(5730, "Unknown bundle id.");
          return { version: "2.0.0", id: batchId, chainId: hexChain(), atomic: true, ...batch };
        }
        default:
          if (state.chainId !== 31337 && SIGNING.has(method)) throw rpcError(4100, "Wallet is on another chain.");
          if (SIGNING.has(method)) return sign(method, params);
          return forward(method, params);
      }
    },
    on(event: string, fn: Listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(fn);
    },
    removeListener(event: string, fn: Listener) {
      listeners.get(event)?.delete(fn);
    },
  };

  const controls = {
    rejectNext: () => (state.rejectNext = true),
    setChain: (chainId: number) => {
      state.chainId = chainId;
      emit("chainChanged", `0x${chainId.toString(16)}`);
    },
    requests: () => [...state.requests],
  };
  Object.assign(window, { __testWallet: controls });

  const info = {
    uuid: "6b1c0a43-5d55-4f0e-9f0b-2b4f3e0c0a11",
    name: "Test Wallet",
    icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'/%3E",
    rdns: "dev.earnest.testwallet",
  };
  const announce = () =>
    window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
}
