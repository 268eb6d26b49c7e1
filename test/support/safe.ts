// A Safe (the multisig most companies keep their funds in) on the in-process chain, deployed from the compiled
// artifacts of the `@safe-global/safe-smart-account` npm package, so that a test can make one a merchant. Its owners
// sign each of its transactions (EIP-712 SafeTx) and each digest it signs for ERC-1271 (EIP-712 SafeMessage, which
// the Safe's CompatibilityFallbackHandler checks).
import { createRequire } from "node:module";
import {
  concat,
  encodeFunctionData,
  parseAbi,
  parseEventLogs,
  zeroAddress,
  type Abi,
  type Address,
  type Hash,
  type Hex,
} from "viem";
import { mined } from "./chain.js";
import { viem, type Wallet } from "./fixture.js";

/** A Hardhat artifact as the package ships it; only what deploying needs. */
type Artifact = { abi: Abi; bytecode: Hex };

const require = createRequire(import.meta.url);
const ARTIFACTS = "@safe-global/safe-smart-account/build/artifacts/contracts";
const singletonArtifact = require(`${ARTIFACTS}/Safe.sol/Safe.json`) as Artifact;
const factoryArtifact = require(`${ARTIFACTS}/proxies/SafeProxyFactory.sol/SafeProxyFactory.json`) as Artifact;
const handlerArtifact = require(
  `${ARTIFACTS}/handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json`,
) as Artifact;

/** What the tests call on a Safe proxy, typed for viem (the artifacts' JSON ABIs are untyped). */
export const safeAbi = parseAbi([
  "function setup(address[] owners, uint256 threshold, address to, bytes data, address fallbackHandler, address paymentToken, uint256 payment, address paymentReceiver)",
  "function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures) payable returns (bool success)",
  "function nonce() view returns (uint256)",
  "function getOwners() view returns (address[])",
  "function getThreshold() view returns (uint256)",
  "function isValidSignature(bytes32 dataHash, bytes signature) view returns (bytes4)",
]);

const factoryAbi = parseAbi([
  "function createProxyWithNonce(address singleton, bytes initializer, uint256 saltNonce) returns (address proxy)",
  "event ProxyCreation(address indexed proxy, address singleton)",
]);

