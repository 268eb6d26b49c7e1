// Gas benchmark of the settlement core: `npm run bench:gas`.
// Runs each operation on Hardhat's in-process chain and records the receipt's gasUsed (21,000 base included).
// Prints a table and writes bench/gas.json, one flat object with the keys below (read by other checks: keep them).
import { mkdirSync, writeFileSync } from "node:fs";
import { network } from "hardhat";
import { encodeFunctionData, keccak256, maxUint256, parseEther, toHex, zeroAddress, type Hash } from "viem";
import {
  bookingAuthorizationMessage,
  bookingIntentTypes,
  CheckInRule,
  checkInTypes,
  couponDomain,
  couponTypes,
  encodeBookingId,
  escrowDomain,
  noCoupon,
  hashBookingIntent,
  permitArgs,
  permitTypes,
  receiveWithAuthorizationTypes,
  type BookingIntent,
} from "@earnest/sdk";

const HOUR = 3600;
const DAY = 24 * HOUR;
const SLOT = 2 * HOUR;
const DEPOSIT = parseEther("0.01");
const USD = 25_000_000n; // 25 mUSD a seat

const { viem, networkHelpers } = await network.getOrCreate();
const publicClient = await viem.getPublicClient();
const [owner, merchant, payout, arbiter, ...customers] = await viem.getWalletClients();
// A fixed start (2030-01-01 00:30 UTC), so that booking ids, slot starts and signatures — and with them calldata
// and gas — are the same on every run, whatever the wall clock says.
const BENCH_START = 1_893_457_800;
await networkHelpers.time.increaseTo(BENCH_START);
const chainId = await publicClient.getChainId();

// The escrow's whole surface (`IEarnestEscrow`): what it runs itself and what its fallback runs in its extension.
const escrow = await viem.getContractAt(
  "IEarnestEscrow",
  (await viem.deployContract("EarnestEscrow", [owner.account.address, owner.account.address, 100])).address,
);
const usd = await viem.deployContract("MockStablecoin");
await escrow.write.setTokenAllowed([usd.address, true]);
await escrow.write.registerMerchant([payout.account.address, "Bench Bistro"], { account: merchant.account });

const start = Number(await networkHelpers.time.latest());
const grid = start - (start % HOUR);
const tiers = [
  { secondsBeforeStart: 48 * HOUR, refundBps: 10_000 },
  { secondsBeforeStart: 24 * HOUR, refundBps: 5_000 },
];
const baseTerms = {
  token: zeroAddress as `0x${string}`,
  depositPerSeat: DEPOSIT,
  seatsPerSlot: 100,
  slotLength: SLOT,
  firstSlotStart: grid,
  minLeadTime: HOUR,
  maxAdvance: 365 * DAY,
  noShowRefundBps: 2_000,
  disputeWindow: DAY,
  arbiter: arbiter.account.address,
  arbiterTimeout: 3 * DAY,
  checkInRule: CheckInRule.MerchantWord,
  maxFeeBps: 250,
  cancellationTiers: tiers,
  metadata: '{"name":"Bench dinner","tz":"Europe/Paris"}',
};
await escrow.write.createOffering([baseTerms], { account: merchant.account }); // 1: ETH
await escrow.write.createOffering([{ ...baseTerms, token: usd.address, depositPerSeat: USD }], {
  account: merchant.account,
}); // 2: mUSD

for (const c of customers) {
  await usd.write.mint([c.account.address, 1_000_000_000_000n]);
}

async function gasOf(hash: Promise<Hash>): Promise<number> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
  if (receipt.status !== "success") throw new Error("benchmark transaction reverted");
  return Number(receipt.gasUsed);
}
const details = (label: string) => keccak256(toHex(`bench:${label}`));
/** The first slot start at least `days` days from the chain's current time. */
async function slotAt(days: number): Promise<number> {
  const target = Number(await networkHelpers.time.latest()) + days * DAY;
  return grid + Math.ceil((target - grid) / SLOT) * SLOT;
}

const gas: Record<string, number> = {};
const extra: Record<string, number> = {};

// Bookings. The token is warmed by an earlier booking so the escrow already holds a balance, as in steady use.
const slotA = await slotAt(10);
gas["book.eth.firstInSlot"] = await gasOf(
  escrow.write.book([1, slotA, 1, details("a1")], { account: customers[0].account, value: DEPOSIT }),
);
gas["book.eth.laterInSlot"] = await gasOf(
  escrow.write.book([1, slotA, 1, details("a2")], { account: customers[1].account, value: DEPOSIT }),
);
for (const c of customers.slice(0, 4)) {
  await usd.write.approve([escrow.address, maxUint256], { account: c.account });
}
extra["book.erc20.firstInSlot"] = await gasOf(
  escrow.write.book([2, slotA, 1, details("u1")], { account: customers[0].account }),
);
gas["book.erc20"] = await gasOf(escrow.write.book([2, slotA, 1, details("u2")], { account: customers[1].account }));

