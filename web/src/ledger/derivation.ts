// The three ways wallets have laid out Ethereum accounts on a Ledger. The same seed gives different
// addresses under each, so users who came from another wallet need to pick the scheme it used.

export type DerivationScheme = "ledgerLive" | "bip44" | "legacy";

export const derivationSchemes: readonly DerivationScheme[] = ["ledgerLive", "bip44", "legacy"];

export function derivationPath(scheme: DerivationScheme, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 0x80000000) throw new RangeError(`bad account index ${index}`);
  switch (scheme) {
    case "ledgerLive":
      return `m/44'/60'/${index}'/0/0`;
    case "bip44":
      return `m/44'/60'/0'/0/${index}`;
    case "legacy":
      return `m/44'/60'/0'/${index}`;
  }
}
