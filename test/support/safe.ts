// A Safe (the multisig most companies keep their funds in) on a test chain (the in-process one of the Hardhat
// tests, or the browser tests' node), deployed from the compiled artifacts of the `@safe-global/safe-smart-account`
// npm package, so that a test can make one a merchant. Its owners sign each of its transactions (EIP-712 SafeTx)
// and each digest it signs for ERC-1271 (EIP-712 SafeMessage, which the Safe's CompatibilityFallbackHandler
// checks). Everything goes through the owners' wallet clients, so it works on whichever chain they are connected to.
import { createRequire } from "node:module";
import {
  concat,
  createPublicClient,
  custom,
  encodeFunctionData,
  parseAbi,
  parseEventLogs,
  zeroAddress,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type Hash,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";

/** An owner (or deployer): a wallet client with its account, on the chain the Safe lives on. */
export type Wallet = WalletClient<Transport, Chain, Account>;

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
  "function getTransactionHash(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, uint256 _nonce) view returns (bytes32)",
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

/** Reads from the chain `wallet` is connected to, through the wallet's own transport. */
function readerOf(wallet: Wallet): PublicClient {
  return createPublicClient({ chain: wallet.chain, transport: custom(wallet), pollingInterval: 50 });
}

/** Waits for `hash` and fails unless it succeeded. */
async function mined(wallet: Wallet, hash: Hash) {
  const receipt = await readerOf(wallet).waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  return receipt;
}

async function deployArtifact(deployer: Wallet, artifact: Artifact): Promise<Address> {
  const hash = await deployer.deployContract({
    abi: artifact.abi,
    bytecode: artifact.bytecode,
    account: deployer.account,
  });
  const { contractAddress } = await mined(deployer, hash);
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
  const receipt = await mined(creator, hash);
  const [created] = parseEventLogs({ abi: factoryAbi, eventName: "ProxyCreation", logs: receipt.logs });
  return { address: created.args.proxy, owners, threshold };
}

/** The owners a Safe needs by default: the first `threshold` of them. */
function quorum(safe: Safe): Wallet[] {
  return safe.owners.slice(0, safe.threshold);
}

/** The Safe's EIP-712 domain: no name or version, only the chain and the Safe. */
function safeDomain(safe: Safe) {
  return { chainId: safe.owners[0].chain.id, verifyingContract: safe.address } as const;
}

/** Concatenates 65-byte owner signatures in ascending order of owner address, as the Safe checks them. */
async function sortedSignatures(signers: Wallet[], sign: (owner: Wallet) => Promise<Hex>): Promise<Hex> {
  const ordered = [...signers].sort((a, b) => (BigInt(a.account.address) < BigInt(b.account.address) ? -1 : 1));
  const signatures: Hex[] = [];
  for (const owner of ordered) signatures.push(await sign(owner));
  return concat(signatures);
}

/** A Safe transaction (the EIP-712 SafeTx message) as its owners sign it. */
export type SafeTransaction = {
  to: Address;
  value: bigint;
  data: Hex;
  operation: number;
  safeTxGas: bigint;
  baseGas: bigint;
  gasPrice: bigint;
  gasToken: Address;
  refundReceiver: Address;
  nonce: bigint;
};

/** The Safe transaction that calls `to` with `data` (and `value`) at the Safe's current nonce (or `nonce`). With no
 *  safeTxGas and no gas price the Safe reverts with its call's revert data when the call fails, so a refused
 *  merchant action surfaces as the escrow's own error. */
export async function safeTransaction(
  safe: Safe,
  call: { to: Address; data: Hex; value?: bigint },
  nonce?: bigint,
): Promise<SafeTransaction> {
  return {
    to: call.to,
    value: call.value ?? 0n,
    data: call.data,
    operation: CALL,
    safeTxGas: 0n,
    baseGas: 0n,
    gasPrice: 0n,
    gasToken: zeroAddress,
    refundReceiver: zeroAddress,
    nonce:
      nonce ??
      (await readerOf(safe.owners[0]).readContract({ address: safe.address, abi: safeAbi, functionName: "nonce" })),
  };
}

/** `signers`' signatures of `transaction`, ordered as the Safe checks them. */
export function signSafeTransaction(safe: Safe, transaction: SafeTransaction, signers: Wallet[]): Promise<Hex> {
  return sortedSignatures(signers, (owner) =>
    owner.signTypedData({
      account: owner.account,
      domain: safeDomain(safe),
      types: safeTxTypes,
      primaryType: "SafeTx",
      message: transaction,
    }),
  );
}

/** `sender` submits `transaction` with `signatures` (see signSafeTransaction), paying the gas. */
export function submitSafeTransaction(
  safe: Safe,
  transaction: SafeTransaction,
  signatures: Hex,
  sender: Wallet = safe.owners[0],
): Promise<Hash> {
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
 * The Safe calls `to` with `data` (and `value`): `signers` (the first `threshold` owners unless told) sign the Safe
 * transaction at the Safe's current nonce and `sender` (the first owner unless told) submits it, paying the gas.
 */
export async function execSafeTransaction(
  safe: Safe,
  call: { to: Address; data: Hex; value?: bigint },
  { signers = quorum(safe), sender = safe.owners[0] }: { signers?: Wallet[]; sender?: Wallet } = {},
): Promise<Hash> {
  const transaction = await safeTransaction(safe, call);
  return submitSafeTransaction(safe, transaction, await signSafeTransaction(safe, transaction, signers), sender);
}

/** `execSafeTransaction`, waiting for it to succeed. */
export async function execSafeTransactionMined(
  safe: Safe,
  call: { to: Address; data: Hex; value?: bigint },
  options?: { signers?: Wallet[]; sender?: Wallet },
): Promise<Hash> {
  const hash = await execSafeTransaction(safe, call, options);
  await mined(safe.owners[0], hash);
  return hash;
}

/**
 * The Safe's ERC-1271 signature over `digest`: `signers` (the first `threshold` owners unless told) each sign the
 * EIP-712 SafeMessage whose message is the digest, in the Safe's domain; `isValidSignature(digest, signature)` then
 * answers the ERC-1271 magic value through the fallback handler.
 */
export function safeSignature(safe: Safe, digest: Hex, signers: Wallet[] = quorum(safe)): Promise<Hex> {
  const domain = safeDomain(safe);
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
