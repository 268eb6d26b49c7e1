// The console's reads. Events are the backbone (one cached, range-chunked read shared by every view, folded once
// per read into the escrow's state, of which each ledger is a view); the few live values events cannot give
// (registration, allowed tokens, the block gas limit) are small `eth_call`s.
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { erc20Abi, zeroAddress, type Address } from "viem";
import { getBlock } from "viem/actions";
import {
  BookingStatus,
  foldEvents,
  ledgerOf,
  type Ledger,
  type LedgerBooking,
  type LedgerScope,
  readEscrowEvents,
  nativeToken,
  type TokenInfo,
  readMany,
  createRpc,
  earnestEscrowAbi,
} from "@earnest/sdk";
import { chains } from "../config";
import { useOfferings, useReadChain } from "../lib/chain";
import { browserLogCache } from "../lib/log-cache";

export function useMerchant(account: Address | undefined) {
  const { client, chainId, deployment } = useReadChain();
  return useQuery({
    queryKey: ["merchant", chainId, deployment?.escrow, account],
    queryFn: async () => {
      const [merchant] = await readMany(client, [
        { address: deployment!.escrow, abi: earnestEscrowAbi, functionName: "getMerchant", args: [account!] },
      ]);
      return merchant.payout === zeroAddress ? null : merchant;
    },
    enabled: deployment !== undefined && account !== undefined,
  });
}

/** Every escrow event since deployment, and the state they fold into. Each refetch (after a transaction, or when
 *  stale) reads only new blocks. Read only while `enabled`. */
export function useEscrowEvents(enabled = true) {
  const { chainId, deployment } = useReadChain();
  const rpcUrl = chains.find((c) => c.id === chainId)?.rpcUrls.default.http[0];
  return useQuery({
    queryKey: ["escrowEvents", chainId, deployment?.escrow],
    queryFn: async () => {
      const read = await readEscrowEvents(createRpc(rpcUrl!), {
        escrow: deployment!.escrow,
        fromBlock: deployment!.deployBlock,
        cache: browserLogCache(`console ${chainId}:${deployment!.escrow.toLowerCase()}`),
      });
      // Folded here, once per read, rather than by each view that shows a ledger.
      return { ...read, state: foldEvents(read.events) };
    },
    enabled: enabled && deployment !== undefined && rpcUrl !== undefined,
    // Thousands of events: comparing old and new deeply would cost more than it saves.
    structuralSharing: false,
  });
}

/** The ledger of `scope`, narrowed again only when new events arrive. */
export function useLedger(scope: LedgerScope): Ledger | undefined {
  const { data } = useEscrowEvents();
  const { merchant, arbiter } = scope;
  return useMemo(() => (data ? ledgerOf(data.state, { merchant, arbiter }) : undefined), [data, merchant, arbiter]);
}

/** What `arbiter` judges: whether any offering names it, and its open disputes in the order they were booked. */
export type ArbiterDocket = { ledger: Ledger; arbitrates: boolean; open: LedgerBooking[] };

export function useArbiterDocket(arbiter: Address): ArbiterDocket | undefined {
  const ledger = useLedger({ arbiter });
  return useMemo(() => {
    if (!ledger) return undefined;
    const open = [...ledger.bookings.values()].filter((b) => b.status === BookingStatus.Disputed);
    return { ledger, arbitrates: ledger.offerings.size > 0, open };
  }, [ledger]);
}

/** A merchant that granted `account` staff roles: whose front desk it may run, and with which roles. */
export type Employer = { merchant: Address; name: string; roles: number };

/** The merchants `account` is staff of now (from the `StaffRolesSet` events the console folds), once `enabled`. */
export function useEmployers(account: Address, enabled: boolean): Employer[] | undefined {
  const { data } = useEscrowEvents(enabled);
  return useMemo(() => {
    if (!data) return undefined;
    const employers: Employer[] = [];
    for (const [key, members] of data.state.staff) {
      const member = members.get(account.toLowerCase() as Address);
      if (!member) continue;
      const merchant = data.state.merchants.get(key);
      employers.push({ merchant: merchant?.merchant ?? key, name: merchant?.name ?? key, roles: member.roles });
    }
    return employers;
  }, [data, account]);
}

/** ETH and every token the escrow allows that the dApp knows of (the deployment's stablecoin, tokens in use). */
export function useTokenOptions() {
  const { client, chainId, deployment } = useReadChain();
  const { data: offerings } = useOfferings();
  const candidates = [
    ...new Set([deployment?.stablecoin, ...Object.keys(offerings?.tokens ?? {})].filter((t) => t && t !== zeroAddress)),
  ] as Address[];
  return useQuery({
    queryKey: ["tokenOptions", chainId, deployment?.escrow, candidates],
    queryFn: async (): Promise<TokenInfo[]> => {
      if (candidates.length === 0) return [nativeToken];
      const facts = await readMany(
        client,
        candidates.flatMap(
          (address) =>
            [
              { address: deployment!.escrow, abi: earnestEscrowAbi, functionName: "isTokenAllowed", args: [address] },
              { address, abi: erc20Abi, functionName: "symbol" },
              { address, abi: erc20Abi, functionName: "decimals" },
            ] as const,
        ),
      );
      const allowed = candidates
        .map((address, i) => ({
          address,
          ok: facts[3 * i] as boolean,
          symbol: facts[3 * i + 1] as string,
          decimals: facts[3 * i + 2] as number,
        }))
        .filter((t) => t.ok)
        .map(({ address, symbol, decimals }) => ({ address, symbol, decimals }));
      return [nativeToken, ...allowed];
    },
    enabled: deployment !== undefined && offerings !== undefined,
  });
}

export function useBlockGasLimit() {
  const { client, chainId } = useReadChain();
  return useQuery({
    queryKey: ["blockGasLimit", chainId],
    queryFn: async () => (await getBlock(client, { blockTag: "latest" })).gasLimit,
    staleTime: Infinity,
  });
}
