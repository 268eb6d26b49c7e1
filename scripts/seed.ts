// Seeds the local deployment with a demo: 3 merchants, 6 offerings in ETH and mUSD (one checks in by the customer's
// signature only), funded customers and bookings in several states; then what happens at the door: a front-desk
// staff wallet checks a walk-in in on the merchant's word, a customer signs "I am here" and the merchant submits it,
// a customer disputes with a reason, and a coupon signed by a staff member is redeemed. Two offerings in the local
// USDC name the merchants' relayer, for a customer who holds only USDC and no ETH to book without gas. Run by `npm run dev`
// (`hardhat run --network localhost scripts/seed.ts`). The chain's clock is left alone but for moving it to the
// walk-in slots' start, at most a minute and a half ahead, so times in the demo match the wall clock.
import { network } from "hardhat";
import { getAddress, keccak256, parseEther, toHex, zeroAddress, type Address } from "viem";
import {
  checkInTypedData,
  CheckInRule,
  couponDomain,
  couponTypes,
  encodeBookingId,
  deployments,
  MAX_FEE_BPS,
  newSalt,
  STAFF_CANCEL,
  STAFF_CHECK_IN,
  STAFF_COUPONS,
  withinOpeningHours,
  type Coupon,
  type OpeningHours,
} from "@earnest/sdk";
import { DEMO_RELAYER_URL, gaslessCustomer } from "./demo.js";

const HOUR = 3600;
const DAY = 24 * HOUR;
const USD = 1_000_000n; // mUSD has 6 decimals

const local = deployments["31337"];
const { viem, networkHelpers } = await network.getOrCreate();
const wallets = await viem.getWalletClients();
// The escrow's whole surface (EarnestEscrow and the extension its fallback runs) is IEarnestEscrow.
const escrow = await viem.getContractAt("IEarnestEscrow", local.EarnestEscrow.address);
const usd = await viem.getContractAt("MockStablecoin", local.MockStablecoin.address);
const usdc = await viem.getContractAt("MockUSDC", local.MockUSDC.address);
const chainId = await (await viem.getPublicClient()).getChainId();
const arbiter = wallets[9];
/** Harbour Yoga's front-desk tablet (check in, cancel) and Kyoto Tea Room's host (coupons): Hardhat accounts #10, #11. */
const frontDesk = wallets[10];
const couponHost = wallets[11];

for (const w of wallets.slice(0, 10)) {
  await usd.write.mint([w.account.address, 100_000n * USD]);
  await usdc.write.mint([w.account.address, 100_000n * USD]);
}
await usdc.write.mint([gaslessCustomer.address, 1_000n * USD]);

type Tier = { secondsBeforeStart: number; refundBps: number };
const flexible: Tier[] = [
  { secondsBeforeStart: 48 * HOUR, refundBps: 10_000 },
  { secondsBeforeStart: 24 * HOUR, refundBps: 5_000 },
];
const strict: Tier[] = [{ secondsBeforeStart: 7 * DAY, refundBps: 5_000 }];

// Opening hours on each venue's clock: customers are offered only the slots that start inside them. The walk-in
// offerings below have none (open around the clock), since the demo's door scenes happen whenever it is seeded.
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const hours = {
  dinner: [
    { days: [7, 1, 2, 3, 4], opens: "18:00", closes: "23:00" },
    { days: [5, 6], opens: "18:00", closes: "00:30" }, // Friday and Saturday nights, past midnight
  ],
  counter: [{ days: EVERY_DAY, opens: "18:00", closes: "23:00" }],
  tea: [{ days: [2, 3, 4, 5, 6, 7], opens: "10:00", closes: "17:00" }], // closed on Mondays
  privateRoom: [{ days: EVERY_DAY, opens: "12:00", closes: "22:00" }],
  morning: [
    { days: [1, 2, 3, 4, 5], opens: "06:00", closes: "10:00" },
    { days: [6, 7], opens: "08:00", closes: "11:00" },
  ],
  sunset: [{ days: EVERY_DAY, opens: "17:00", closes: "20:00" }],
  lunch: [{ days: [1, 2, 3, 4, 5, 6], opens: "12:00", closes: "15:00" }],
  matcha: [{ days: EVERY_DAY, opens: "13:00", closes: "18:00" }],
} satisfies Record<string, OpeningHours>;

