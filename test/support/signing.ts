// Merchant coupons, customers' check-ins, EIP-2612 permits, booking intents and ERC-3009 authorizations, signed with
// the sdk's EIP-712 definitions. The signer comes first, then what it signs, then where it is valid.
import { hashTypedData, parseAbi, zeroAddress, zeroHash, keccak256, toHex, type Address, type Hex } from "viem";
import {
  bookingAuthorizationMessage,
  bookingIntentTypes,
  checkInTypes,
  couponDomain,
  couponTypes,
  escrowDomain,
  hashBookingIntent,
  permitArgs,
  permitTypes,
  receiveWithAuthorizationTypes,
  type BookingIntent,
  type Coupon,
  type PermitArgs,
} from "@earnest/sdk";
import { networkHelpers, viem, type Wallet } from "./fixture.js";

/** What a token's permit and authorization signers read of it when it has no EIP-5267 `eip712Domain()` (USDC). */
const tokenDomainAbi = parseAbi([
  "function name() view returns (string)",
  "function version() view returns (string)",
  "function nonces(address owner) view returns (uint256)",
]);

async function chainId(): Promise<number> {
  return (await viem.getPublicClient()).getChainId();
}

/** `signer` signs `coupon` for the escrow at `escrow` on `chainId` (this chain's unless told). */
export async function signCoupon(signer: Wallet, coupon: Coupon, escrow: Address, onChain?: number): Promise<Hex> {
  return signer.signTypedData({
    account: signer.account,
    domain: couponDomain(onChain ?? (await chainId()), escrow),
    types: couponTypes,
    primaryType: "Coupon",
    message: coupon,
  });
}

/** The EIP-712 digest of `coupon` at the escrow at `escrow` on this chain: what its signer signs (an ERC-1271 signer
 *  such as a Safe signs the digest itself) and what the escrow counts redemptions and names in its errors by. */
export async function couponDigest(coupon: Coupon, escrow: Address): Promise<Hex> {
  return hashTypedData({
    domain: couponDomain(await chainId(), escrow),
    types: couponTypes,
    primaryType: "Coupon",
    message: coupon,
  });
}

/** `customer` signs "I am here" for `bookingId` at the escrow at `escrow` on `chainId` (this chain's unless told). */
export async function signCheckIn(
  customer: Wallet,
  bookingId: bigint,
  escrow: Address,
  onChain?: number,
): Promise<Hex> {
  return customer.signTypedData({
    account: customer.account,
    domain: escrowDomain(onChain ?? (await chainId()), escrow),
    types: checkInTypes,
    primaryType: "CheckIn",
    message: { bookingId },
  });
}

/** A coupon for `offeringId` valid for a week, for anyone, with a fixed salt, naming the fixture's merchant (the
 *  third wallet, see fixture.ts) as its signer unless told. */
export async function makeCoupon(
  offeringId: number,
  discount: bigint,
  overrides: Partial<Coupon> = {},
): Promise<Coupon> {
  const latest = Number(await networkHelpers.time.latest());
  const [, , merchant] = await viem.getWalletClients();
  return {
    offeringId,
    discount,
    maxRedemptions: 10,
    expiresAt: latest + 7 * 24 * 3600,
    customer: zeroAddress,
    salt: `0x${"ab".repeat(32)}`,
    signer: merchant.account.address,
    ...overrides,
  };
}

/** The EIP-712 domain `token` checks permits and authorizations in, found as wallets find it: `eip712Domain()` when
 *  the token has it, otherwise its `name()` and `version()` (USDC has no `eip712Domain()`), on `chainId` (this
 *  chain's unless told). */
export async function tokenDomain(token: Address, onChain?: number) {
  const publicClient = await viem.getPublicClient();
  const chain = onChain ?? (await chainId());
  try {
    const { domain } = await publicClient.getEip712Domain({ address: token });
    return { name: domain.name, version: domain.version, chainId: chain, verifyingContract: token };
  } catch {
    const [name, version] = await Promise.all([
      publicClient.readContract({ address: token, abi: tokenDomainAbi, functionName: "name" }),
      publicClient.readContract({ address: token, abi: tokenDomainAbi, functionName: "version" }),
    ]);
    return { name, version, chainId: chain, verifyingContract: token };
  }
}

/** `owner` signs an EIP-2612 permit of `token` for `spender`, with its current nonce unless told. */
export async function signPermit(
  owner: Wallet,
  token: { address: Address },
  spender: Address,
  value: bigint,
  deadline: bigint,
  nonce?: bigint,
): Promise<PermitArgs> {
  return signPermitFor(owner, owner.account.address, token, spender, value, deadline, nonce);
}

/** `signer` signs an EIP-2612 permit of `holder`'s `token` for `spender` (a contract wallet's owner key signs for the
 *  wallet, which the token checks by ERC-1271), with the holder's current nonce unless told. */
