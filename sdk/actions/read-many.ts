import { multicall, type MulticallParameters } from "viem/actions";
import type { Client, ContractFunctionParameters } from "viem";

/** One `eth_call` for many reads: Multicall3 where the chain has it, else viem's deployless multicall (a local
 *  Hardhat chain has no Multicall3). Any failing read fails the whole batch. */
export function readMany<const contracts extends readonly ContractFunctionParameters[]>(
  client: Client,
  contracts: contracts,
) {
  const deployless = client.chain?.contracts?.multicall3 === undefined;
  return multicall(client, {
    contracts,
    allowFailure: false,
    deployless,
    batchSize: 0, // no size limit: one request
  } as MulticallParameters<contracts, false>);
}
