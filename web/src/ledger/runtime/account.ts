// A viem account whose keys live on the Ledger: viem fills and broadcasts, the device signs. Every
// signature is checked against the chosen address before it is used, so a wrong path or a confused
// device can never send something signed by another key.
import type { TypedData as LedgerTypedData } from "@ledgerhq/device-signer-kit-ethereum";
import {
  getTypesForEIP712Domain,
  hexToBytes,
  isAddressEqual,
  recoverMessageAddress,
  recoverTransactionAddress,
  recoverTypedDataAddress,
  serializeSignature,
  serializeTransaction,
  stringToBytes,
  UserRejectedRequestError,
  type Address,
  type Hex,
  type LocalAccount,
  type SignableMessage,
  type TransactionSerializable,
  type TransactionSerialized,
  type TypedDataDefinition,
} from "viem";
import { toAccount } from "viem/accounts";
import { LedgerError } from "../errors";
import type { LedgerDevice, LedgerSignature } from "./ledgerDevice";

export interface LedgerAccountOptions {
  device: LedgerDevice;
  address: Address;
  path: string;
  /** Whether Ledger's clear-signing servers may be asked about a request on this chain. */
  metadataAllowed: (chainId: number | undefined) => boolean;
}

export function createLedgerAccount({ device, address, path, metadataAllowed }: LedgerAccountOptions): LocalAccount {
  const expectSigner = (recovered: Address) => {
    if (!isAddressEqual(recovered, address))
      throw new LedgerError({ key: "signerMismatch", values: { address: recovered } });
  };

  return toAccount({
    address,

    signMessage: ({ message }) =>
      asWalletError(async () => {
        const signature = toHexSignature(await device.signMessage(path, messageBytes(message)));
        expectSigner(await recoverMessageAddress({ message, signature }));
        return signature;
      }),

    signTransaction: (transaction, options) =>
      asWalletError(async () => {
        const serializer = (options?.serializer ?? serializeTransaction) as (
          transaction: TransactionSerializable,
          signature?: { r: Hex; s: Hex; v?: bigint; yParity?: number },
        ) => Hex | Promise<Hex>;
        const unsigned = await serializer(transaction);
        const { r, s, v } = await device.signTransaction(path, unsigned, metadataAllowed(transaction.chainId));
        // Typed transactions (first byte below 0xc0) carry the y parity; legacy ones EIP-155's v.
        const legacy = hexToBytes(unsigned)[0] >= 0xc0;
        const signed = await serializer(
          transaction,
          legacy ? { r, s, v: BigInt(v) } : { r, s, yParity: v >= 27 ? v - 27 : v },
        );
        expectSigner(await recoverTransactionAddress({ serializedTransaction: signed as TransactionSerialized }));
        return signed;
      }),

    signTypedData: (definition) =>
      asWalletError(async () => {
        const typedData = toLedgerTypedData(definition as TypedDataDefinition);
        const chainId = typedData.domain.chainId;
        const signature = toHexSignature(await device.signTypedData(path, typedData, metadataAllowed(chainId)));
        expectSigner(await recoverTypedDataAddress({ ...(definition as TypedDataDefinition), signature }));
        return signature;
      }),
  });
}

/** A refusal on the device or a cancel in the dApp is what wallets call a user rejection (EIP-1193 4001). */
async function asWalletError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (
      error instanceof LedgerError &&
      (error.description.key === "rejected" || error.description.key === "cancelled")
    ) {
      throw new UserRejectedRequestError(error);
    }
    throw error;
  }
}

function toHexSignature({ r, s, v }: LedgerSignature): Hex {
  return serializeSignature({ r, s, v: BigInt(v) });
}

// Bytes, not text: the signer would send a non-ASCII string wrongly.
function messageBytes(message: SignableMessage): Uint8Array {
  if (typeof message === "string") return stringToBytes(message);
  return typeof message.raw === "string" ? hexToBytes(message.raw) : message.raw;
}

/** The Ledger signer wants the domain's type spelled out and a numeric chain id. */
export function toLedgerTypedData(definition: TypedDataDefinition): LedgerTypedData {
  const domain = definition.domain ?? {};
  const types: LedgerTypedData["types"] = { EIP712Domain: getTypesForEIP712Domain({ domain }) };
  for (const [name, fields] of Object.entries(definition.types)) {
    if (fields) types[name] = fields.map(({ name, type }) => ({ name, type }));
  }
  return {
    domain: {
      ...(domain.name !== undefined && { name: domain.name }),
      ...(domain.version !== undefined && { version: domain.version }),
      ...(domain.chainId !== undefined && { chainId: Number(domain.chainId) }),
      ...(domain.verifyingContract !== undefined && { verifyingContract: domain.verifyingContract }),
      ...(domain.salt !== undefined && { salt: domain.salt }),
    },
    types,
    primaryType: definition.primaryType,
    message: definition.message ?? {},
  };
}
