// What the demo stack (scripts/dev.ts) and its seed (scripts/seed.ts) agree on.
import { keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

/** Where the demo merchants' relayer listens; seeded USDC offerings name it in their metadata. */
export const DEMO_RELAYER_URL = process.env.EARNEST_RELAYER_URL ?? "http://127.0.0.1:8547";

/** A customer who holds only the local USDC and no ETH, to book without gas. A fixed, public test key: never use it
 *  on a real network. */
export const GASLESS_CUSTOMER_KEY = keccak256(toHex("earnest demo: a customer with only USDC"));
export const gaslessCustomer = privateKeyToAccount(GASLESS_CUSTOMER_KEY);
