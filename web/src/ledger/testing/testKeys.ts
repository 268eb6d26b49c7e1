// The fake device's secret: the BIP-39 seed of Hardhat's default mnemonic ("test test … junk"), so BIP-44
// accounts m/44'/60'/0'/0/i are the local chain's funded accounts #i. Stored as the seed (not the words) to
// skip the slow PBKDF2 on every derivation.
import { hexToBytes, type Hex } from "viem";
import { HDKey, hdKeyToAccount } from "viem/accounts";

export const HARDHAT_SEED: Hex =
  "0x9dfc3c64c2f8bede1533b6a79f8570e5943e0b8fd1cf77107adf7b72cef42185d564a3aee24cab43f80e3c4538087d70fc824eabbad596a23c97b6ee8322ccc0";

export interface TestKey {
  address: Hex;
  publicKey: Hex;
  privateKey: Hex;
}

export function createKeyring(seed: Hex = HARDHAT_SEED): (path: string) => TestKey {
  const master = HDKey.fromMasterSeed(hexToBytes(seed));
  const cache = new Map<string, TestKey>();
  return (path) => {
    let key = cache.get(path);
    if (!key) {
      const account = hdKeyToAccount(master, { path: path as `m/44'/60'/${string}` });
      const privateKey = account.getHdKey().privateKey;
      if (!privateKey) throw new Error(`no private key at ${path}`);
      key = { address: account.address, publicKey: account.publicKey, privateKey: toHex(privateKey) };
      cache.set(path, key);
    }
    return key;
  };
}

function toHex(bytes: Uint8Array): Hex {
  return `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
