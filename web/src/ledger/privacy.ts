// Whether a request may reach Ledger's clear-signing servers: never for a local chain (its contracts are
// unknown to Ledger and the addresses are nobody's business), otherwise as the user chose.
import type { Chain } from "viem";
import { loadClearSigningMetadata } from "./preferences";

const LOCAL_CHAIN_IDS = new Set([31337, 1337]);
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

export function isLocalChain(chain: Chain): boolean {
  if (LOCAL_CHAIN_IDS.has(chain.id)) return true;
  const urls = chain.rpcUrls.default.http;
  return urls.length > 0 && urls.every((url) => LOOPBACK.test(new URL(url).hostname));
}

export function metadataAllowed(chains: readonly Chain[], chainId: number | undefined): boolean {
  const chain = chains.find((candidate) => candidate.id === chainId);
  return chain !== undefined && !isLocalChain(chain) && loadClearSigningMetadata();
}
