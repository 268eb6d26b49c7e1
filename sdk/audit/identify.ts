// Is the address an Earnest escrow this sdk knows how to audit? Checked before any history is read, because every
// later check trusts the contract's answers: a token or a catch-all fallback answers the views with reverts, nothing
// or zero words, and a verifier that took those at their word would report "everything holds" about a contract that
// holds nothing. Two signs, both cheap: the EIP-712 domain (EIP-5267), which names the contract and its version,
// and the deployment's own events, which a contract that merely declares the same domain does not emit. No Node APIs.
import { decodeEventLog, encodeFunctionData, numberToHex, zeroAddress, type Address, type Hex } from "viem";
import { earnestEscrowAbi } from "../generated/abis.js";
import { RpcRequestError } from "../reader/errors.js";
import type { Rpc } from "../reader/rpc.js";
import { escrowDomain } from "../typed-data.js";
import { MalformedResponseError, NotEarnestEscrowError } from "./errors.js";
import { decodeResult, hexData } from "./shape.js";

export type IdentifyEscrowParameters = {
  escrow: Address;
  chainId: number;
  /** The block the audit is anchored at; the domain is read there. */
  blockNumber: bigint;
  /** The block the escrow was deployed in, when known; its events are checked only then. */
  deployBlock?: bigint;
};

export type EscrowIdentity = {
  name: string;
  version: string;
  /** Whether the deployment's events were found (false when the deploy block is unknown). */
  deploymentChecked: boolean;
};

/** What `EarnestEscrow`'s constructor emits, in order: `Ownable(initialOwner)`, then `_setFeeRecipient` and
 *  `_setFee`. The first logs of a genuine escrow's history. */
export const DEPLOYMENT_EVENTS = ["OwnershipTransferred", "FeeRecipientSet", "FeeSet"] as const;

/** The ERC-5267 fields bitmap of a domain with name, version, chainId and verifyingContract (no salt). */
const DOMAIN_FIELDS = "0x0f";

/** An `eth_call` that reverted (the contract has no such function), as providers word it. */
function isRevert(e: unknown): boolean {
  return e instanceof RpcRequestError && (e.code === 3 || /revert/i.test(e.message));
}

/** Throws `NotEarnestEscrowError` unless `escrow` declares the escrow's EIP-712 domain, version included, and its
 *  history starts with the events a deployment emits. */
export async function identifyEscrow(
  rpc: Rpc,
  { escrow, chainId, blockNumber, deployBlock }: IdentifyEscrowParameters,
): Promise<EscrowIdentity> {
  const notEscrow = (reason: string) => new NotEarnestEscrowError({ address: escrow, reason });
  const expected = escrowDomain(chainId, escrow);

  let data: Hex;
  try {
    data = hexData(
      await rpc.call<unknown>("eth_call", [
        { to: escrow, data: encodeFunctionData({ abi: earnestEscrowAbi, functionName: "eip712Domain" }) },
        numberToHex(blockNumber),
      ]),
      "eip712Domain()",
    );
  } catch (e) {
    if (isRevert(e)) throw notEscrow("it has no EIP-712 domain (eip712Domain() reverts)");
    throw e;
  }
  if (data === "0x") throw notEscrow("eip712Domain() returns nothing");
  let domain;
  try {
    domain = decodeResult(earnestEscrowAbi, "eip712Domain", data);
  } catch {
    throw notEscrow(`eip712Domain() returns ${(data.length - 2) / 2} bytes that are not a domain`);
  }
  const [fields, name, version, domainChainId, verifyingContract, , extensions] = domain;
  if (name !== expected.name) throw notEscrow(`its EIP-712 domain is "${name}", not "${expected.name}"`);
  if (version !== expected.version) {
    throw notEscrow(`it is Earnest version "${version}"; this auditor knows version "${expected.version}"`);
  }
  if (
    fields !== DOMAIN_FIELDS ||
    extensions.length > 0 ||
    domainChainId !== BigInt(chainId) ||
    verifyingContract.toLowerCase() !== escrow.toLowerCase()
  ) {
    throw notEscrow(`its EIP-712 domain is for chain ${domainChainId} and contract ${verifyingContract}`);
  }

  if (deployBlock === undefined) return { name, version, deploymentChecked: false };
  const logs = await rpc.call<unknown>("eth_getLogs", [
    { address: escrow, fromBlock: numberToHex(deployBlock), toBlock: numberToHex(deployBlock) },
  ]);
  if (!Array.isArray(logs)) {
    throw new MalformedResponseError({ what: "eth_getLogs", detail: `expected a list of logs, got ${typeof logs}` });
  }
  const first = (logs as { topics?: Hex[]; data?: Hex; transactionHash?: Hex }[]).slice(0, DEPLOYMENT_EVENTS.length);
  const names = first.map((log) => {
    try {
      const decoded = decodeEventLog({ abi: earnestEscrowAbi, topics: log.topics as [Hex], data: log.data });
      // Ownership is created from nobody only at deployment; a later transfer is not a start.
      if (decoded.eventName === "OwnershipTransferred" && decoded.args?.previousOwner !== zeroAddress) return "?";
      return decoded.eventName;
    } catch {
      return "?";
    }
  });
  const oneTransaction = first.every((log) => log.transactionHash === first[0]?.transactionHash);
  if (names.join() !== DEPLOYMENT_EVENTS.join() || !oneTransaction) {
    throw notEscrow(`its history does not start with an escrow's deployment (${DEPLOYMENT_EVENTS.join(", ")})`);
  }
  return { name, version, deploymentChecked: true };
}
