// Booking and paying, for every way a deposit can be paid: ETH as value; a token through an allowance that
// already suffices; an EIP-2612 permit signed in the wallet and used in the same transaction; or, for a token
// without permit, an approval transaction first. Each transaction goes through the transactor.
import { erc20Abi, parseEventLogs, zeroAddress, type Address, type Hex } from "viem";
import { readContract, signTypedData } from "wagmi/actions";
import { earnestEscrowAbi, noCoupon, permitArgs, permitTypes, type SignedCoupon } from "@earnest/sdk";
import type { wagmiConfig } from "../wagmi";
import type { useTransactor } from "../tx/TxProvider";

export type BookingOrder = {
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

type Labels = { book: string; approve: string; permit: string };

type Context = {
  config: typeof wagmiConfig;
  transactor: ReturnType<typeof useTransactor>;
  labels: Labels;
  formatAmount: (value: bigint) => string;
};

// ERC-5267's domain getter and EIP-2612's nonces: what a permit needs to know of the token.
const PERMIT_ABI = [
  {
    type: "function",
    name: "eip712Domain",
    stateMutability: "view",
    inputs: [],
    outputs: [
      { name: "fields", type: "bytes1" },
      { name: "name", type: "string" },
      { name: "version", type: "string" },
      { name: "chainId", type: "uint256" },
      { name: "verifyingContract", type: "address" },
      { name: "salt", type: "bytes32" },
      { name: "extensions", type: "uint256[]" },
    ],
  },
  {
    type: "function",
    name: "nonces",
    stateMutability: "view",
    inputs: [{ name: "owner", type: "address" }],
    outputs: [{ name: "", type: "uint256" }],
  },
] as const;

/** The token's EIP-712 domain when it supports EIP-2612 permits (and says so through ERC-5267), else undefined. */
async function permitDomain(config: Context["config"], token: Address, owner: Address) {
  try {
    const [[, name, version, chainId, verifyingContract], nonce] = await Promise.all([
      readContract(config, { address: token, abi: PERMIT_ABI, functionName: "eip712Domain" }),
      readContract(config, { address: token, abi: PERMIT_ABI, functionName: "nonces", args: [owner] }),
    ]);
    return { domain: { name, version, chainId: Number(chainId), verifyingContract }, nonce };
  } catch {
    return undefined;
  }
}

/** Books and pays; resolves to the new booking's id, or undefined when the customer stopped or it failed (the
 *  transactor has said why). */
export async function bookAndPay(order: BookingOrder, { config, transactor, labels, formatAmount }: Context) {
  const { escrow, offeringId, slotStart, seats, detailsHash, coupon } = order;
  const common = { label: labels.book, address: escrow, abi: earnestEscrowAbi, formatAmount } as const;
  const plainBook = (value?: bigint) =>
    coupon
      ? transactor.send({
          ...common,
          functionName: "bookWithCoupon",
          args: [offeringId, slotStart, seats, detailsHash, coupon.coupon, coupon.signature],
          value,
        })
      : transactor.send({ ...common, functionName: "book", args: [offeringId, slotStart, seats, detailsHash], value });

  let result;
  if (order.token === zeroAddress) {
    result = await plainBook(order.amount);
  } else {
    const allowance = await readContract(config, {
      address: order.token,
      abi: erc20Abi,
      functionName: "allowance",
      args: [order.customer, escrow],
    });
    const permit = allowance >= order.amount ? undefined : await permitDomain(config, order.token, order.customer);
    if (allowance >= order.amount) {
      result = await plainBook();
    } else if (permit) {
      const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
      const message = { owner: order.customer, spender: escrow, value: order.amount, nonce: permit.nonce, deadline };
      const signed = await transactor.sign(labels.permit, () =>
        signTypedData(config, { domain: permit.domain, types: permitTypes, primaryType: "Permit", message }),
      );
      if (!signed.ok) return undefined;
      result = await transactor.send({
        ...common,
        functionName: "bookWithPermit",
        args: [
          offeringId,
          slotStart,
          seats,
          detailsHash,
          permitArgs(signed.value, order.amount, deadline),
          coupon?.coupon ?? noCoupon,
          coupon?.signature ?? "0x",
        ],
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
  }
  if (!result.ok) return undefined;
  const [booked] = parseEventLogs({ abi: earnestEscrowAbi, eventName: "Booked", logs: result.receipt.logs });
  return booked?.args.bookingId;
}
