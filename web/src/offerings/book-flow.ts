// Booking and paying, by the path booking-path.ts chooses: ETH as value; a token through an allowance that already
// suffices; an EIP-5792 batch (approve + book, one confirmation); an EIP-2612 permit signed in the wallet and used
// in the same transaction; an approval transaction first; or, without gas, a signed booking a merchant's relayer
// submits (gasless.ts, loaded only when taken). Each goes through the transactor.
import { encodeFunctionData, erc20Abi, parseEventLogs, zeroAddress, zeroHash, type Address, type Hex } from "viem";
import { readContract, signTypedData, simulateContract } from "wagmi/actions";
import {
  classifyError,
  earnestEscrowAbi,
  noCoupon,
  permitArgs,
  permitTypes,
  type SignedCoupon,
  type TokenDomain,
} from "@earnest/sdk";
import type { wagmiConfig } from "../wagmi";
import type { useTransactor } from "../tx/TxProvider";
import type { TxResult } from "../tx/run-transaction";
import { chooseBookingPath, isGasless, type BookingFacts, type GasChoice } from "./booking-path";

export type BookingOrder = {
  chainId: number;
  escrow: Address;
  customer: Address;
  offeringId: number;
  slotStart: number;
  seats: number;
  detailsHash: Hex;
  token: Address;
  amount: bigint;
  coupon?: SignedCoupon;
};

/** What the page found out about the token, the wallet and the merchant before the customer pays. */
export type PaymentOptions = {
  relayer?: string;
  /** The token's EIP-712 domain when it takes ERC-3009 authorizations. */
  authorizationDomain?: TokenDomain;
  /** The token's EIP-2612 permit domain, if it has one. */
  permitDomain?: TokenDomain;
  atomicBatch: boolean;
  enoughEth: boolean;
  choice?: GasChoice;
};

export type BookingLabels = {
  book: string;
  approve: string;
  permit: string;
  /** The EIP-5792 batch: approve and book. */
  batch: string;
  /** The ERC-3009 authorization of the deposit (the one signature of a booking without gas). */
  authorize: string;
  /** The booking intent's signature. */
  intent: string;
  /** The relayer's submission. */
  relay: string;
  /** The booking's confirmed toast: what was booked and paid. */
  done?: string;
};

export type Context = {
  config: typeof wagmiConfig;
  transactor: ReturnType<typeof useTransactor>;
  labels: BookingLabels;
  formatAmount: (value: bigint) => string;
};

const NONCES_ABI = [
  {
    type: "function",
    name: "nonces",
    stateMutability: "view",
    inputs: [{ name: "owner", type: "address" }],
    outputs: [{ name: "", type: "uint256" }],
  },
] as const;

/** A permit `bookWithPermit` skips: the allowance is used as it is. */
export const noPermit = { value: 0n, deadline: 0n, v: 0, r: zeroHash, s: zeroHash } as const;

/** How long a permit or a signed booking stays valid: long enough to confirm in a wallet and be mined. */
export const SIGNATURE_LIFETIME = 30 * 60;

/** Signs an EIP-2612 permit of exactly `order.amount` to the escrow (through the transactor); undefined when the
 *  customer declined or it failed. */
export async function signPermit(order: BookingOrder, domain: TokenDomain, deadline: bigint, ctx: Context) {
  const nonce = await readContract(ctx.config, {
    address: order.token,
    abi: NONCES_ABI,
    functionName: "nonces",
    args: [order.customer],
  });
  const message = { owner: order.customer, spender: order.escrow, value: order.amount, nonce, deadline };
  const signed = await ctx.transactor.sign(ctx.labels.permit, () =>
    signTypedData(ctx.config, { domain, types: permitTypes, primaryType: "Permit", message }),
  );
  return signed.ok ? permitArgs(signed.value, order.amount, deadline) : undefined;
}

/** Books and pays; resolves to the new booking's id, or undefined when the customer stopped or it failed (the
 *  transactor has said why). */
