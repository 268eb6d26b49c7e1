// Seeds the local deployment with a demo: 3 merchants, 6 offerings in ETH and mUSD, funded customers and bookings
// in several states. Run by `npm run dev` (`hardhat run --network localhost scripts/seed.ts`).
// The chain's clock is left alone, so times in the demo match the wall clock.
import { network } from "hardhat";
import { keccak256, parseEther, toHex, zeroAddress } from "viem";
import { encodeBookingId, deployments } from "@earnest/sdk";

const HOUR = 3600;
const DAY = 24 * HOUR;
const USD = 1_000_000n; // mUSD has 6 decimals

const local = deployments["31337"];
const { viem, networkHelpers } = await network.getOrCreate();
const wallets = await viem.getWalletClients();
const escrow = await viem.getContractAt("EarnestEscrow", local.EarnestEscrow.address);
const usd = await viem.getContractAt("MockStablecoin", local.MockStablecoin.address);
const arbiter = wallets[9];

for (const w of wallets.slice(0, 10)) {
  await usd.write.mint([w.account.address, 100_000n * USD]);
}

type Tier = { secondsBeforeStart: number; refundBps: number };
const flexible: Tier[] = [
  { secondsBeforeStart: 48 * HOUR, refundBps: 10_000 },
  { secondsBeforeStart: 24 * HOUR, refundBps: 5_000 },
];
const strict: Tier[] = [{ secondsBeforeStart: 7 * DAY, refundBps: 5_000 }];

const now = Number(await networkHelpers.time.latest());
const midnightUtc = now - (now % DAY);

const merchants = [
  { wallet: wallets[1], name: "Trattoria Luce", tz: "Europe/Rome", offset: -1 * HOUR },
  { wallet: wallets[2], name: "Kyoto Tea Room", tz: "Asia/Tokyo", offset: 9 * HOUR },
  { wallet: wallets[3], name: "Harbour Yoga", tz: "America/New_York", offset: -5 * HOUR },
];
const offerings = [
  {
    merchant: 0,
    name: "Dinner table",
    token: zeroAddress,
    deposit: parseEther("0.01"),
    seats: 12,
    slot: 2 * HOUR,
    firstHour: 18,
    tiers: flexible,
    noShow: 0,
    arbiter: true,
  },
  {
    merchant: 0,
    name: "Chef's counter",
    token: local.MockStablecoin.address,
    deposit: 40n * USD,
    seats: 6,
    slot: 3 * HOUR,
    firstHour: 19,
    tiers: strict,
    noShow: 0,
    arbiter: true,
  },
  {
    merchant: 1,
    name: "Tea ceremony",
    token: local.MockStablecoin.address,
    deposit: 25n * USD,
    seats: 8,
    slot: HOUR,
    firstHour: 10,
    tiers: flexible,
    noShow: 2_000,
    arbiter: false,
  },
  {
    merchant: 1,
    name: "Private room",
    token: zeroAddress,
    deposit: parseEther("0.05"),
    seats: 1,
    slot: 4 * HOUR,
    firstHour: 12,
    tiers: strict,
    noShow: 0,
    arbiter: true,
  },
  {
    merchant: 2,
    name: "Morning flow",
    token: local.MockStablecoin.address,
    deposit: 10n * USD,
    seats: 20,
    slot: HOUR,
    firstHour: 7,
    tiers: flexible,
    noShow: 5_000,
    arbiter: false,
  },
  {
    merchant: 2,
    name: "Sunset session",
    token: zeroAddress,
    deposit: parseEther("0.002"),
    seats: 15,
    slot: HOUR,
    firstHour: 18,
    tiers: flexible,
    noShow: 0,
    arbiter: false,
  },
];

for (const m of merchants) {
  await escrow.write.registerMerchant([m.wallet.account.address, m.name], { account: m.wallet.account });
}
type Template = (typeof offerings)[number];

/** Publishes an offering from a template, as merchant `template.merchant`. */
async function publish(template: Template, firstSlotStart: number, name: string, withArbiter: boolean) {
  const m = merchants[template.merchant];
  await escrow.write.createOffering(
    [
      {
        token: template.token,
        depositPerSeat: template.deposit,
        seatsPerSlot: template.seats,
        slotLength: template.slot,
        firstSlotStart,
        minLeadTime: HOUR,
        maxAdvance: 60 * DAY,
        noShowRefundBps: template.noShow,
        disputeWindow: withArbiter ? DAY : 2 * HOUR,
        arbiter: withArbiter ? arbiter.account.address : zeroAddress,
        arbiterTimeout: withArbiter ? 3 * DAY : 0,
        cancellationTiers: template.tiers,
        metadata: JSON.stringify({ name, timeZone: m.tz }),
      },
    ],
    { account: m.wallet.account },
  );
}

const firstSlots: number[] = [];
for (const o of offerings) {
  const firstSlotStart = midnightUtc + o.firstHour * HOUR - merchants[o.merchant].offset;
  firstSlots.push(firstSlotStart);
  await publish(o, firstSlotStart, o.name, o.arbiter);
}
for (const w of wallets.slice(4, 9)) {
  await usd.write.approve([escrow.address, 2n ** 256n - 1n], { account: w.account });
}

/** The n-th slot of offering `index` at least `days` days ahead. */
function slotAhead(index: number, days: number, n = 0): number {
  const o = offerings[index];
  const target = now + days * DAY;
  const k = Math.ceil((target - firstSlots[index]) / o.slot) + n;
  return firstSlots[index] + k * o.slot;
}

let booked = 0;
async function book(index: number, slotStart: number, seats: number, customer: number): Promise<void> {
  const o = offerings[index];
  const value = o.token === zeroAddress ? o.deposit * BigInt(seats) : 0n;
  const details = keccak256(toHex(`demo booking ${++booked}`));
  await escrow.write.book([index + 1, slotStart, seats, details], { account: wallets[customer].account, value });
}

// Open bookings over the coming days.
const open: { index: number; slot: number; customer: number }[] = [];
for (let i = 0; i < offerings.length; i++) {
  for (let d = 1; d <= 5; d++) {
    const slot = slotAhead(i, d);
    await book(i, slot, Math.min(offerings[i].seats, 1 + ((i + d) % 2)), 4 + ((i + d) % 5));
    open.push({ index: i, slot, customer: 4 + ((i + d) % 5) });
  }
}
// Each of those slots holds one booking (n = 1). A customer cancels one, the merchant cancels another.
const c = open[2];
await escrow.write.cancel([encodeBookingId({ offeringId: c.index + 1, slotStart: c.slot, n: 1 })], {
  account: wallets[c.customer].account,
});
const mc = open[7];
await escrow.write.cancelByMerchant([encodeBookingId({ offeringId: mc.index + 1, slotStart: mc.slot, n: 1 })], {
  account: merchants[offerings[mc.index].merchant].wallet.account,
});

// More offerings without bookings when asked (the dApp's benchmark loads its offerings page with 50).
const wanted = Number(process.env.EARNEST_SEED_OFFERINGS ?? offerings.length);
for (let i = offerings.length; i < wanted; i++) {
  const template = offerings[i % offerings.length];
  await publish(template, firstSlots[i % offerings.length], `${template.name} ${i + 1}`, false);
}

console.log(
  `seeded ${merchants.length} merchants, ${Math.max(wanted, offerings.length)} offerings, ${booked} bookings`,
);
