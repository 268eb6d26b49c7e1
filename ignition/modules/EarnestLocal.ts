import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import EarnestModule from "./Earnest.js";

/** Local chains: the escrow plus a 6-decimal mock stablecoin with EIP-2612 permit, allow-listed, and the Multicall3
 *  that public chains already have (deployed last, so the escrow's and the token's addresses stay put). */
export default buildModule("EarnestLocal", (m) => {
  const { escrow } = m.useModule(EarnestModule);
  const stablecoin = m.contract("MockStablecoin");
  // Owner functions run in the extension behind the escrow's fallback: call them through the whole surface.
  const surface = m.contractAt("IEarnestEscrow", escrow, { id: "EarnestEscrowSurface" });
  const allowed = m.call(surface, "setTokenAllowed", [stablecoin, true]);
  const multicall3 = m.contract("Multicall3", [], { after: [allowed] });
  return { escrow, stablecoin, multicall3 };
});
