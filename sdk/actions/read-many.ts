import { multicall, readContract, type MulticallParameters, type MulticallReturnType } from "viem/actions";
import {
  decodeFunctionResult,
  prepareEncodeFunctionData,
  type Abi,
  type AbiFunction,
  type Hex,
  encodeFunctionData,
  multicall3Abi,
  type Client,
  type ContractFunctionParameters,
} from "viem";

/** One `eth_call` for many reads: Multicall3 where the chain has it, else viem's deployless multicall (a local
 *  Hardhat chain has no Multicall3). Any failing read fails the whole batch, with viem's error for it (read again
 *  through viem's multicall, which names the failure; the fast path only knows that one failed). */
export async function readMany<const contracts extends readonly ContractFunctionParameters[]>(
  client: Client,
  contracts: contracts,
): Promise<MulticallReturnType<contracts, false>> {
  const deployless = client.chain?.contracts?.multicall3 === undefined;
  const viaViem = () =>
    multicall(client, {
      contracts,
      allowFailure: false,
      deployless,
      batchSize: 0, // no size limit: one request
    } as MulticallParameters<contracts, false>);
  if (deployless) return viaViem();
  const results = (await tryReadMany(client, contracts)) as unknown[];
  if (results.some((r) => r === undefined)) return viaViem();
  return results as MulticallReturnType<contracts, false>;
}

/** Each element of a tuple or array, or undefined. */
type EachOrUndefined<results> = { [i in keyof results]: results[i] | undefined };

export type TryReadManyReturnType<contracts extends readonly ContractFunctionParameters[]> = EachOrUndefined<
  MulticallReturnType<contracts, false>
>;

type Prepared = { abi: readonly [AbiFunction]; functionName: Hex };
/** Each function's selector and ABI item, found once per ABI: finding them (a keccak of the signature, a search of
 *  the escrow's ABI) cost more than encoding the call, each time. */
const preparedByAbi = new WeakMap<Abi | readonly unknown[], Map<string, Prepared>>();

function prepared(c: ContractFunctionParameters): Prepared {
  let byName = preparedByAbi.get(c.abi);
  if (byName === undefined) preparedByAbi.set(c.abi, (byName = new Map<string, Prepared>()));
  const known = byName.get(c.functionName);
  if (known !== undefined) return known;
  const found = prepareEncodeFunctionData(c as never) as unknown as Prepared;
  // An overloaded name's function depends on the arguments: only a name with one function is kept.
  const named = c.abi.filter((item) => item.type === "function" && item.name === c.functionName);
  if (named.length === 1) byName.set(c.functionName, found);
  return found;
}

/** As `readMany`, but a read that reverts, or finds no contract, answers `undefined`: for reads made before
 *  knowing whether they exist (ids past a count), to save a round trip. Through Multicall3 a revert costs nothing
 *  to read, where viem's multicall builds and decodes an error for each; a result that does not decode throws. */
export async function tryReadMany<const contracts extends readonly ContractFunctionParameters[]>(
  client: Client,
  contracts: contracts,
): Promise<TryReadManyReturnType<contracts>> {
  const multicall3 = client.chain?.contracts?.multicall3?.address;
  if (multicall3 === undefined) {
    const reads: readonly ContractFunctionParameters[] = contracts;
    const results = await multicall(client, {
      contracts: reads,
      allowFailure: true,
      deployless: true,
      batchSize: 0,
    });
    return results.map((r) => (r.status === "success" ? r.result : undefined));
  }
  const calls = contracts.map(prepared);
  const answers = await readContract(client, {
    address: multicall3,
    abi: multicall3Abi,
    functionName: "aggregate3",
    args: [
      contracts.map((c, i) => ({
        target: c.address,
        allowFailure: true,
        callData: encodeFunctionData({ ...calls[i], args: c.args }),
      })),
    ],
  });
  return answers.map(({ success, returnData }, i) =>
    success && returnData !== "0x" ? decodeFunctionResult({ abi: calls[i].abi, data: returnData }) : undefined,
  );
}
