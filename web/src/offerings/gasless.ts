// Booking without gas: the customer signs, the merchant's relayer submits and pays. With an ERC-3009 token (USDC)
// that is one signature, the token's `ReceiveWithAuthorization` whose nonce is the booking intent's digest; with an
// EIP-2612 token it is the intent's signature and, unless the allowance covers the deposit, a permit. Loaded only
// when a booking takes this path (it brings the relayer's client).
import { hashTypedData, zeroHash, type AbiParameter } from "viem";
import { getBlock, signTypedData } from "wagmi/actions";
import {
  bookingAuthorizationMessage,
  bookingIntentTypes,
  couponDomain,
  couponTypes,
  earnestEscrowAbi,
  escrowDomain,
  hashBookingIntent,
  newSalt,
  noCoupon,
  receiveWithAuthorizationTypes,
  RelayerRefusedError,
  RelayerUnreachableError,
  submitSignedBooking,
  type BookingIntent,
  type SignedBooking,
  type TokenDomain,
} from "@earnest/sdk";
import type { TxFailure, TxResult } from "../tx/run-transaction";
import { noPermit, signPermit, SIGNATURE_LIFETIME, type BookingOrder, type Context } from "./book-flow";
import type { GaslessPath } from "./booking-path";

export type GaslessOptions = {
  path: GaslessPath;
  relayer: string;
  /** Required for `relayAuthorization`: the token's domain. */
  authorizationDomain?: TokenDomain;
  /** For `relayPermit` when the allowance does not cover the deposit: the permit's domain. */
  permitDomain?: TokenDomain;
};

/** The arguments of an escrow error as the relayer sends them (integers as decimal strings), typed as the ABI's. */
function errorArgs(name: string, args: unknown): unknown[] {
  const item = earnestEscrowAbi.find((e) => e.type === "error" && e.name === name) as
    { inputs: readonly AbiParameter[] } | undefined;
  if (!Array.isArray(args)) return [];
  return args.map((value: unknown, i) => {
    const type = item?.inputs[i]?.type ?? "";
    if (typeof value !== "string" || !/^u?int/.test(type) || !/^-?[0-9]+$/.test(value)) return value;
    // viem decodes integers above 48 bits as bigints and the smaller ones as numbers; so do these.
    return Number(type.replace(/^u?int/, "") || 256) > 48 ? BigInt(value) : Number(value);
  });
}

/** A relayer's refusal, in the transactor's terms: an escrow error it simulated is worded as the escrow's. */
export function relayerFailure(error: unknown): TxFailure | undefined {
  if (error instanceof RelayerRefusedError) {
    const { errorName, args } = error.details;
    if (error.code === "SimulationFailed" && typeof errorName === "string") {
      return { kind: "contract", name: errorName, args: errorArgs(errorName, args) };
    }
    return { kind: "relayerRefused", code: error.code, details: error.details };
  }
  if (error instanceof RelayerUnreachableError) return { kind: "relayerUnreachable" };
  return undefined;
}

/** Signs the booking as `options.path` says and has the relayer book it. Undefined when the customer declined a
 *  signature (the transactor has said so). */
export async function bookWithoutGas(
  order: BookingOrder,
  ctx: Context,
  options: GaslessOptions,
): Promise<TxResult | undefined> {
  const { config, transactor, labels, formatAmount } = ctx;
  const { chainId, escrow, coupon } = order;
  // The chain's clock decides the deadline; a local chain's may run ahead of the wall clock.
  const block = await getBlock(config, { chainId });
  const now = Math.max(Number(block.timestamp), Math.floor(Date.now() / 1000));
  const deadline = now + SIGNATURE_LIFETIME;
  const intent: BookingIntent = {
    customer: order.customer,
    offeringId: order.offeringId,
    slotStart: order.slotStart,
    seats: order.seats,
    detailsHash: order.detailsHash,
    couponDigest: coupon
      ? hashTypedData({
          domain: couponDomain(chainId, escrow),
          types: couponTypes,
          primaryType: "Coupon",
          message: coupon.coupon,
        })
      : zeroHash,
    nonce: newSalt(),
    deadline,
  };
  const couponArgs = [coupon?.coupon ?? noCoupon, coupon?.signature ?? "0x"] as const;

  let booking: SignedBooking;
  if (options.path === "relayAuthorization") {
    const digest = hashBookingIntent(intent, chainId, escrow);
    const signed = await transactor.sign(labels.authorize, () =>
      signTypedData(config, {
        domain: options.authorizationDomain!,
        types: receiveWithAuthorizationTypes,
        primaryType: "ReceiveWithAuthorization",
        message: bookingAuthorizationMessage(intent, escrow, order.amount, digest),
      }),
    );
    if (!signed.ok) return undefined;
    booking = { intent, payment: { kind: "authorization", authorization: signed.value }, coupon: coupon ?? null };
  } else {
    const permit = options.permitDomain ? await signPermit(order, options.permitDomain, BigInt(deadline), ctx) : null;
    if (permit === undefined) return undefined;
    const signed = await transactor.sign(labels.intent, () =>
      signTypedData(config, {
        domain: escrowDomain(chainId, escrow),
        types: bookingIntentTypes,
        primaryType: "BookingIntent",
        message: intent,
      }),
    );
    if (!signed.ok) return undefined;
    booking = { intent, payment: { kind: "permit", signature: signed.value, permit }, coupon: coupon ?? null };
  }

  const submit = async () => (await submitSignedBooking({ url: options.relayer, booking })).transactionHash;
  const common = { label: labels.relay, address: escrow, abi: earnestEscrowAbi, formatAmount, submit } as const;
  // Simulated from the customer's address first (an `eth_call` costs no gas), so an escrow error is said before
  // anything reaches the relayer.
  const { payment } = booking;
  return payment.kind === "authorization"
    ? transactor.relay({
        ...common,
        classify: relayerFailure,
        functionName: "bookWithAuthorization",
        args: [intent, payment.authorization, ...couponArgs],
      })
    : transactor.relay({
        ...common,
        classify: relayerFailure,
        functionName: "bookWithSignature",
        args: [intent, payment.signature, payment.permit ?? noPermit, ...couponArgs],
      });
}
