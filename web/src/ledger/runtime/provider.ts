// The connector's EIP-1193 provider. Wallet requests that need the key (a transaction from our address, a
// message, typed data) are signed on the Ledger and the transaction is sent raw through the dApp's RPC; every
// other request goes to that RPC as is. This matters because viem, when handed an address instead of our
// account (wagmi does so when the dApp passes `account`), asks the transport to `eth_sendTransaction`: the
// RPC must never be the one to answer that.
import {
  createWalletClient,
  hexToBigInt,
  hexToNumber,
  isAddressEqual,
  numberToHex,
  UnsupportedProviderMethodError,
  UnauthorizedProviderError,
  type Address,
  type Chain,
  type EIP1193RequestFn,
  type Hex,
  type LocalAccount,
  type RpcTransactionRequest,
  type Transport,
  type TypedDataDefinition,
} from "viem";

export interface LedgerProvider {
  request: EIP1193RequestFn;
}

const quantity = (value: Hex | undefined) => (value === undefined ? undefined : hexToBigInt(value));

export function createLedgerProvider({
  account,
  chain,
  transport,
}: {
  account: LocalAccount;
  chain: Chain;
  transport: Transport;
}): LedgerProvider {
  const rpc = transport({ chain, retryCount: 0 });
  const sender = createWalletClient({ account, chain, transport });
  const expectOurs = (from: unknown) => {
    if (typeof from !== "string" || !isAddressEqual(from as Address, account.address)) {
      throw new UnauthorizedProviderError(new Error(`the Ledger holds ${account.address}, not ${String(from)}`));
    }
  };

  const request = async ({ method, params }: { method: string; params?: unknown }): Promise<unknown> => {
    switch (method) {
      case "eth_accounts":
      case "eth_requestAccounts":
        return [account.address];
      case "eth_chainId":
        return numberToHex(chain.id);
      case "eth_sendTransaction": {
        const [tx] = params as [RpcTransactionRequest];
        expectOurs(tx.from);
        return sender.sendTransaction({
          to: tx.to ?? undefined,
          data: tx.data,
          value: quantity(tx.value),
          gas: quantity(tx.gas),
          nonce: tx.nonce === undefined ? undefined : hexToNumber(tx.nonce),
          ...(tx.gasPrice !== undefined
            ? { gasPrice: quantity(tx.gasPrice) }
            : { maxFeePerGas: quantity(tx.maxFeePerGas), maxPriorityFeePerGas: quantity(tx.maxPriorityFeePerGas) }),
        });
      }
      case "personal_sign": {
        const [message, from] = params as [Hex, Address];
        expectOurs(from);
        return account.signMessage({ message: { raw: message } });
      }
      case "eth_signTypedData_v4": {
        const [from, typedData] = params as [Address, string];
        expectOurs(from);
        return account.signTypedData(JSON.parse(typedData) as TypedDataDefinition);
      }
      case "eth_sign":
      case "eth_signTransaction":
        throw new UnsupportedProviderMethodError(new Error(`${method} is not offered by the Ledger connector`));
      default:
        return rpc.request({ method, params });
    }
  };
  return { request: request as EIP1193RequestFn };
}
