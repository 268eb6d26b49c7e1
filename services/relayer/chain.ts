// What the relayer reads from the chain: offerings (cached: their merchant, token and deposit never change), what a
// token supports (cached), the head's time, nonces, fees, simulations with the escrow's custom error decoded, and a
// booking someone else submitted for an intent.
import {
  BaseError,
  decodeErrorResult,
  erc20Abi,
  isHex,
  parseAbi,
  zeroAddress,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { earnestEscrowAbi, erc3009Abi, mockUsdcAbi, type BookingIntent } from "@earnest/sdk";

export type OfferingFacts = { merchant: Address; token: Address; depositPerSeat: bigint };

export type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };

/** A found booking: what the relayer answers. */
export type BookingAnswer = { bookingId: bigint; transactionHash: Hex; blockNumber: bigint };

/** The simulation reverted: the escrow's (or the token's) custom error when decodable, else the node's reason. */
export type Revert = { errorName: string | undefined; args: unknown[]; reason: string };

const permitProbeAbi = parseAbi([
  "function nonces(address owner) view returns (uint256)",
  "function DOMAIN_SEPARATOR() view returns (bytes32)",
]);

const FEES_CACHE_MS = 1000;
const HEAD_CACHE_MS = 1000;

/** The revert data inside a viem error, wherever in its causes it sits. */
function revertData(error: unknown): Hex | undefined {
  if (!(error instanceof BaseError)) return undefined;
  let found: Hex | undefined;
  error.walk((e) => {
    const data = (e as { data?: unknown }).data;
    if (typeof data === "string" && isHex(data) && data.length >= 10) found = data;
    else if (typeof data === "object" && data !== null) {
      const inner = (data as { data?: unknown }).data;
      if (typeof inner === "string" && isHex(inner) && inner.length >= 10) found = inner;
    }
    return found !== undefined;
  });
  return found;
}

export function decodeRevert(error: unknown): Revert {
  const reason = error instanceof BaseError ? error.shortMessage : String(error);
  const data = revertData(error);
  if (data) {
    for (const abi of [earnestEscrowAbi, erc3009Abi, mockUsdcAbi, erc20Abi] as Abi[]) {
      try {
        const decoded = decodeErrorResult({ abi, data });
        return { errorName: decoded.errorName, args: [...(decoded.args ?? [])], reason };
      } catch {
        // not this ABI's
      }
    }
  }
  return { errorName: undefined, args: [], reason };
}

/** Whether `error` is the node saying the call reverted (rather than not answering). */
export function isRevert(error: unknown): boolean {
  if (revertData(error)) return true;
  const text = error instanceof BaseError ? `${error.shortMessage} ${error.details}` : String(error);
  return /revert|execution reverted|invalid opcode/i.test(text);
}

export class ChainView {
  private readonly offerings = new Map<number, OfferingFacts | null>();
  private readonly support = new Map<string, Promise<boolean>>();
  private fees: { at: number; value: Promise<Fees> } | undefined;
  private head: { at: number; timestamp: Promise<number> } | undefined;

  constructor(
    readonly client: PublicClient,
    readonly escrow: Address,
    readonly fromBlock: bigint,
  ) {}

  /** The offering's merchant, token and deposit, or null when there is no such offering. */
  async offering(offeringId: number): Promise<OfferingFacts | null> {
    const cached = this.offerings.get(offeringId);
    if (cached !== undefined) return cached;
    let facts: OfferingFacts | null;
    try {
      const offering = await this.client.readContract({
        address: this.escrow,
        abi: earnestEscrowAbi,
        functionName: "getOffering",
        args: [offeringId],
      });
      facts =
        offering.merchant === zeroAddress
          ? null
          : { merchant: offering.merchant, token: offering.token, depositPerSeat: offering.depositPerSeat };
    } catch (error) {
      if (!isRevert(error)) throw error;
      facts = null;
    }
    // An unknown id may be created later: only known offerings are cached.
    if (facts) this.offerings.set(offeringId, facts);
    return facts;
  }