/** A Safe transaction (Safe.sol's SAFE_TX_TYPEHASH). */
const safeTxTypes = {
  SafeTx: [
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "data", type: "bytes" },
    { name: "operation", type: "uint8" },
    { name: "safeTxGas", type: "uint256" },
    { name: "baseGas", type: "uint256" },
    { name: "gasPrice", type: "uint256" },
    { name: "gasToken", type: "address" },
    { name: "refundReceiver", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
} as const;

/** A message the Safe signs (CompatibilityFallbackHandler's SAFE_MSG_TYPEHASH). */
const safeMessageTypes = { SafeMessage: [{ name: "message", type: "bytes" }] } as const;

/** A Safe transaction's `operation` for a plain call (1 would be a delegatecall). */
const CALL = 0;

/** The Safe's singleton, its proxy factory and the fallback handler that answers ERC-1271 for it. */
export type SafeContracts = { singleton: Address; factory: Address; fallbackHandler: Address };

/** A Safe proxy and the owners who sign for it. */
export type Safe = { address: Address; owners: Wallet[]; threshold: number };

async function deployArtifact(deployer: Wallet, artifact: Artifact): Promise<Address> {
  const publicClient = await viem.getPublicClient();
  const hash = await deployer.deployContract({
    abi: artifact.abi,
    bytecode: artifact.bytecode,
    account: deployer.account,
  });
  const { contractAddress } = await mined({ publicClient }, hash);
  if (!contractAddress) throw new Error("the deployment created no contract");
  return contractAddress;
}

/** Deploys the Safe singleton, the proxy factory and the CompatibilityFallbackHandler. */
export async function deploySafeContracts(deployer: Wallet): Promise<SafeContracts> {
  return {
    singleton: await deployArtifact(deployer, singletonArtifact),
    factory: await deployArtifact(deployer, factoryArtifact),
    fallbackHandler: await deployArtifact(deployer, handlerArtifact),
  };
}

/** Creates a Safe proxy with `owners`, `threshold` and the fallback handler, as the Safe apps do. */
export async function createSafe(contracts: SafeContracts, owners: Wallet[], threshold: number): Promise<Safe> {
  const initializer = encodeFunctionData({
    abi: safeAbi,
    functionName: "setup",
    args: [
      owners.map((owner) => owner.account.address),
      BigInt(threshold),
      zeroAddress, // no setup call
      "0x",
      contracts.fallbackHandler,
      zeroAddress, // no payment for the deployment
      0n,
      zeroAddress,
    ],
  });
  const creator = owners[0];
  const hash = await creator.writeContract({
    address: contracts.factory,
    abi: factoryAbi,
    functionName: "createProxyWithNonce",
    args: [contracts.singleton, initializer, 0n],
    account: creator.account,
  });
  const receipt = await mined({ publicClient: await viem.getPublicClient() }, hash);
  const [created] = parseEventLogs({ abi: factoryAbi, eventName: "ProxyCreation", logs: receipt.logs });
  return { address: created.args.proxy, owners, threshold };
}

/** The owners a Safe needs by default: the first `threshold` of them. */
function quorum(safe: Safe): Wallet[] {
  return safe.owners.slice(0, safe.threshold);
}

/** The Safe's EIP-712 domain: no name or version, only the chain and the Safe. */
async function safeDomain(safe: Safe) {
  const chainId = await (await viem.getPublicClient()).getChainId();
  return { chainId, verifyingContract: safe.address } as const;
}

/** Concatenates 65-byte owner signatures in ascending order of owner address, as the Safe checks them. */
async function sortedSignatures(signers: Wallet[], sign: (owner: Wallet) => Promise<Hex>): Promise<Hex> {
  const ordered = [...signers].sort((a, b) => (BigInt(a.account.address) < BigInt(b.account.address) ? -1 : 1));
  const signatures: Hex[] = [];
  for (const owner of ordered) signatures.push(await sign(owner));
  return concat(signatures);
}

/**
 * The Safe calls `to` with `data` (and `value`): `signers` (the first `threshold` owners unless told) sign the Safe
 * transaction at the Safe's current nonce and `sender` (the first owner unless told) submits it, paying the gas.
 * With no safeTxGas and no gas price the Safe reverts with its call's revert data when the call fails, so a refused
 * merchant action surfaces as the escrow's own error.
 */
export async function execSafeTransaction(
  safe: Safe,
  call: { to: Address; data: Hex; value?: bigint },
  { signers = quorum(safe), sender = safe.owners[0] }: { signers?: Wallet[]; sender?: Wallet } = {},
): Promise<Hash> {
  const publicClient = await viem.getPublicClient();
  const nonce = await publicClient.readContract({ address: safe.address, abi: safeAbi, functionName: "nonce" });
  const transaction = {
    to: call.to,
    value: call.value ?? 0n,
    data: call.data,
    operation: CALL,
    safeTxGas: 0n,
    baseGas: 0n,
    gasPrice: 0n,
    gasToken: zeroAddress,
    refundReceiver: zeroAddress,
    nonce,
  };
  const domain = await safeDomain(safe);
  const signatures = await sortedSignatures(signers, (owner) =>
    owner.signTypedData({
      account: owner.account,
      domain,
      types: safeTxTypes,
      primaryType: "SafeTx",
      message: transaction,
    }),
  );
  return sender.writeContract({
    address: safe.address,
    abi: safeAbi,
    functionName: "execTransaction",
    args: [
      transaction.to,
      transaction.value,
      transaction.data,
      transaction.operation,
      transaction.safeTxGas,
      transaction.baseGas,
      transaction.gasPrice,
      transaction.gasToken,
      transaction.refundReceiver,
      signatures,
    ],
    account: sender.account,
  });
}

/**
 * The Safe's ERC-1271 signature over `digest`: `signers` (the first `threshold` owners unless told) each sign the
 * EIP-712 SafeMessage whose message is the digest, in the Safe's domain; `isValidSignature(digest, signature)` then
 * answers the ERC-1271 magic value through the fallback handler.
 */
export async function safeSignature(safe: Safe, digest: Hex, signers: Wallet[] = quorum(safe)): Promise<Hex> {
  const domain = await safeDomain(safe);
  return sortedSignatures(signers, (owner) =>
    owner.signTypedData({
      account: owner.account,
      domain,
      types: safeMessageTypes,
      primaryType: "SafeMessage",
      message: { message: digest },
    }),
  );
}