export async function signPermitFor(
  signer: Wallet,
  holder: Address,
  token: { address: Address },
  spender: Address,
  value: bigint,
  deadline: bigint,
  nonce?: bigint,
): Promise<PermitArgs> {
  const publicClient = await viem.getPublicClient();
  const signature = await signer.signTypedData({
    account: signer.account,
    domain: await tokenDomain(token.address),
    types: permitTypes,
    primaryType: "Permit",
    message: {
      owner: holder,
      spender,
      value,
      nonce:
        nonce ??
        (await publicClient.readContract({
          address: token.address,
          abi: tokenDomainAbi,
          functionName: "nonces",
          args: [holder],
        })),
      deadline,
    },
  });
  return permitArgs(signature, value, deadline);
}

/** A permit `bookWithSignature` does not apply (a zero deadline): the customer's allowance is used as it is. */
export const NO_PERMIT: PermitArgs = { value: 0n, deadline: 0n, v: 0, r: zeroHash, s: zeroHash };

/** A booking intent of `seats` seats of `offeringId` at `slotStart` for `customer`: no coupon, a nonce made from
 *  `label`, a deadline a day after the latest block, unless told. */
export async function makeIntent(
  customer: Address,
  offeringId: number,
  slotStart: number,
  seats: number,
  overrides: Partial<BookingIntent> = {},
): Promise<BookingIntent> {
  const latest = Number(await networkHelpers.time.latest());
  return {
    customer,
    offeringId,
    slotStart,
    seats,
    detailsHash: keccak256(toHex(`intent-details:${offeringId}:${slotStart}:${seats}`)),
    couponDigest: zeroHash,
    nonce: keccak256(toHex("intent-nonce:1")),
    deadline: latest + 24 * 3600,
    ...overrides,
  };
}

/** The EIP-712 digest of `intent` at the escrow at `escrow` on `chainId` (this chain's unless told): what its customer
 *  signs, and the nonce of the ERC-3009 authorization that pays for it. */
export async function bookingIntentDigest(intent: BookingIntent, escrow: Address, onChain?: number): Promise<Hex> {
  return hashBookingIntent(intent, onChain ?? (await chainId()), escrow);
}

/** `signer` signs `intent` for the escrow at `escrow` on `chainId` (this chain's unless told); for a contract-wallet
 *  customer its owner key signs, and the escrow checks the wallet by ERC-1271. */
export async function signBookingIntent(
  signer: Wallet,
  intent: BookingIntent,
  escrow: Address,
  onChain?: number,
): Promise<Hex> {
  return signer.signTypedData({
    account: signer.account,
    domain: escrowDomain(onChain ?? (await chainId()), escrow),
    types: bookingIntentTypes,
    primaryType: "BookingIntent",
    message: intent,
  });
}

/** Where a booking authorization is valid, each part this chain's, the escrow's and the token's unless told. */
export type AuthorizationDomain = {
  /** The chain of the token's domain and of the intent's digest (its nonce). */
  chainId?: number;
  /** The escrow the intent's digest is computed for (the authorization's `to` is `escrow` all the same). */
  digestEscrow?: Address;
  /** The token whose domain the authorization is signed in. */
  token?: Address;
};

/**
 * `signer` signs the ERC-3009 `ReceiveWithAuthorization` that `bookWithAuthorization` executes for `intent`: from
 * `intent.customer` to `escrow`, `amount`, valid from 0 until the intent's deadline, nonced by the intent's digest, in
 * `token`'s domain. `where` moves one part elsewhere, to make an authorization that must not count here.
 */
export async function signBookingAuthorization(
  signer: Wallet,
  token: Address,
  intent: BookingIntent,
  escrow: Address,
  amount: bigint,
  where: AuthorizationDomain = {},
): Promise<Hex> {
  const onChain = where.chainId ?? (await chainId());
  const digest = await bookingIntentDigest(intent, where.digestEscrow ?? escrow, onChain);
  return signer.signTypedData({
    account: signer.account,
    domain: await tokenDomain(where.token ?? token, onChain),
    types: receiveWithAuthorizationTypes,
    primaryType: "ReceiveWithAuthorization",
    message: bookingAuthorizationMessage(intent, escrow, amount, digest),
  });
}

/** The EIP-712 digest of the ERC-3009 authorization `bookWithAuthorization` executes for `intent` (see
 *  `signBookingAuthorization`): what a contract wallet such as a Safe signs for by ERC-1271. */
export async function bookingAuthorizationDigest(
  token: Address,
  intent: BookingIntent,
  escrow: Address,
  amount: bigint,
): Promise<Hex> {
  return hashTypedData({
    domain: await tokenDomain(token),
    types: receiveWithAuthorizationTypes,
    primaryType: "ReceiveWithAuthorization",
    message: bookingAuthorizationMessage(intent, escrow, amount, await bookingIntentDigest(intent, escrow)),
  });
}

/** ERC-3009's `CancelAuthorization`, signed in the token's domain. */
const cancelAuthorizationTypes = {
  CancelAuthorization: [
    { name: "authorizer", type: "address" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

/** `signer` signs the cancellation of `authorizer`'s unused ERC-3009 authorization `nonce` in `token`'s domain. */
export async function signCancelAuthorization(
  signer: Wallet,
  token: Address,
  authorizer: Address,
  nonce: Hex,
): Promise<Hex> {
  return signer.signTypedData({
    account: signer.account,
    domain: await tokenDomain(token),
    types: cancelAuthorizationTypes,
    primaryType: "CancelAuthorization",
    message: { authorizer, nonce },
  });
}
