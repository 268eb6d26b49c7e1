// The three ways wallets have laid out Ethereum accounts on a Ledger. The same seed gives different
// addresses under each, so users who came from another wallet need to pick the scheme it used.

export type DerivationScheme = "ledgerLive" | "bip44" | "legacy";

export const derivationSchemes: readonly DerivationScheme[] = ["ledgerLive", "bip44", "legacy"];

/** In the device's notation, without the leading "m/" (the DMK signer rejects it). */
export function derivationPath(scheme: DerivationScheme, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 0x80000000) throw new RangeError(`bad account index ${index}`);
  switch (scheme) {
    case "ledgerLive":
      return `44'/60'/${index}'/0/0`;
    case "bip44":
      return `44'/60'/0'/0/${index}`;
    case "legacy":
      return `44'/60'/0'/${index}`;
  }
}
