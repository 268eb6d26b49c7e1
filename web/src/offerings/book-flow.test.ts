// Each way of paying a deposit sends the transactions it should, in order, and nothing after a refusal: ETH, an
// allowance, a permit, an approval, an EIP-5792 batch, and a booking without gas through a relayer (ERC-3009 or
// permit + intent).
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
import {
  decodeFunctionData,
  encodeErrorResult,
  erc20Abi,
  hashTypedData,
  BaseError,
  ContractFunctionRevertedError,
} from "viem";
import {
  earnestEscrowAbi,
  hashBookingIntent,
  noCoupon,
  RelayerRefusedError,
  RelayerUnreachableError,
  type BookingIntent,
  type SignedCoupon,
  type TokenDomain,
} from "@earnest/sdk";
import { bookAndPay, type BookingOrder, type PaymentOptions } from "./book-flow";
import { relayerFailure } from "./gasless";

const chain = vi.hoisted(() => ({
  allowance: 0n,
  permit: true,
  nonce: 7n,
  signed: [] as unknown[],
  simulated: [] as { functionName: string; args: readonly unknown[] }[],
  simulateError: undefined as Error | undefined,
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
  simulateContract: (_config: unknown, call: { functionName: string; args: readonly unknown[] }) => {
    chain.simulated.push(call);
    return chain.simulateError ? Promise.reject(chain.simulateError) : Promise.resolve({ request: call });
  },
  getBlock: () => Promise.resolve({ timestamp: 1_700_000_000n }),
}));

const ESCROW: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const TOKEN: Address = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
const CUSTOMER: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const SIGNATURE: Hex = `0x${"ab".repeat(32)}${"cd".repeat(32)}1b`;
const BOOKING_ID = 42n;
const DETAILS: Hex = `0x${"12".repeat(32)}`;

type Sent = { label: string; functionName: string; args: readonly unknown[]; value?: bigint };
type Calls = { label: string; calls: readonly { to: Address; data: Hex }[]; simulate: () => Promise<void> };
type Relayed = Sent & { submit: () => Promise<Hex>; classify?: (error: unknown) => unknown };

/** A transactor that records what it is asked to send; `refuse` makes the named call fail as if declined. */
function fakeTransactor({ refuse }: { refuse?: string } = {}) {
  const sent: Sent[] = [];
  const batches: Calls[] = [];
  const relayed: Relayed[] = [];
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
    sendCalls: (request: Calls) => {
      batches.push(request);
      return Promise.resolve({ ok: true as const, receipt: { logs: [bookedLog] } as unknown as TransactionReceipt });
    },
    relay: (request: Relayed) => {
      relayed.push(request);
      return Promise.resolve({ ok: true as const, receipt: { logs: [bookedLog] } as unknown as TransactionReceipt });
    },
    sign: async <T>(label: string, sign: () => Promise<T>) => {
      signatures.push(label);
      if (refuse === label) return { ok: false as const, failure: { kind: "rejected" as const } };
      return { ok: true as const, value: await sign() };
    },
  };
  return { sent, batches, relayed, signatures, transactor };
}

const DOMAIN: TokenDomain = { name: "Mock USD", version: "1", chainId: 31337, verifyingContract: TOKEN };
const USDC_DOMAIN: TokenDomain = { name: "USD Coin", version: "2", chainId: 31337, verifyingContract: TOKEN };
const RELAYER = "http://127.0.0.1:8547";