export async function bookAndPay(order: BookingOrder, ctx: Context, options: PaymentOptions) {
  const { config, transactor, labels, formatAmount } = ctx;
  const { escrow, offeringId, slotStart, seats, detailsHash, coupon } = order;
  const common = {
    label: labels.book,
    done: labels.done,
    address: escrow,
    abi: earnestEscrowAbi,
    formatAmount,
  } as const;
  const plainBook = (value?: bigint) =>
    coupon
      ? transactor.send({
          ...common,
          functionName: "bookWithCoupon",
          args: [offeringId, slotStart, seats, detailsHash, coupon.coupon, coupon.signature],
          value,
        })
      : transactor.send({ ...common, functionName: "book", args: [offeringId, slotStart, seats, detailsHash], value });

  const native = order.token === zeroAddress;
  const allowance = native
    ? 0n
    : await readContract(config, {
        address: order.token,
        abi: erc20Abi,
        functionName: "allowance",
        args: [order.customer, escrow],
      });
  const facts: BookingFacts = {
    native,
    allowanceCovers: !native && allowance >= order.amount,
    relayer: options.relayer,
    authorization: options.authorizationDomain !== undefined,
    permit: options.permitDomain !== undefined,
    atomicBatch: options.atomicBatch,
    enoughEth: options.enoughEth,
  };
  const path = chooseBookingPath(facts, options.choice);

  let result: TxResult | undefined;
  if (isGasless(path)) {
    // The relayer's client and the signing of intents load only for a booking without gas.
    const { bookWithoutGas } = await import("./gasless");
    result = await bookWithoutGas(order, ctx, {
      path,
      relayer: options.relayer!,
      authorizationDomain: options.authorizationDomain,
      permitDomain: facts.allowanceCovers ? undefined : options.permitDomain,
    });
  } else if (path === "native") {
    result = await plainBook(order.amount);
  } else if (path === "allowance") {
    result = await plainBook();
  } else if (path === "batch") {
    const bookCall = coupon
      ? encodeFunctionData({
          abi: earnestEscrowAbi,
          functionName: "bookWithCoupon",
          args: [offeringId, slotStart, seats, detailsHash, coupon.coupon, coupon.signature],
        })
      : encodeFunctionData({
          abi: earnestEscrowAbi,
          functionName: "book",
          args: [offeringId, slotStart, seats, detailsHash],
        });
    result = await transactor.sendCalls({
      label: labels.batch,
      formatAmount,
      calls: [
        {
          to: order.token,
          data: encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [escrow, order.amount] }),
        },
        { to: escrow, data: bookCall },
      ],
      simulate: async () => {
        // Before the approval, `bookWithPermit` without a permit checks everything a booking checks and then finds
        // the allowance short: that error, and only that one, means the batch will book.
        try {
          await simulateContract(config, {
            address: escrow,
            abi: earnestEscrowAbi,
            functionName: "bookWithPermit",
            args: [
              offeringId,
              slotStart,
              seats,
              detailsHash,
              noPermit,
              coupon?.coupon ?? noCoupon,
              coupon?.signature ?? "0x",
            ],
            account: order.customer,
          });
        } catch (error) {
          const failure = classifyError(error);
          if (failure.kind !== "contract" || failure.name !== "InsufficientAllowance") throw error;
        }
      },
    });
  } else if (path === "permit") {
    const deadline = BigInt(Math.floor(Date.now() / 1000) + SIGNATURE_LIFETIME);
    const permit = await signPermit(order, options.permitDomain!, deadline, ctx);
    if (!permit) return undefined;
    result = await transactor.send({
      ...common,
      functionName: "bookWithPermit",
      args: [offeringId, slotStart, seats, detailsHash, permit, coupon?.coupon ?? noCoupon, coupon?.signature ?? "0x"],
    });
  } else {
    const approved = await transactor.send({
      label: labels.approve,
      address: order.token,
      abi: erc20Abi,
      functionName: "approve",
      args: [escrow, order.amount],
      formatAmount,
    });
    if (!approved.ok) return undefined;
    result = await plainBook();
  }
  if (!result?.ok) return undefined;
  const [booked] = parseEventLogs({ abi: earnestEscrowAbi, eventName: "Booked", logs: result.receipt.logs });
  return booked?.args.bookingId;
}
