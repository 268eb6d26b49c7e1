import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import EarnestModule from "./Earnest.js";

/** Local chains: the escrow plus a 6-decimal mock stablecoin with EIP-2612 permit, allow-listed. */
export default buildModule("EarnestLocal", (m) => {
  const { escrow } = m.useModule(EarnestModule);
  const stablecoin = m.contract("MockStablecoin");
  m.call(escrow, "setTokenAllowed", [stablecoin, true]);
  return { escrow, stablecoin };
});
