// Loyalty rewards on a phone (390×844): the seeded tea ceremony (offering 3, Kyoto Tea Room) gives 20 % off a seat
// after every fifth fulfilled visit. A notifier follows the chain with the tea room's coupon host's key (account
// #11, STAFF_COUPONS), and the dApp is built knowing it (VITE_NOTIFIER_URL). A customer's visits are booked, checked
// in with the customer's signature and settled on the chain; My bookings shows the progress, then, once the fifth
// visit is settled, the reward the notifier signed; "Book with this reward" opens the offering with the coupon, the
// price shown and paid is discounted (the booking's amount on-chain says so), and the used reward is no longer
// offered. Nothing is wider than the screen and axe finds no WCAG A/AA violation.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import {
  createPublicClient,
  createWalletClient,
  http,
  keccak256,
  parseEventLogs,
  toHex,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
} from "viem";
import { BookingStatus, checkInTypedData, earnestEscrowAbi } from "@earnest/sdk";
import { NotifierProcess, tempDir } from "../../test/notifier/helpers.js";
import { serveApp, type ServedApp } from "../../test/support/local-stack.js";
import { freePort, waitFor } from "../../test/support/processes.js";
import { testAccount } from "../../test/support/test-accounts.js";
import { axeAvailable, expectAccessible, overflowing } from "./a11y.js";
import { chainNow, confirmed, reload, textMatching } from "./console-helpers.js";
import { ACCOUNTS, connect, freshChainForEachTest, increaseTime, openApp, stack, type Stack } from "./harness.js";

/** Seeded offering 3: Kyoto Tea Room's tea ceremony, 25 mUSD a seat, checked in by the customer's signature, with
 *  `loyalty: { visits: 5, discountBps: 2000 }` in its metadata. */
const TEA = 3;
const TEA_ROOM = ACCOUNTS[2];
/** A seeded customer (mUSD minted and approved) with no fulfilled visit yet. */
const CUSTOMER = testAccount(6);
/** Kyoto Tea Room's coupon host: the seed gives it STAFF_COUPONS. */
const COUPON_KEY = toHex(testAccount(11).getHdKey().privateKey!);
const PHONE = { width: 390, height: 844 };
const skip = axeAvailable ? false : "axe-core is not installed";

type Reward = { offeringId: number; rewardNumber: number; link: string | null };

