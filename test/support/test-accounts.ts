// Hardhat's default accounts, funded on every local chain: #0 deploys, #1–#3 are the demo merchants, #4–#8 its
// customers, #9 its arbiter, #10 Harbour Yoga's front desk and #11 Kyoto Tea Room's coupon host (staff). Never use
// their keys on a real network.
import { mnemonicToAccount, type HDAccount } from "viem/accounts";

const TEST_MNEMONIC = "test test test test test test test test test test test junk";

export function testAccount(index: number): HDAccount {
  return mnemonicToAccount(TEST_MNEMONIC, { addressIndex: index });
}
