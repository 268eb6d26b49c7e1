/// <reference lib="dom" />
// A wallet without an extension, injected into the page before the app loads: an EIP-1193 provider announced over
// EIP-6963 that forwards to the test node (which signs for its unlocked accounts). Tests steer it through
// `window.__testWallet`: reject the next request, or change networks.

export type TestWalletOptions = { rpcUrl: string; account: string; chainId: number };

/** Runs in the page (serialised by Playwright): it may only use what it declares. */
export function installTestWallet({ rpcUrl, account, chainId: initialChainId }: TestWalletOptions): void {
  type Listener = (...args: unknown[]) => void;
  const listeners = new Map<string, Set<Listener>>();
  const emit = (event: string, value: unknown) => listeners.get(event)?.forEach((fn) => fn(value));
  const SIGNING = new Set(["eth_sendTransaction", "eth_signTypedData_v4", "personal_sign", "eth_sign"]);
  const state = { chainId: initialChainId, connected: false, rejectNext: false, requests: [] as string[] };
  let id = 0;

  const rpcError = (code: number, message: string) => Object.assign(new Error(message), { code });

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
        default:
          if (state.chainId !== 31337 && SIGNING.has(method)) throw rpcError(4100, "Wallet is on another chain.");
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
