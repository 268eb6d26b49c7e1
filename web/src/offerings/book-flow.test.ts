// Each way of paying a deposit sends the transactions it should, in order, and nothing after a refusal.
import {
  encodeAbiParameters,
  encodeEventTopics,
  parseSignature,
  zeroAddress,
  type Address,
  type Hex,
  type TransactionReceipt,
} from "viem";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { earnestEscrowAbi, noCoupon, type SignedCoupon } from "@earnest/sdk";
import { bookAndPay, type BookingOrder } from "./book-flow";

const chain = vi.hoisted(() => ({
  allowance: 0n,
  permit: true,
  nonce: 7n,
  signed: [] as unknown[],
}));

vi.mock("wagmi/actions", () => ({
  readContract: (_config: unknown, call: { functionName: string }) => {
    switch (call.functionName) {
      case "allowance":
        return Promise.resolve(chain.allowance);
      case "eip712Domain":
        return chain.permit
          ? Promise.resolve(["0x0f", "Mock USD", "1", 31337n, TOKEN, `0x${"00".repeat(32)}`, []])
          : Promise.reject(new Error("execution reverted"));
      case "nonces":
        return chain.permit ? Promise.resolve(chain.nonce) : Promise.reject(new Error("execution reverted"));
      default:
        throw new Error(`unexpected read ${call.functionName}`);
    }
  },
  signTypedData: (_config: unknown, typedData: unknown) => {
    chain.signed.push(typedData);
    return Promise.resolve(SIGNATURE);
  },
}));

const ESCROW: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const TOKEN: Address = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
const CUSTOMER: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const SIGNATURE: Hex = `0x${"ab".repeat(32)}${"cd".repeat(32)}1b`;
const BOOKING_ID = 42n;
const DETAILS: Hex = `0x${"12".repeat(32)}`;

type Sent = { label: string; functionName: string; args: readonly unknown[]; value?: bigint };

/** A transactor that records what it is asked to send; `refuse` makes the named call fail as if declined. */
function fakeTransactor({ refuse }: { refuse?: string } = {}) {
  const sent: Sent[] = [];
  const signatures: string[] = [];
  const bookedLog = {
    address: ESCROW,
    topics: encodeEventTopics({
      abi: earnestEscrowAbi,
      eventName: "Booked",
      args: { bookingId: BOOKING_ID, offeringId: 2, customer: CUSTOMER },
    }),
    data: encodeAbiParameters(
      [{ type: "uint40" }, { type: "uint16" }, { type: "uint256" }, { type: "uint16" }, { type: "bytes32" }],
      [1_800_000_000, 2, 50_000_000n, 250, DETAILS],
    ),
  };
  const transactor = {
    send: (request: Sent) => {
      sent.push({ label: request.label, functionName: request.functionName, args: request.args, value: request.value });
      if (request.functionName === refuse) {
        return Promise.resolve({ ok: false as const, failure: { kind: "rejected" as const } });
      }
      const logs = request.functionName.startsWith("book") ? [bookedLog] : [];
      return Promise.resolve({ ok: true as const, receipt: { logs } as unknown as TransactionReceipt });
    },
    sign: async <T>(label: string, sign: () => Promise<T>) => {
      signatures.push(label);
      if (refuse === "permit") return { ok: false as const, failure: { kind: "rejected" as const } };
      return { ok: true as const, value: await sign() };
    },
  };
  return { sent, signatures, transactor };
}

const order = (overrides: Partial<BookingOrder> = {}): BookingOrder => ({
  escrow: ESCROW,
  customer: CUSTOMER,
  offeringId: 2,
  slotStart: 1_800_000_000,
  seats: 2,
  detailsHash: DETAILS,
  token: TOKEN,
  amount: 50_000_000n,
  ...overrides,
});

function pay(o: BookingOrder, fake: ReturnType<typeof fakeTransactor>) {
  return bookAndPay(o, {
    config: {} as never,
    transactor: fake.transactor as never,
    labels: { book: "Book", approve: "Approve", permit: "Permit" },
    formatAmount: String,
  });
}

