// Which way a booking is paid: the fewest confirmations the wallet, the token and the merchant allow. Pure, so the
// choice is tested on its own; book-flow.ts carries each path out.

/** What is known before the customer pays. */
export type BookingFacts = {
  /** The offering is paid in ETH. */
  native: boolean;
  /** The escrow may already take the deposit from the customer's tokens. */
  allowanceCovers: boolean;
  /** The merchant's relayer (the offering's metadata), if it has one. */
  relayer?: string;
  /** The token takes ERC-3009 authorizations in a domain the dApp found. */
  authorization: boolean;
  /** The token takes EIP-2612 permits in a domain the dApp found. */
  permit: boolean;
  /** The wallet runs an EIP-5792 batch atomically (`wallet_getCapabilities`). */
  atomicBatch: boolean;
  /** The customer holds enough ETH for a booking's gas. */
  enoughEth: boolean;
};

/** How the booking is paid, and how many times the wallet asks the customer:
 *  - `relayAuthorization`: one signature (ERC-3009, whose nonce is the intent), the relayer pays the gas;
 *  - `relayPermit`: the intent's signature and, unless the allowance covers the deposit, a permit's;
 *  - `native` / `allowance`: one transaction (`book` with ETH, or from the allowance);
 *  - `batch`: approve + book in one EIP-5792 confirmation;
 *  - `permit`: a permit signature, then `bookWithPermit`;
 *  - `approve`: an approval transaction, then `book`. */
export type BookingPath =
  "relayAuthorization" | "relayPermit" | "native" | "allowance" | "batch" | "permit" | "approve";

export type GaslessPath = Extract<BookingPath, `relay${string}`>;

export function isGasless(path: BookingPath): path is GaslessPath {
  return path === "relayAuthorization" || path === "relayPermit";
}

/** The path without gas, when the merchant has a relayer and the token can pay by signature. */
export function gaslessPath(facts: BookingFacts): GaslessPath | undefined {
  if (facts.native || !facts.relayer) return undefined;
  if (facts.authorization) return "relayAuthorization";
  if (facts.permit || facts.allowanceCovers) return "relayPermit";
  return undefined;
}

/** The path the customer pays the gas of. */
export function walletPath(facts: BookingFacts): BookingPath {
  if (facts.native) return "native";
  if (facts.allowanceCovers) return "allowance";
  if (facts.atomicBatch) return "batch";
  if (facts.permit) return "permit";
  return "approve";
}

/** Confirmations the wallet asks for on `path`. */
export function confirmations(path: BookingPath, facts: Pick<BookingFacts, "allowanceCovers">): number {
  switch (path) {
    case "relayPermit":
      return facts.allowanceCovers ? 1 : 2;
    case "permit":
    case "approve":
      return 2;
    default:
      return 1;
  }
}

/** The customer's choice, when there is one: "gasless" (the relayer pays) or "wallet" (the customer does). */
export type GasChoice = "gasless" | "wallet";

/** The path to take: without gas by default when the customer cannot pay for it, else the wallet's; an explicit
 *  choice wins when it can be honoured (a customer without ETH cannot choose to pay the gas). */
export function chooseBookingPath(facts: BookingFacts, choice?: GasChoice): BookingPath {
  const gasless = gaslessPath(facts);
  if (gasless && (choice === "gasless" || !facts.enoughEth)) {
    return gasless;
  }
  return walletPath(facts);
}
