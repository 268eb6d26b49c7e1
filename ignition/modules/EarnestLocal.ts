import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import EarnestModule from "./Earnest.js";

/** Local chains: the escrow plus a 6-decimal mock stablecoin with EIP-2612 permit, allow-listed, the Multicall3
 *  that public chains already have, and a USDC look-alike (permit without EIP-5267, ERC-3009 authorizations, a
 *  blacklist), allow-listed too. Each is deployed after the ones before it, so earlier addresses stay put. */
export default buildModule("EarnestLocal", (m) => {
  const { escrow } = m.useModule(EarnestModule);
  const stablecoin = m.contract("MockStablecoin");
  // Owner functions run in the extension behind the escrow's fallback: call them through the whole surface.
  const surface = m.contractAt("IEarnestEscrow", escrow, { id: "EarnestEscrowSurface" });
  const allowed = m.call(surface, "setTokenAllowed", [stablecoin, true]);
  const multicall3 = m.contract("Multicall3", [], { after: [allowed] });
  const usdc = m.contract("MockUSDC", [], { after: [multicall3] });
  m.call(surface, "setTokenAllowed", [usdc, true], { id: "allowUsdc" });
  return { escrow, stablecoin, multicall3, usdc };
});
