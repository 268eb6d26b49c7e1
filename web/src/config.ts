// Which chains the dApp works on and where Earnest lives on each: from the generated deployments map, never pasted.
import { deployments } from "@earnest/sdk";
import type { Address, Chain } from "viem";
import { base, baseSepolia, hardhat, mainnet, sepolia } from "viem/chains";
import { deploymentRpcUrls } from "./lib/rpc-urls";

/** The local chain's RPC: `npm run dev` serves it on 8545; tests and benchmarks pass their own. */
export const localRpcUrl: string = import.meta.env.VITE_RPC_URL ?? "http://127.0.0.1:8545";

/**
 * WalletConnect (Reown) project id, `VITE_WALLETCONNECT_PROJECT_ID` at build time (free at https://cloud.reown.com;
 * the project's allowed origins must list the dApp's). When set, the wallet picker offers WalletConnect: a QR code
 * for mobile wallets and Safe{Wallet}; its code loads only when picked. When unset, it is neither offered nor
 * loaded.
 */
export const walletConnectProjectId: string | undefined = import.meta.env.VITE_WALLETCONNECT_PROJECT_ID || undefined;

/**
 * The notifier's public URL (`VITE_NOTIFIER_URL` at build time, e.g. https://notifier.example): where the customer
 * subscribes a phone to Web Push notices (services/notifier/README.md, "Web Push"). When unset, My bookings offers no
 * push notices and the in-app reminder is the only one.
 */
export const notifierUrl: string | undefined = import.meta.env.VITE_NOTIFIER_URL || undefined;

/** The local chain, with the Multicall3 the local stack deploys (public chains have theirs at the usual address). */
const localMulticall = deployments[String(hardhat.id)]?.Multicall3;
const localChain: Chain = {
  ...hardhat,
  rpcUrls: { default: { http: [localRpcUrl] } },
  contracts: localMulticall
    ? { multicall3: { address: localMulticall.address, blockCreated: localMulticall.deployBlock } }
    : undefined,
};

/** Public chains read through the endpoint the deployment set (`VITE_RPC_URL_<chain id>`), else viem's default. */
const rpcUrls = deploymentRpcUrls(import.meta.env);
const withDeploymentRpc = (chain: Chain): Chain => {
  const url = rpcUrls.get(chain.id);
  return url ? { ...chain, rpcUrls: { ...chain.rpcUrls, default: { http: [url] } } } : chain;
};

const known: Record<string, Chain> = {
  [hardhat.id]: localChain,
  ...Object.fromEntries([sepolia, baseSepolia, mainnet, base].map((chain) => [chain.id, withDeploymentRpc(chain)])),
};

export type Deployment = {
  escrow: Address;
  deployBlock: bigint;
  /** The demo stablecoin, on chains that have one (the local chain, test networks). */
  stablecoin?: Address;
  /** Verified reviews (contracts/VerifiedReviews.sol), on chains where they are deployed beside the escrow. */
  reviews?: { address: Address; deployBlock: bigint };
};

/** Chains with a deployment, in the order the generated map lists them; the local chain when there is none yet. */
export const chains: [Chain, ...Chain[]] = (() => {
  const list = Object.keys(deployments)
    .map((id) => known[id])
    .filter((c): c is Chain => c !== undefined);
  return list.length > 0 ? (list as [Chain, ...Chain[]]) : [known[hardhat.id]];
})();

export function deploymentOn(chainId: number | undefined): Deployment | undefined {
  const entry = chainId === undefined ? undefined : deployments[String(chainId)];
  if (!entry?.EarnestEscrow) return undefined;
  return {
    escrow: entry.EarnestEscrow.address,
    deployBlock: BigInt(entry.EarnestEscrow.deployBlock),
    stablecoin: entry.MockStablecoin?.address,
    reviews: entry.VerifiedReviews && {
      address: entry.VerifiedReviews.address,
      deployBlock: BigInt(entry.VerifiedReviews.deployBlock),
    },
  };
}

/** The chain a visitor without a wallet reads from. */
export const defaultChain: Chain = chains[0];

export function explorerTxUrl(chain: Chain | undefined, hash: string): string | undefined {
  const url = chain?.blockExplorers?.default.url;
  return url ? `${url}/tx/${hash}` : undefined;
}