const permitOwner = customers[4];
/** `owner`'s first mUSD permit to the escrow, for one seat's deposit, without a deadline. */
async function signPermit(owner: (typeof customers)[number]) {
  const message = {
    owner: owner.account.address,
    spender: escrow.address,
    value: USD,
    nonce: 0n,
    deadline: maxUint256,
  };
  const domain = { name: "Mock USD", version: "1", chainId, verifyingContract: usd.address };
  return permitArgs(
    await owner.signTypedData({ domain, types: permitTypes, primaryType: "Permit", message }),
    USD,
    maxUint256,
  );
}
const permit = await signPermit(permitOwner);
gas["book.permit"] = await gasOf(
  escrow.write.bookWithPermit([2, slotA, 1, details("p1"), permit, noCoupon, "0x"], { account: permitOwner.account }),
);

const coupon = {
  offeringId: 1,
  discount: DEPOSIT / 10n,
  maxRedemptions: 100,
  expiresAt: start + 30 * DAY,
  customer: zeroAddress as `0x${string}`,
  salt: toHex(1, { size: 32 }),
  signer: merchant.account.address,
};
const couponSignature = await merchant.signTypedData({
  domain: couponDomain(chainId, escrow.address),
  types: couponTypes,
  primaryType: "Coupon",
  message: coupon,
});
gas["book.coupon"] = await gasOf(
  escrow.write.bookWithCoupon([1, slotA, 1, details("c1"), coupon, couponSignature], {
    account: customers[2].account,
    value: DEPOSIT - coupon.discount,
  }),
);

// Signed bookings, submitted by a relayer (a third party) for a customer, under book.erc20's conditions: the second
// booking of the token in a warm slot, the escrow already holding a balance of the token. The permit path pays by a
// fresh permit (as book.permit); the ERC-3009 path by one receiveWithAuthorization in MockUSDC, whose offering and
// slot are warmed by an ordinary booking first. Everything is deployed and signed by accounts the measurements above
// do not use, so that their figures do not move.
const [relayer, usdcDeployer, signedPermitCustomer, signed3009Customer] = customers.slice(-4);
const noPermit = { value: 0n, deadline: 0n, v: 0, r: toHex(0, { size: 32 }), s: toHex(0, { size: 32 }) };
const usdc = await viem.deployContract("MockUSDC", [], { client: { wallet: usdcDeployer } });
await escrow.write.setTokenAllowed([usdc.address, true]);
await escrow.write.createOffering([{ ...baseTerms, token: usdc.address, depositPerSeat: USD }], {
  account: merchant.account,
}); // 3: USDC
await usdc.write.mint([usdcDeployer.account.address, 1_000_000_000_000n], { account: usdcDeployer.account });
await usdc.write.mint([signed3009Customer.account.address, 1_000_000_000_000n], { account: usdcDeployer.account });
await usdc.write.approve([escrow.address, maxUint256], { account: usdcDeployer.account });
await escrow.write.book([3, slotA, 1, details("usdc-warm")], { account: usdcDeployer.account });

/** `customer`'s intent for one seat of `offeringId` at slotA, valid for a day. */
function benchIntent(customer: `0x${string}`, offeringId: number, label: string): BookingIntent {
  return {
    customer,
    offeringId,
    slotStart: slotA,
    seats: 1,
    detailsHash: details(label),
    couponDigest: toHex(0, { size: 32 }),
    nonce: keccak256(toHex(`bench:nonce:${label}`)),
    deadline: start + DAY,
  };
}

const permitIntent = benchIntent(signedPermitCustomer.account.address, 2, "s1");
const permitIntentSignature = await signedPermitCustomer.signTypedData({
  domain: escrowDomain(chainId, escrow.address),
  types: bookingIntentTypes,
  primaryType: "BookingIntent",
  message: permitIntent,
});
const signedPermit = await signPermit(signedPermitCustomer);
gas["book.signed.permit"] = await gasOf(
  escrow.write.bookWithSignature([permitIntent, permitIntentSignature, signedPermit, noCoupon, "0x"], {
    account: relayer.account,
  }),
);