const order = (overrides: Partial<BookingOrder> = {}): BookingOrder => ({
  chainId: 31337,
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

const LABELS = {
  book: "Book",
  approve: "Approve",
  permit: "Permit",
  batch: "Batch",
  authorize: "Authorize",
  intent: "Intent",
  relay: "Relay",
};

function pay(o: BookingOrder, fake: ReturnType<typeof fakeTransactor>, options: Partial<PaymentOptions> = {}) {
  return bookAndPay(
    o,
    { config: {} as never, transactor: fake.transactor as never, labels: LABELS, formatAmount: String },
    {
      permitDomain: chain.permit ? DOMAIN : undefined,
      atomicBatch: false,
      enoughEth: true,
      ...options,
    },
  );
}

function escrowError(errorName: "SlotFull" | "InsufficientAllowance", args: readonly unknown[]): Error {
  const data = encodeErrorResult({ abi: earnestEscrowAbi, errorName, args: args as never });
  return new BaseError("simulation failed", {
    cause: new ContractFunctionRevertedError({ abi: earnestEscrowAbi, data, functionName: "bookWithPermit" }),
  });
}

beforeEach(() => {
  chain.allowance = 0n;
  chain.permit = true;
  chain.signed = [];
  chain.simulated = [];
  chain.simulateError = undefined;
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
    const fake = fakeTransactor({ refuse: "Permit" });
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

describe("bookAndPay with an EIP-5792 wallet", () => {
  it("approves and books in one batch, checked first", async () => {
    const fake = fakeTransactor();
    chain.simulateError = escrowError("InsufficientAllowance", [TOKEN, 0n, 50_000_000n]);
    expect(await pay(order(), fake, { atomicBatch: true })).toBe(BOOKING_ID);
    expect(fake.sent).toEqual([]);
    expect(fake.signatures).toEqual([]);
    expect(fake.batches).toHaveLength(1);
    const [{ calls, simulate }] = fake.batches;
    expect(calls.map((c) => c.to)).toEqual([TOKEN, ESCROW]);
    expect(decodeFunctionData({ abi: erc20Abi, data: calls[0].data })).toEqual({
      functionName: "approve",
      args: [ESCROW, 50_000_000n],
    });
    expect(decodeFunctionData({ abi: earnestEscrowAbi, data: calls[1].data })).toEqual({
      functionName: "book",
      args: [2, 1_800_000_000, 2, DETAILS],
    });
    // The check: every booking condition but the allowance holds, so the batch goes ahead.
    await simulate();
    expect(chain.simulated.map((c) => c.functionName)).toEqual(["bookWithPermit"]);
    // Any other refusal stops it before the wallet is asked.
    chain.simulateError = escrowError("SlotFull", [2, 1_800_000_000, 0n, 2]);
    await expect(simulate()).rejects.toBe(chain.simulateError);
  });

  it("books directly when the allowance already covers the deposit", async () => {
    chain.allowance = 50_000_000n;
    const fake = fakeTransactor();
    await pay(order(), fake, { atomicBatch: true });
    expect(fake.batches).toEqual([]);
    expect(fake.sent.map((s) => s.functionName)).toEqual(["book"]);
  });
});

describe("bookAndPay without gas", () => {
  const relayed = (fake: ReturnType<typeof fakeTransactor>) => {
    expect(fake.relayed).toHaveLength(1);
    return fake.relayed[0];
  };

  it("signs one ERC-3009 authorization bound to the intent and has the relayer book it", async () => {
    const fake = fakeTransactor();
    const options = { relayer: RELAYER, authorizationDomain: USDC_DOMAIN, permitDomain: USDC_DOMAIN, enoughEth: false };
    expect(await pay(order(), fake, options)).toBe(BOOKING_ID);
    expect(fake.signatures).toEqual(["Authorize"]);
    expect(fake.sent).toEqual([]);
    const [typed] = chain.signed as { domain: unknown; primaryType: string; message: Record<string, unknown> }[];
    expect(typed.primaryType).toBe("ReceiveWithAuthorization");
    expect(typed.domain).toEqual(USDC_DOMAIN);
    const request = relayed(fake);
    expect(request.functionName).toBe("bookWithAuthorization");
    const [intent, authorization, coupon, couponSignature] = request.args as [BookingIntent, Hex, unknown, Hex];
    expect(intent).toMatchObject({ customer: CUSTOMER, offeringId: 2, slotStart: 1_800_000_000, seats: 2 });
    expect(intent.deadline).toBeGreaterThan(1_700_000_000);
    expect(typed.message).toEqual({
      from: CUSTOMER,
      to: ESCROW,
      value: 50_000_000n,
      validAfter: 0n,
      validBefore: BigInt(intent.deadline),
      nonce: hashBookingIntent(intent, 31337, ESCROW),
    });
    expect([authorization, coupon, couponSignature]).toEqual([SIGNATURE, noCoupon, "0x"]);
  });

  it("posts the signed booking to the relayer and takes its transaction", async () => {
    const posted: { url: string; body: unknown }[] = [];
    const hash: Hex = `0x${"77".repeat(32)}`;
    vi.stubGlobal("fetch", (url: string, init: RequestInit) => {
      posted.push({ url, body: JSON.parse(init.body as string) });
      const answer = { bookingId: String(BOOKING_ID), transactionHash: hash, blockNumber: "9" };
      return Promise.resolve(new Response(JSON.stringify(answer), { status: 200 }));
    });
    try {
      const fake = fakeTransactor();
      await pay(order(), fake, { relayer: RELAYER, authorizationDomain: USDC_DOMAIN, enoughEth: false });
      expect(await relayed(fake).submit()).toBe(hash);
      expect(posted).toHaveLength(1);
      expect(posted[0].url).toBe(`${RELAYER}/bookings`);
      expect(posted[0].body).toMatchObject({ payment: { kind: "authorization", authorization: SIGNATURE } });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("signs a permit and the intent for a permit token, and names the coupon in the intent", async () => {
    const coupon = {
      coupon: { ...noCoupon, offeringId: 2, discount: 5n, signer: CUSTOMER },
      signature: "0x1234",
    } as SignedCoupon;
    const fake = fakeTransactor();
    await pay(order({ coupon }), fake, { relayer: RELAYER, permitDomain: DOMAIN, enoughEth: false });
    expect(fake.signatures).toEqual(["Permit", "Intent"]);
    const [permit, intentTyped] = chain.signed as { domain: unknown; primaryType: string }[];
    expect(permit).toMatchObject({ primaryType: "Permit", domain: DOMAIN });
    expect(intentTyped).toMatchObject({
      primaryType: "BookingIntent",
      domain: { name: "Earnest", version: "2", chainId: 31337, verifyingContract: ESCROW },
    });
    const request = relayed(fake);
    expect(request.functionName).toBe("bookWithSignature");
    const [intent, signature, permitArg, couponArg, couponSignature] = request.args as [
      BookingIntent,
      Hex,
      { value: bigint; deadline: bigint },
      unknown,
      Hex,
    ];
    expect(signature).toBe(SIGNATURE);
    expect(permitArg).toMatchObject({ value: 50_000_000n, deadline: BigInt(intent.deadline) });
    expect([couponArg, couponSignature]).toEqual([coupon.coupon, "0x1234"]);
    expect(intent.couponDigest).toBe(
      hashTypedData({
        domain: { name: "Earnest", version: "2", chainId: 31337, verifyingContract: ESCROW },
        types: (await import("@earnest/sdk")).couponTypes,
        primaryType: "Coupon",
        message: coupon.coupon,
      }),
    );
  });

  it("signs only the intent when the allowance covers the deposit", async () => {
    chain.allowance = 50_000_000n;
    const fake = fakeTransactor();
    await pay(order(), fake, { relayer: RELAYER, permitDomain: DOMAIN, enoughEth: false });
    expect(fake.signatures).toEqual(["Intent"]);
    expect(relayed(fake).args[2]).toMatchObject({ deadline: 0n });
  });

  it("relays nothing when the authorization is declined", async () => {
    const fake = fakeTransactor({ refuse: "Authorize" });
    const options = { relayer: RELAYER, authorizationDomain: USDC_DOMAIN, enoughEth: false };
    expect(await pay(order(), fake, options)).toBeUndefined();
    expect(fake.relayed).toEqual([]);
  });

  it("lets a customer with ETH pay the gas, or choose not to", async () => {
    const options = { relayer: RELAYER, authorizationDomain: USDC_DOMAIN, enoughEth: true };
    const paysGas = fakeTransactor();
    await pay(order(), paysGas, options);
    expect(paysGas.relayed).toEqual([]);
    expect(paysGas.sent.map((s) => s.functionName)).toEqual(["bookWithPermit"]);
    const gasless = fakeTransactor();
    await pay(order(), gasless, { ...options, choice: "gasless" });
    expect(gasless.relayed.map((r) => r.functionName)).toEqual(["bookWithAuthorization"]);
  });

  it("never relays an ETH booking", async () => {
    const fake = fakeTransactor();
    await pay(order({ token: zeroAddress, amount: 1n }), fake, { relayer: RELAYER, enoughEth: false });
    expect(fake.relayed).toEqual([]);
    expect(fake.sent.map((s) => s.functionName)).toEqual(["book"]);
  });
});

describe("relayer refusals", () => {
  it("words an escrow error the relayer simulated as the escrow's, with its arguments typed", () => {
    const refusal = new RelayerRefusedError({
      code: "SimulationFailed",
      status: 422,
      message: "The escrow would refuse this booking: SlotFull.",
      details: { errorName: "SlotFull", args: ["2", "1800000000", "0", "2"] },
    });
    expect(relayerFailure(refusal)).toEqual({ kind: "contract", name: "SlotFull", args: [2, 1_800_000_000, 0n, 2] });
  });

  it("keeps the relayer's own refusals and its silence apart from other errors", () => {
    const limited = new RelayerRefusedError({
      code: "RateLimited",
      status: 429,
      message: "slow down",
      details: { retryAfter: 30 },
    });
    expect(relayerFailure(limited)).toEqual({
      kind: "relayerRefused",
      code: "RateLimited",
      details: { retryAfter: 30 },
    });
    expect(relayerFailure(new RelayerUnreachableError({ url: RELAYER }))).toEqual({ kind: "relayerUnreachable" });
    expect(relayerFailure(new Error("other"))).toBeUndefined();
  });
});