let now = Number(await networkHelpers.time.latest());
const midnightUtc = now - (now % DAY);
// `npm run dev` starts its chain weeks in the past (the `demo` network in hardhat.config.ts): the seed then makes a
// history of visits and reviews and brings the clock to the wall clock's time. On a chain started now there is none.
const wallClockNow = Math.floor(Date.now() / 1000);
const withHistory = wallClockNow - now > 30 * DAY;

const merchants = [
  { wallet: wallets[1], name: "Trattoria Luce", tz: "Europe/Rome", offset: -1 * HOUR },
  { wallet: wallets[2], name: "Kyoto Tea Room", tz: "Asia/Tokyo", offset: 9 * HOUR },
  { wallet: wallets[3], name: "Harbour Yoga", tz: "America/New_York", offset: -5 * HOUR },
];
const offerings = [
  {
    merchant: 0,
    name: "Dinner table",
    openingHours: hours.dinner,
    token: zeroAddress,
    deposit: parseEther("0.01"),
    seats: 12,
    slot: 2 * HOUR,
    firstHour: 18,
    tiers: flexible,
    noShow: 0,
    arbiter: true,
    checkInRule: CheckInRule.MerchantWord,
  },
  {
    merchant: 0,
    name: "Chef's counter",
    openingHours: hours.counter,
    token: local.MockStablecoin.address,
    deposit: 40n * USD,
    seats: 6,
    slot: 3 * HOUR,
    firstHour: 19,
    tiers: strict,
    noShow: 0,
    arbiter: true,
    checkInRule: CheckInRule.MerchantWord,
  },
  {
    merchant: 1,
    name: "Tea ceremony",
    openingHours: hours.tea,
    token: local.MockStablecoin.address,
    deposit: 25n * USD,
    seats: 8,
    slot: HOUR,
    firstHour: 10,
    tiers: flexible,
    noShow: 2_000,
    arbiter: false,
    // Without an arbiter, only the customer's signature can prove a visit: the 20 % no-show share holds.
    checkInRule: CheckInRule.CustomerSignature,
    // Every fifth visit earns 20 % off a seat of the next (signed by the host's coupon key, through the notifier).
    loyalty: { visits: 5, discountBps: 2_000 },
  },
  {
    merchant: 1,
    name: "Private room",
    openingHours: hours.privateRoom,
    token: zeroAddress,
    deposit: parseEther("0.05"),
    seats: 1,
    slot: 4 * HOUR,
    firstHour: 12,
    tiers: strict,
    noShow: 0,
    arbiter: true,
    checkInRule: CheckInRule.MerchantWord,
  },
  {
    merchant: 2,
    name: "Morning flow",
    openingHours: hours.morning,
    token: local.MockStablecoin.address,
    deposit: 10n * USD,
    seats: 20,
    slot: HOUR,
    firstHour: 7,
    tiers: flexible,
    noShow: 5_000,
    arbiter: false,
    checkInRule: CheckInRule.MerchantWord,
  },
  {
    merchant: 2,
    name: "Sunset session",
    openingHours: hours.sunset,
    token: zeroAddress,
    deposit: parseEther("0.002"),
    seats: 15,
    slot: HOUR,
    firstHour: 18,
    tiers: flexible,
    noShow: 0,
    arbiter: false,
    checkInRule: CheckInRule.MerchantWord,
  },
];

for (const m of merchants) {
  await escrow.write.registerMerchant([m.wallet.account.address, m.name], { account: m.wallet.account });
}
type Template = Omit<(typeof offerings)[number], "openingHours" | "loyalty"> & {
  loyalty?: { visits: number; discountBps: number };
  minLeadTime?: number;
  relayer?: string;
  openingHours?: OpeningHours;
};