  /** Whether `token` has ERC-3009 (`authorizationState`) or an EIP-2612 permit (`nonces` and `DOMAIN_SEPARATOR`). */
  supports(token: Address, kind: "authorization" | "permit"): Promise<boolean> {
    const key = `${token}:${kind}`;
    let answer = this.support.get(key);
    if (!answer) {
      const probe =
        kind === "authorization"
          ? this.client.readContract({
              address: token,
              abi: erc3009Abi,
              functionName: "authorizationState",
              args: [zeroAddress, `0x${"00".repeat(32)}`],
            })
          : Promise.all([
              this.client.readContract({
                address: token,
                abi: permitProbeAbi,
                functionName: "nonces",
                args: [zeroAddress],
              }),
              this.client.readContract({ address: token, abi: permitProbeAbi, functionName: "DOMAIN_SEPARATOR" }),
            ]);
      answer = probe.then(
        () => true,
        (error: unknown) => {
          if (isRevert(error) || (error instanceof BaseError && /decode|returned no data/i.test(error.shortMessage))) {
            return false;
          }
          this.support.delete(key); // the node did not answer: ask again next time
          throw error;
        },
      );
      this.support.set(key, answer);
    }
    return answer;
  }

  /** The latest block's time (what the escrow checks deadlines against), read at most once a second and advanced
   *  by the clock in between. */
  async now(): Promise<number> {
    const at = Date.now();
    let head = this.head;
    if (!head || at - head.at > HEAD_CACHE_MS) {
      const read = this.client.getBlock({ blockTag: "latest" }).then((block) => Number(block.timestamp));
      head = { at, timestamp: read };
      this.head = head;
      read.catch(() => (this.head = undefined));
    }
    return (await head.timestamp) + Math.floor((at - head.at) / 1000);
  }

  nonceUsed(customer: Address, nonce: Hex): Promise<boolean> {
    return this.client.readContract({
      address: this.escrow,
      abi: earnestEscrowAbi,
      functionName: "bookingNonceUsed",
      args: [customer, nonce],
    });
  }

  /** EIP-1559 fees, asked at most once a second. */
  currentFees(): Promise<Fees> {
    const now = Date.now();
    if (!this.fees || now - this.fees.at > FEES_CACHE_MS) {
      const value = this.client.estimateFeesPerGas({ chain: null, type: "eip1559" }).then(
        ({ maxFeePerGas, maxPriorityFeePerGas }) => ({ maxFeePerGas, maxPriorityFeePerGas }),
        (error: unknown) => {
          this.fees = undefined;
          throw error;
        },
      );
      this.fees = { at: now, value };
    }
    return this.fees.value;
  }

  /** The gas `data` needs from `from` to the escrow; throws the node's error when it would revert. */
  estimate(from: Address, data: Hex): Promise<bigint> {
    return this.client.estimateGas({ account: from, to: this.escrow, data });
  }

  /** The booking `intent` made, when someone (this relayer or another) submitted it: the `Booked` event by the
   *  customer for the offering with the intent's slot, seats and details. */
  async findBooked(intent: BookingIntent): Promise<BookingAnswer | undefined> {
    const logs = await this.client.getContractEvents({
      address: this.escrow,
      abi: earnestEscrowAbi,
      eventName: "Booked",
      args: { customer: intent.customer, offeringId: intent.offeringId },
      fromBlock: this.fromBlock,
      toBlock: "latest",
    });
    const match = logs
      .filter(
        (l) =>
          l.args.detailsHash?.toLowerCase() === intent.detailsHash.toLowerCase() &&
          l.args.slotStart === intent.slotStart &&
          l.args.seats === intent.seats,
      )
      .at(-1);
    if (!match || match.args.bookingId === undefined) return undefined;
    return { bookingId: match.args.bookingId, transactionHash: match.transactionHash, blockNumber: match.blockNumber };
  }
}