const authorizedIntent = benchIntent(signed3009Customer.account.address, 3, "s2");
const authorization = await signed3009Customer.signTypedData({
  domain: { name: "USD Coin", version: "2", chainId, verifyingContract: usdc.address },
  types: receiveWithAuthorizationTypes,
  primaryType: "ReceiveWithAuthorization",
  message: bookingAuthorizationMessage(
    authorizedIntent,
    escrow.address,
    USD,
    hashBookingIntent(authorizedIntent, chainId, escrow.address),
  ),
});
gas["book.signed.3009"] = await gasOf(
  escrow.write.bookWithAuthorization([authorizedIntent, authorization, noCoupon, "0x"], { account: relayer.account }),
);
// The same signed booking on an allowance the customer gave before (permit deadline 0): not in bench/gas.json.
const allowanceIntent = benchIntent(signed3009Customer.account.address, 2, "s3");
await usd.write.approve([escrow.address, maxUint256], { account: signed3009Customer.account });
extra["book.signed.allowance"] = await gasOf(
  escrow.write.bookWithSignature(
    [
      allowanceIntent,
      await signed3009Customer.signTypedData({
        domain: escrowDomain(chainId, escrow.address),
        types: bookingIntentTypes,
        primaryType: "BookingIntent",
        message: allowanceIntent,
      }),
      noPermit,
      noCoupon,
      "0x",
    ],
    { account: relayer.account },
  ),
);

// Cancellations: a customer 36 h before the start (50 % tier: refund and merchant share both paid out).
const slotB = await slotAt(20);
await escrow.write.book([1, slotB, 1, details("b1")], { account: customers[0].account, value: DEPOSIT });
await escrow.write.book([1, slotB, 1, details("b2")], { account: customers[1].account, value: DEPOSIT });
await networkHelpers.time.increaseTo(slotB - 36 * HOUR);
gas["cancel.customer"] = await gasOf(
  escrow.write.cancel([encodeBookingId({ offeringId: 1, slotStart: slotB, n: 1 })], { account: customers[0].account }),
);
gas["cancel.merchant"] = await gasOf(
  escrow.write.cancelByMerchant([encodeBookingId({ offeringId: 1, slotStart: slotB, n: 2 })], {
    account: merchant.account,
  }),
);

// Check-in (the customer's signature half an hour before the start, then the merchant's word at the start),
// dispute with a reason, resolve; then anyone settles a no-show the merchant never claimed.
const slotC = await slotAt(5);
await escrow.write.book([1, slotC, 1, details("c1")], { account: customers[0].account, value: DEPOSIT });
await escrow.write.book([1, slotC, 1, details("c2")], { account: customers[1].account, value: DEPOSIT });
await escrow.write.book([1, slotC, 1, details("c3")], { account: customers[2].account, value: DEPOSIT });
await escrow.write.book([1, slotC, 1, details("c4")], { account: customers[3].account, value: DEPOSIT });
const checkedIn = encodeBookingId({ offeringId: 1, slotStart: slotC, n: 1 });
const disputed = encodeBookingId({ offeringId: 1, slotStart: slotC, n: 2 });
const signedIn = encodeBookingId({ offeringId: 1, slotStart: slotC, n: 3 });
const noShow = encodeBookingId({ offeringId: 1, slotStart: slotC, n: 4 });
await networkHelpers.time.increaseTo(slotC - HOUR / 2);
const checkInSignature = await customers[2].signTypedData({
  domain: escrowDomain(chainId, escrow.address),
  types: checkInTypes,
  primaryType: "CheckIn",
  message: { bookingId: signedIn },
});
gas["checkIn.signed"] = await gasOf(
  escrow.write.checkInWithSignature([signedIn, checkInSignature], { account: merchant.account }),
);
await networkHelpers.time.increaseTo(slotC);
gas["checkIn"] = await gasOf(escrow.write.checkIn([checkedIn], { account: merchant.account }));
gas["dispute"] = await gasOf(
  escrow.write.dispute([disputed, "We were turned away at the door."], { account: customers[1].account }),
);
gas["resolve"] = await gasOf(escrow.write.resolve([disputed, 5_000], { account: arbiter.account }));
await networkHelpers.time.increaseTo(slotC + SLOT + DAY);
gas["settle.1"] = await gasOf(escrow.write.settle([noShow], { account: customers[3].account }));

// Withdraw: a contract wallet that refuses pushed ETH gets a credit, then withdraws it to an EOA.
const wallet = await viem.deployContract("RevertingReceiver");
const slotD = await slotAt(8);
await wallet.write.execute(
  [escrow.address, encodeFunctionData({ abi: escrow.abi, functionName: "book", args: [1, slotD, 1, details("w")] })],
  { value: DEPOSIT },
);
await escrow.write.cancelByMerchant([encodeBookingId({ offeringId: 1, slotStart: slotD, n: 1 })], {
  account: merchant.account,
});
gas["withdraw"] = await gasOf(
  wallet.write.execute([
    escrow.address,
    encodeFunctionData({
      abi: escrow.abi,
      functionName: "withdraw",
      args: [zeroAddress, customers[5].account.address],
    }),
  ]),
);