/** Publishes an offering from a template, as merchant `template.merchant`. Every demo offering accepts any
 *  protocol fee up to the cap in code. */
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
        minLeadTime: template.minLeadTime ?? HOUR,
        maxAdvance: 60 * DAY,
        noShowRefundBps: template.noShow,
        disputeWindow: withArbiter ? DAY : 2 * HOUR,
        arbiter: withArbiter ? arbiter.account.address : zeroAddress,
        arbiterTimeout: withArbiter ? 3 * DAY : 0,
        checkInRule: template.checkInRule,
        maxFeeBps: MAX_FEE_BPS,
        cancellationTiers: template.tiers,
        metadata: JSON.stringify({
          name,
          timeZone: m.tz,
          ...(template.openingHours && { openingHours: template.openingHours }),
          ...(template.relayer ? { relayer: template.relayer } : {}),
          ...(template.loyalty && { loyalty: template.loyalty }),
        }),
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

/** Slots the demo has booked, per offering index: each booking below takes a slot of its own. */
const taken = new Map<number, Set<number>>();

/** The first slot of offering `index` at least `days` days ahead that a customer is offered (inside the opening
 *  hours) and the demo has not booked yet. */
function slotAhead(index: number, days: number): number {
  const o = offerings[index];
  const zone = merchants[o.merchant].tz;
  const used = taken.get(index) ?? new Set<number>();
  taken.set(index, used);
  const target = now + days * DAY;
  let slot = firstSlots[index] + Math.ceil((target - firstSlots[index]) / o.slot) * o.slot;
  while (used.has(slot) || !withinOpeningHours(o.openingHours, slot, zone)) slot += o.slot;
  used.add(slot);
  return slot;
}

let booked = 0;
async function book(index: number, slotStart: number, seats: number, customer: number): Promise<void> {
  const o = offerings[index];
  const value = o.token === zeroAddress ? o.deposit * BigInt(seats) : 0n;
  const details = keccak256(toHex(`demo booking ${++booked}`));
  await escrow.write.book([index + 1, slotStart, seats, details], { account: wallets[customer].account, value });
}

/** The first slot of offering `index` at or after `at` inside its opening hours. */
function slotFrom(index: number, at: number): number {
  const o = offerings[index];
  let slot = firstSlots[index] + Math.ceil((at - firstSlots[index]) / o.slot) * o.slot;
  while (!withinOpeningHours(o.openingHours, slot, merchants[o.merchant].tz)) slot += o.slot;
  return slot;
}

