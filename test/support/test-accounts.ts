// Hardhat's default accounts, funded on every local chain: #0 deploys, #1–#3 are the demo merchants, #4–#8 its
// customers, #9 its arbiter. Never use their keys on a real network.
import { mnemonicToAccount, type HDAccount } from "viem/accounts";

const TEST_MNEMONIC = "test test test test test test test test test test test junk";

export function testAccount(index: number): HDAccount {
  return mnemonicToAccount(TEST_MNEMONIC, { addressIndex: index });
}