// Claims of checked-in bookings, one per slot, over 61 consecutive slots.
const firstClaimSlot = await slotAt(40);
const claimIds: bigint[] = [];
for (let i = 0; i < 61; i++) {
  const slot = firstClaimSlot + i * SLOT;
  await escrow.write.book([1, slot, 2, details(`k${i}`)], {
    account: customers[i % customers.length].account,
    value: 2n * DEPOSIT,
  });
  claimIds.push(encodeBookingId({ offeringId: 1, slotStart: slot, n: 1 }));
}
for (let i = 0; i < claimIds.length; i++) {
  await networkHelpers.time.increaseTo(firstClaimSlot + i * SLOT);
  await escrow.write.checkIn([claimIds[i]], { account: merchant.account });
}
await networkHelpers.time.increaseTo(firstClaimSlot + claimIds.length * SLOT + 2 * DAY);
gas["claim.1"] = await gasOf(escrow.write.claim([claimIds.slice(0, 1)], { account: merchant.account }));
gas["claim.10"] = await gasOf(escrow.write.claim([claimIds.slice(1, 11)], { account: merchant.account }));
gas["claim.50"] = await gasOf(escrow.write.claim([claimIds.slice(11, 61)], { account: merchant.account }));

// Verified reviews (a contract beside the escrow, which it only reads): the customer of a fulfilled booking reviews it
// with a 100-byte text, then the merchant answers with one as long. Measured last, so that no figure above moves.
const reviews = await viem.deployContract("VerifiedReviews", [escrow.address]);
const slotE = await slotAt(3);
await escrow.write.book([1, slotE, 1, details("r1")], { account: customers[0].account, value: DEPOSIT });
const reviewed = encodeBookingId({ offeringId: 1, slotStart: slotE, n: 1 });
await networkHelpers.time.increaseTo(slotE);
await escrow.write.checkIn([reviewed], { account: merchant.account });
await networkHelpers.time.increaseTo(slotE + SLOT + DAY);
await escrow.write.settle([reviewed], { account: customers[0].account });
/** `text` padded to exactly 100 bytes (ASCII). */
const bytes100 = (text: string) => text.padEnd(100, " .");
gas["review"] = await gasOf(
  reviews.write.review([reviewed, 4, bytes100("Lovely evening, the souffle was perfect; service a little slow.")], {
    account: customers[0].account,
  }),
);
gas["review.answer"] = await gasOf(
  reviews.write.answer([reviewed, bytes100("Thank you! We have added a second waiter on Fridays.")], {
    account: merchant.account,
  }),
);

const KEYS = [
  "book.eth.firstInSlot",
  "book.eth.laterInSlot",
  "book.erc20",
  "book.permit",
  "book.coupon",
  "book.signed.permit",
  "book.signed.3009",
  "cancel.customer",
  "cancel.merchant",
  "checkIn",
  "checkIn.signed",
  "dispute",
  "resolve",
  "withdraw",
  "settle.1",
  "claim.1",
  "claim.10",
  "claim.50",
  "review",
  "review.answer",
] as const;
const result = Object.fromEntries(KEYS.map((k) => [k, gas[k]]));

const marginalClaim = Math.round((gas["claim.50"] - gas["claim.10"]) / 40);
console.log("\nEarnest gas (receipt gasUsed, 21,000 base included)\n");
for (const key of KEYS) console.log(`  ${key.padEnd(24)} ${gas[key].toLocaleString("en-US").padStart(9)}`);
console.log("\n  not in bench/gas.json:");
console.log(
  `  ${"book.erc20.firstInSlot".padEnd(24)} ${extra["book.erc20.firstInSlot"].toLocaleString("en-US").padStart(9)}`,
);
console.log(
  `  ${"book.signed.allowance".padEnd(24)} ${extra["book.signed.allowance"].toLocaleString("en-US").padStart(9)}  (bookWithSignature, no permit)`,
);
console.log(
  `  ${"claim marginal/booking".padEnd(24)} ${marginalClaim.toLocaleString("en-US").padStart(9)}  ((claim.50 − claim.10) / 40)`,
);

mkdirSync("bench", { recursive: true });
writeFileSync("bench/gas.json", JSON.stringify(result, null, 2) + "\n");
console.log("\nwrote bench/gas.json");