describe("loyalty rewards", () => {
  let s: Stack;
  let app: ServedApp;
  let notifier: NotifierProcess;
  let notifierUrl: string;
  const tmp = tempDir();

  before(async () => {
    s = await stack();
    const port = await freePort();
    notifierUrl = `http://127.0.0.1:${port}`;
    const config = `${tmp.dir}/config.json`;
    writeFileSync(
      config,
      JSON.stringify({
        rpc: s.node.url,
        escrow: s.node.escrow,
        fromBlock: 0,
        confirmations: 0,
        db: `${tmp.dir}/notifier.db`,
        port,
        pollIntervalMs: 100,
      }),
    );
    // The key from the environment, as a deployment keeps it out of files and the process list.
    process.env.EARNEST_E2E_COUPON_KEY = COUPON_KEY;
    notifier = new NotifierProcess(["--config", config, "--coupon-key", "env:EARNEST_E2E_COUPON_KEY"]);
    await notifier.ready();
    assert.match(notifier.output, new RegExp(`"loyalty":\\{"signer":"${testAccount(11).address}"\\}`));
    // The stack's own build knows no notifier: this one does.
    app = await serveApp(s.node.url, { notifierUrl });
  });

  after(async () => {
    await notifier?.kill();
    await app?.server.close();
    tmp.remove();
  });

  freshChainForEachTest();

  it("turns the fifth fulfilled visit into a reward that the next booking applies", { skip }, async () => {
    const transport = http(s.node.url);
    const client = createPublicClient({ transport });
    const escrow = s.node.escrow;
    type Write = ContractFunctionName<typeof earnestEscrowAbi, "nonpayable" | "payable">;
    const send = async <F extends Write>(
      account: Address,
      functionName: F,
      args: ContractFunctionArgs<typeof earnestEscrowAbi, "nonpayable" | "payable", F>,
    ) => {
      const hash = await createWalletClient({ account, transport }).writeContract({
        chain: null,
        address: escrow,
        abi: earnestEscrowAbi,
        functionName,
        args,
      } as never);
      const receipt = await client.waitForTransactionReceipt({ hash });
      assert.equal(receipt.status, "success", `${functionName} failed`);
      return receipt;
    };
    const offering = await client.readContract({
      address: escrow,
      abi: earnestEscrowAbi,
      functionName: "getOffering",
      args: [TEA],
    });
    const discount = (offering.depositPerSeat * 2_000n) / 10_000n;

    // Five visits in one slot (the rule counts fulfilled bookings): the clock moves once, to the slot's start, and
    // once more past its dispute window, so the tests after this one find the chain near the wall clock.
    // Room for the chain's clock, which follows the wall clock, to move while the five bookings are sent.
    const earliest = (await chainNow(s)) + offering.minLeadTime + 15 * 60;
    const slot =
      offering.firstSlotStart +
      Math.ceil((earliest - offering.firstSlotStart) / offering.slotLength) * offering.slotLength;
    const bookingIds: bigint[] = [];
    for (let visit = 1; visit <= 5; visit++) {
      const receipt = await send(CUSTOMER.address, "book", [TEA, slot, 1, keccak256(toHex(`loyalty visit ${visit}`))]);
      const [booked] = parseEventLogs({ abi: earnestEscrowAbi, logs: receipt.logs, eventName: "Booked" });
      bookingIds.push(booked.args.bookingId);
    }
    // Checked in with the customer's signature at the slot's start; settled by a stranger after the dispute window.
    await increaseTime(s.node, slot + 60 - (await chainNow(s)));
    for (const bookingId of bookingIds) {
      const signature = await CUSTOMER.signTypedData(checkInTypedData({ chainId: 31337, escrow, bookingId }));
      await send(TEA_ROOM, "checkInWithSignature", [bookingId, signature]);
    }
    await increaseTime(s.node, slot + offering.slotLength + offering.disputeWindow + 60 - (await chainNow(s)));
    /** The visit of `bookingId` becomes fulfilled. */
    async function fulfil(bookingId: bigint): Promise<void> {
      await send(ACCOUNTS[0], "settle", [bookingId]);
      const booking = await client.readContract({
        address: escrow,
        abi: earnestEscrowAbi,
        functionName: "getBooking",
        args: [bookingId],
      });
      assert.equal(booking.status, BookingStatus.Fulfilled);
    }
    const listed = async (): Promise<Reward[]> => {
      const response = await fetch(`${notifierUrl}/loyalty/${CUSTOMER.address}`);
      assert.equal(response.status, 200);
      return ((await response.json()) as { rewards: Reward[] }).rewards;
    };

    for (const bookingId of bookingIds.slice(0, 4)) await fulfil(bookingId);
    const c = await openApp({ ...s, appUrl: app.url }, { account: 6, phone: true, hashPath: "/bookings" });
    const page = c.page;
    await page.setViewportSize(PHONE);
    await connect(page);
    const progress = page.getByTestId("loyalty-progress").filter({ hasText: "Tea ceremony" });
    await textMatching(progress.getByTestId("loyalty-next"), /^1 more visit for 20 % off a seat at Tea ceremony$/);
    await textMatching(progress.getByTestId("loyalty-visits"), /^4 of 5 visits done$/);
    // The notifier answered (nothing yet): no reward before the fifth visit.
    await page.locator('[data-testid="rewards"][data-rewards="success"]').waitFor();
    assert.equal(await page.getByTestId("reward").count(), 0, "a reward before the fifth visit");
    assert.deepEqual(await listed(), []);

    // The fifth visit: the notifier signs the reward, My bookings lists it.
    await fulfil(bookingIds[4]);
    const [reward] = await waitFor("the notifier's reward", async () => {
      const rewards = await listed();
      return rewards.length > 0 && rewards;
    });
    assert.equal(reward.offeringId, TEA);
    assert.equal(reward.rewardNumber, 1);
    await reload(c);
    await textMatching(progress.getByTestId("loyalty-next"), /^5 more visits for 20 % off a seat at Tea ceremony$/);
    const card = page.getByTestId("reward");
    await textMatching(card, /^5 mUSD off a seat at Tea ceremony, until /);
    assert.equal(await card.count(), 1);
    const book = card.getByTestId("reward-book");
    const target = await book.boundingBox();
    assert.ok(target && target.height >= 44, `"Book with this reward" is ${target?.height} px high`);
    assert.deepEqual(await overflowing(page), [], "My bookings with rewards is wider than the screen");
    await expectAccessible(page);

    // Booking with it: the offering's page applies the coupon, and the discounted price is what is paid.
    await book.click();
    await page.waitForURL(`**#/offerings/${TEA}/coupon/${reward.link}`);
    await textMatching(
      page.getByTestId("policy-loyalty"),
      /^After every 5 fulfilled visits, 20 % off a seat of your next booking\.$/,
    );
    await page.getByTestId("slot").and(page.locator(":enabled")).first().click();
    await page.getByTestId("details-name").fill("Ada Lovelace");
    await textMatching(page.getByTestId("coupon-applied"), /^Coupon applied: 5 mUSD off\.$/);
    await textMatching(page.getByTestId("total"), /^Deposit to pay: 20 mUSD$/);
    await textMatching(page.getByTestId("pay"), /20 mUSD/);
    assert.deepEqual(await overflowing(page), [], "the offering with the reward is wider than the screen");
    await page.getByTestId("pay").click();
    await confirmed(page, "Booking");
    await page.locator('[data-testid="pass-verification"][data-result="valid"]').waitFor();
    const bookingId = BigInt((await page.getByTestId("pass-booking-id").textContent()) ?? "");
    const booking = await client.readContract({
      address: escrow,
      abi: earnestEscrowAbi,
      functionName: "getBooking",
      args: [bookingId],
    });
    assert.equal(booking.customer, CUSTOMER.address);
    assert.equal(booking.amount, offering.depositPerSeat - discount);
    assert.equal(booking.amount, 20_000_000n);

    // Used up on the chain, the reward is no longer offered; the visits count on.
    await page.goto(`${app.url}#/bookings`);
    await reload(c);
    await textMatching(progress.getByTestId("loyalty-next"), /^5 more visits/);
    await page.locator('[data-testid="rewards"][data-rewards="success"]').waitFor();
    assert.equal(await page.getByTestId("reward").count(), 0, "the used reward is still offered");
    await c.close();
  });
});