beforeEach(() => {
  chain.allowance = 0n;
  chain.permit = true;
  chain.signed = [];
});

describe("bookAndPay", () => {
  it("pays ETH as the transaction's value", async () => {
    const fake = fakeTransactor();
    const id = await pay(order({ token: zeroAddress, amount: 20_000_000_000_000_000n }), fake);
    expect(id).toBe(BOOKING_ID);
    expect(fake.sent).toEqual([
      { label: "Book", functionName: "book", args: [2, 1_800_000_000, 2, DETAILS], value: 20_000_000_000_000_000n },
    ]);
    expect(fake.signatures).toEqual([]);
  });

  it("books at once when the allowance already covers the deposit", async () => {
    chain.allowance = 50_000_000n;
    const fake = fakeTransactor();
    expect(await pay(order(), fake)).toBe(BOOKING_ID);
    expect(fake.sent.map((s) => s.functionName)).toEqual(["book"]);
    expect(chain.signed).toEqual([]);
  });

  it("signs a permit for exactly the deposit and books with it in one transaction", async () => {
    chain.allowance = 49_999_999n; // one unit short
    const fake = fakeTransactor();
    expect(await pay(order(), fake)).toBe(BOOKING_ID);
    expect(fake.signatures).toEqual(["Permit"]);
    const [typed] = chain.signed as { domain: unknown; primaryType: string; message: Record<string, unknown> }[];
    expect(typed.primaryType).toBe("Permit");
    expect(typed.domain).toEqual({ name: "Mock USD", version: "1", chainId: 31337, verifyingContract: TOKEN });
    expect(typed.message).toMatchObject({ owner: CUSTOMER, spender: ESCROW, value: 50_000_000n, nonce: 7n });
    expect(fake.sent).toHaveLength(1);
    const [{ functionName, args }] = fake.sent;
    expect(functionName).toBe("bookWithPermit");
    const { r, s } = parseSignature(SIGNATURE);
    expect(args[4]).toMatchObject({ value: 50_000_000n, v: 27, r, s });
    expect(args.slice(5)).toEqual([noCoupon, "0x"]);
  });

  it("passes a coupon along with the permit", async () => {
    const coupon = { coupon: { ...noCoupon, offeringId: 2, discount: 5n }, signature: "0x1234" } as SignedCoupon;
    const fake = fakeTransactor();
    await pay(order({ coupon }), fake);
    expect(fake.sent[0].functionName).toBe("bookWithPermit");
    expect(fake.sent[0].args.slice(5)).toEqual([coupon.coupon, "0x1234"]);
  });

  it("approves exactly the deposit first when the token has no permit", async () => {
    chain.permit = false;
    const fake = fakeTransactor();
    expect(await pay(order(), fake)).toBe(BOOKING_ID);
    expect(fake.sent.map((s) => [s.label, s.functionName, s.args])).toEqual([
      ["Approve", "approve", [ESCROW, 50_000_000n]],
      ["Book", "book", [2, 1_800_000_000, 2, DETAILS]],
    ]);
  });

  it("books nothing when the approval is declined", async () => {
    chain.permit = false;
    const fake = fakeTransactor({ refuse: "approve" });
    expect(await pay(order(), fake)).toBeUndefined();
    expect(fake.sent.map((s) => s.functionName)).toEqual(["approve"]);
  });

  it("sends nothing when the permit signature is declined", async () => {
    const fake = fakeTransactor({ refuse: "permit" });
    expect(await pay(order(), fake)).toBeUndefined();
    expect(fake.sent).toEqual([]);
  });

  it("uses bookWithCoupon for a coupon paid in ETH", async () => {
    const coupon = { coupon: { ...noCoupon, offeringId: 2, discount: 5n }, signature: "0x1234" } as SignedCoupon;
    const fake = fakeTransactor();
    await pay(order({ token: zeroAddress, coupon, amount: 10n }), fake);
    expect(fake.sent).toEqual([
      {
        label: "Book",
        functionName: "bookWithCoupon",
        args: [2, 1_800_000_000, 2, DETAILS, coupon.coupon, "0x1234"],
        value: 10n,
      },
    ]);
  });
});
