import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The escrow and the reviews beside it, for public networks. Parameters (see ignition/parameters/):
 * owner and feeRecipient default to the deploying account, feeBps to 0.
 */
export default buildModule("Earnest", (m) => {
  const owner = m.getParameter("owner", m.getAccount(0));
  const feeRecipient = m.getParameter("feeRecipient", m.getAccount(0));
  const feeBps = m.getParameter("feeBps", 0);
  const escrow = m.contract("EarnestEscrow", [owner, feeRecipient, feeBps]);
  const reviews = m.contract("VerifiedReviews", [escrow]);
  return { escrow, reviews };
});
