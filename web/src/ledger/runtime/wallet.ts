// Account, provider and wallet client for one chain, built here rather than in the connector so that viem's
// wallet actions load with the Ledger chunk instead of on first load.
import { createWalletClient, custom, type Chain, type Transport } from "viem";
import { createLedgerAccount, type LedgerAccountOptions } from "./account";
import { createLedgerProvider } from "./provider";

export function createLedgerWallet({
  chain,
  transport,
  ...accountOptions
}: LedgerAccountOptions & { chain: Chain; transport: Transport }) {
  const account = createLedgerAccount(accountOptions);
  const provider = createLedgerProvider({ account, chain, transport });
  return { provider, client: createWalletClient({ account, chain, transport: custom(provider) }) };
}