/** Guests with a history (accounts #13–#15): a regular of the tea ceremony, and two who reviewed their visits. */
const regular = 13;
const history: { index: number; daysAgo: number; guest: number; review?: [number, string]; answer?: string }[] = [
  { index: 2, daysAgo: 36, guest: regular },
  { index: 2, daysAgo: 33, guest: regular, review: [4, "Calm and precise; the matcha was excellent."] },
  { index: 2, daysAgo: 29, guest: regular },
  { index: 2, daysAgo: 26, guest: 14, review: [5, "A quiet hour I will remember. Book the window seats."] },
  {
    index: 0,
    daysAgo: 21,
    guest: 15,
    review: [5, "Warm welcome, perfect cacio e pepe."],
    answer: "Grazie! See you soon.",
  },
  { index: 2, daysAgo: 19, guest: regular },
  { index: 2, daysAgo: 12, guest: 15, review: [3, "Lovely room, but we waited twenty minutes."] },
  // The regular's fifth visit: it earns the loyalty reward, and its review is left to whoever imports the key.
  { index: 2, daysAgo: 5, guest: regular },
];
// Kyoto Tea Room's host may sign coupons, its loyalty rewards among them: from before any visit counts.
const tea = merchants[1].wallet;
await escrow.write.setStaffRoles([couponHost.account.address, STAFF_COUPONS], { account: tea.account });
let reviewed = 0;
/** The clock only moves forward: a visit's booking may come after the previous visit settled. */
async function advanceTo(t: number): Promise<void> {
  await networkHelpers.time.increaseTo(Math.max(t, Number(await networkHelpers.time.latest()) + 1));
}
if (withHistory) {
  const reviews = await viem.getContractAt("VerifiedReviews", local.VerifiedReviews.address);
  for (const guest of [regular, 14, 15]) {
    await usd.write.mint([wallets[guest].account.address, 1_000n * USD]);
    await usd.write.approve([escrow.address, 2n ** 256n - 1n], { account: wallets[guest].account });
  }
  for (const visit of history) {
    const o = offerings[visit.index];
    const merchant = merchants[o.merchant].wallet;
    const guest = wallets[visit.guest];
    const slot = slotFrom(visit.index, wallClockNow - visit.daysAgo * DAY);
    await advanceTo(slot - 2 * DAY);
    await book(visit.index, slot, 1, visit.guest);
    const id = encodeBookingId({ offeringId: visit.index + 1, slotStart: slot, n: 1 });
    await advanceTo(slot + 5 * 60);
    if (o.checkInRule === CheckInRule.CustomerSignature) {
      const signature = await guest.signTypedData(checkInTypedData({ chainId, escrow: escrow.address, bookingId: id }));
      await escrow.write.checkInWithSignature([id, signature], { account: merchant.account });
    } else {
      await escrow.write.checkIn([id], { account: merchant.account });
    }
    await advanceTo(slot + o.slot + (o.arbiter ? DAY : 2 * HOUR));
    await escrow.write.settle([id], { account: guest.account });
    if (visit.review) {
      await reviews.write.review([id, ...visit.review], { account: guest.account });
      reviewed++;
    }
    if (visit.answer) await reviews.write.answer([id, visit.answer], { account: merchant.account });
  }
  await advanceTo(wallClockNow);
  now = Number(await networkHelpers.time.latest());
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

// At the door. Two walk-in offerings (no lead time) whose first slot starts at the next full minute at least half a
// minute away: the walk-ins book before it starts, then the chain's clock moves to the start.
const latest = Number(await networkHelpers.time.latest());
const doorsOpen = Math.ceil((latest + 30) / 60) * 60;
const walkIns: Template[] = [
  {
    merchant: 2,
    name: "Drop-in class",
    token: zeroAddress,
    deposit: parseEther("0.002"),
    seats: 10,
    slot: HOUR,
    firstHour: 0,
    tiers: [],
    noShow: 0,
    arbiter: false,
    checkInRule: CheckInRule.MerchantWord,
    minLeadTime: 0,
  },
  {
    merchant: 0,
    name: "Bar seats",
    token: zeroAddress,
    deposit: parseEther("0.01"),
    seats: 6,
    slot: 2 * HOUR,
    firstHour: 0,
    tiers: [],
    noShow: 5_000,
    arbiter: true,
    checkInRule: CheckInRule.CustomerSignature,
    minLeadTime: 0,
  },
];
const dropIn = offerings.length + 1;
const barSeats = offerings.length + 2;
for (const w of walkIns) await publish(w, doorsOpen, w.name, w.arbiter);
const walkIn = async (offeringId: number, customer: number, value: bigint, n: number) => {
  await escrow.write.book([offeringId, doorsOpen, 1, keccak256(toHex(`demo booking ${++booked}`))], {
    account: wallets[customer].account,
    value,
  });
  return encodeBookingId({ offeringId, slotStart: doorsOpen, n });
};
const yogi = await walkIn(dropIn, 6, parseEther("0.002"), 1);
const diner = await walkIn(barSeats, 7, parseEther("0.01"), 1);
const unhappyDiner = await walkIn(barSeats, 8, parseEther("0.01"), 2);

// Harbour Yoga gives its front-desk tablet the check-in and cancel roles (never claims or payouts).
const yoga = merchants[2].wallet;
await escrow.write.setStaffRoles([frontDesk.account.address, STAFF_CHECK_IN | STAFF_CANCEL], { account: yoga.account });

// The diner signs "I am here" on the pass (a signature, not a transaction): it counts from an hour before the start.
const signedCheckIn = await wallets[7].signTypedData(
  checkInTypedData({ chainId, escrow: escrow.address, bookingId: diner }),
);
await escrow.write.checkInWithSignature([diner, signedCheckIn], { account: merchants[0].wallet.account });

// The slots start; the merchant's word counts from now, so the front desk checks the yogi in.
// (Unless the machine was so slow that the chain's clock got there by itself.)
if (Number(await networkHelpers.time.latest()) < doorsOpen) await networkHelpers.time.increaseTo(doorsOpen);
await escrow.write.checkIn([yogi], { account: frontDesk.account });
// The other diner was turned away at the bar and says so: the arbiter reads the reason.
await escrow.write.dispute(
  [unhappyDiner, "We arrived on time and were told the bar was full; nobody offered us a seat."],
  {
    account: wallets[8].account,
  },
);

// Kyoto Tea Room's host (who also signs its loyalty rewards) gives a customer a coupon for the tea ceremony.
const coupon: Coupon = {
  offeringId: 3,
  discount: 5n * USD,
  maxRedemptions: 20,
  expiresAt: now + 30 * DAY,
  customer: zeroAddress,
  salt: newSalt(),
  signer: couponHost.account.address,
};
const couponSignature = await couponHost.signTypedData({
  domain: couponDomain(chainId, escrow.address),
  types: couponTypes,
  primaryType: "Coupon",
  message: coupon,
});
await escrow.write.bookWithCoupon(
  [3, slotAhead(2, 6), 1, keccak256(toHex(`demo booking ${++booked}`)), coupon, couponSignature],
  { account: wallets[5].account },
);

// Offerings in the local USDC whose merchants run a relayer: a customer with no ETH books them with one signature.
const gasless: Template[] = [
  {
    merchant: 0,
    name: "Lunch set",
    openingHours: hours.lunch,
    token: local.MockUSDC.address,
    deposit: 15n * USD,
    seats: 10,
    slot: 2 * HOUR,
    firstHour: 12,
    tiers: flexible,
    noShow: 0,
    arbiter: true,
    checkInRule: CheckInRule.MerchantWord,
    relayer: DEMO_RELAYER_URL,
  },
  {
    merchant: 1,
    name: "Matcha tasting",
    openingHours: hours.matcha,
    token: local.MockUSDC.address,
    deposit: 20n * USD,
    seats: 6,
    slot: HOUR,
    firstHour: 15,
    tiers: flexible,
    noShow: 2_000,
    arbiter: false,
    checkInRule: CheckInRule.CustomerSignature,
    relayer: DEMO_RELAYER_URL,
  },
];
for (const g of gasless) {
  await publish(g, midnightUtc + g.firstHour * HOUR - merchants[g.merchant].offset, g.name, g.arbiter);
}

// More offerings without bookings when asked (the dApp's benchmark loads its offerings page with 50).
const published = offerings.length + walkIns.length + gasless.length;
const wanted = Number(process.env.EARNEST_SEED_OFFERINGS ?? published);
for (let i = published; i < wanted; i++) {
  const template = offerings[i % offerings.length];
  await publish(template, firstSlots[i % offerings.length], `${template.name} ${i + 1}`, false);
}

const staff: Address[] = [getAddress(frontDesk.account.address), getAddress(couponHost.account.address)];
console.log(
  `seeded ${merchants.length} merchants, ${Math.max(wanted, published)} offerings, ${booked} bookings, ` +
    `${staff.length} staff (${staff.join(", ")}); ${gaslessCustomer.address} holds 1,000 USDC and no ETH` +
    (withHistory ? `; ${history.length} past visits, ${reviewed} reviews` : ""),
);
