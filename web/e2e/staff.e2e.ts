// Staff in a real browser: a merchant grants a wallet the check-in role, that wallet finds the merchant's front desk
// with only what the role allows, and the merchant revokes it again, at once; a check-in-only wallet on a phone
// checks guests in from a pasted pass (the merchant's word, from the slot's start) and from a customer-signed code,
// and can neither cancel nor claim.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createPublicClient, createWalletClient, http } from "viem";
import { hardhat } from "viem/chains";
import { decodeBookingId, earnestEscrowAbi, STAFF_CANCEL, STAFF_CHECK_IN } from "@earnest/sdk";
import { bookFirstSlot, chainNow, confirmed, reload, textMatching } from "./console-helpers.js";
import {
  ACCOUNTS,
  connect,
  freshChainForEachTest,
  increaseTime,
  openApp,
  stack,
  type Stack,
  type WalletPage,
} from "./harness.js";

/** Harbour Yoga (merchant #3); #10 is its seeded front desk; #12 is nobody's yet. */
const MERCHANT = 3;
const SEEDED_DESK = ACCOUNTS[10];
const NEW_STAFF = 12;
/** Free account #13: given only the check-in role by Node, for the check-in test. */
const DOOR_STAFF = 13;
/** Seeded offering 6: Harbour Yoga's sunset session (America/New_York, ETH, the merchant's word accepted). */
const SUNSET = 6;

let s: Stack;

describe("staff", () => {
  before(async () => {
    s = await stack();
  });
  freshChainForEachTest();

  it("grants a staff wallet the check-in role, which opens the front desk to it, then revokes it at once", async () => {
    const client = createPublicClient({ transport: http(s.node.url) });
    const rolesOnChain = () =>
      client.readContract({
        address: s.node.escrow,
        abi: earnestEscrowAbi,
        functionName: "staffRoles",
        args: [ACCOUNTS[MERCHANT], ACCOUNTS[NEW_STAFF]],
      });
    const m = await openApp(s, { account: MERCHANT, hashPath: "/merchant/staff" });
    await connect(m.page);
    // The seeded front desk holds check-in and cancel.
    const seeded = m.page.locator(`[data-testid="staff-member"][data-address="${SEEDED_DESK}"]`);
    assert.equal(await seeded.getAttribute("data-roles"), String(STAFF_CHECK_IN | STAFF_CANCEL));
    await textMatching(seeded.getByTestId("staff-roles"), /^Check in, Cancel$/);

    // A grant says what it means before it is sent.
    await m.page.getByTestId("staff-address").fill(ACCOUNTS[MERCHANT]);
    await textMatching(m.page.getByRole("alert"), /your own address/);
    assert.equal(await m.page.getByTestId("staff-save").isDisabled(), true);
    await m.page.getByTestId("staff-address").fill(ACCOUNTS[NEW_STAFF]);
    assert.equal(await m.page.getByTestId(`staff-role-${STAFF_CHECK_IN}`).isChecked(), true);
    await textMatching(m.page.getByTestId("staff-consequence"), /will hold exactly: Check in\./);
    await m.page.getByTestId("staff-save").click();
    await confirmed(m.page, "Set staff roles");
    assert.equal(await rolesOnChain(), STAFF_CHECK_IN);
    const member = m.page.locator(`[data-testid="staff-member"][data-address="${ACCOUNTS[NEW_STAFF]}"]`);
    await member.waitFor();
    assert.equal(await member.getAttribute("data-roles"), String(STAFF_CHECK_IN));

    // The staff wallet runs Harbour Yoga's front desk: it may check in, not cancel.
    const staff = await openApp(s, { account: NEW_STAFF, hashPath: "/merchant" });
    await connect(staff.page);
    await staff.page.getByTestId("tab-desk").click();
    const desk = staff.page.getByTestId("front-desk");
    assert.equal(await desk.getAttribute("data-merchant"), ACCOUNTS[MERCHANT]);
    await textMatching(staff.page.getByTestId("desk-roles"), /^Your roles here: Check in\.$/);
    await staff.page.getByTestId("pass-input").waitFor();
    // Today's seeded walk-in at the drop-in class is on the desk's list, without a cancel button.
    await staff.page.getByTestId("day-booking").first().waitFor();
    assert.equal(await staff.page.getByTestId("merchant-cancel").count(), 0);

    // Revoked: at once on-chain, and the desk is gone.
    await member.getByTestId("staff-revoke").click();
    await confirmed(m.page, "Revoke staff roles");
    assert.equal(await rolesOnChain(), 0);
    await member.waitFor({ state: "detached" });
    await reload(staff);
    await staff.page.getByTestId("tab-overview").waitFor();
    assert.equal(await staff.page.getByTestId("tab-desk").count(), 0);
    await m.close();
    await staff.close();
  });

  it("a check-in-only wallet on a phone checks guests in by the merchant's word and by signed code, and cannot cancel or claim", async () => {
    const client = createPublicClient({ transport: http(s.node.url) });
    const merchant = createWalletClient({ account: ACCOUNTS[MERCHANT], chain: hardhat, transport: http(s.node.url) });
    const grant = await merchant.writeContract({
      address: s.node.escrow,
      abi: earnestEscrowAbi,
      functionName: "setStaffRoles",
      args: [ACCOUNTS[DOOR_STAFF], STAFF_CHECK_IN],
    });
    assert.equal((await client.waitForTransactionReceipt({ hash: grant })).status, "success");
    const booking = (bookingId: bigint) =>
      client.readContract({
        address: s.node.escrow,
        abi: earnestEscrowAbi,
        functionName: "getBooking",
        args: [bookingId],
      });

    // Two customers book the same evening class.
    const ada = await openApp(s, { account: 4, phone: true });
    await connect(ada.page);
    const first = await bookFirstSlot(s, ada, SUNSET);
    const grace = await openApp(s, { account: 5, phone: true });
    await connect(grace.page);
    const second = await bookFirstSlot(s, grace, SUNSET);
    const { slotStart } = decodeBookingId(first.bookingId);
    assert.equal(decodeBookingId(second.bookingId).slotStart, slotStart);

    // Before the start the desk lists them under "Next"; a minute after it, under "Due now".
    const desk = await openApp(s, { account: DOOR_STAFF, hashPath: "/merchant/desk", phone: true });
    await connect(desk.page);
    await desk.page.getByTestId("front-desk").waitFor();
    await textMatching(desk.page.getByTestId("desk-roles"), /^Your roles here: Check in\.$/);
    await desk.page
      .getByTestId("desk-next")
      .locator(`[data-testid="desk-booking"][data-booking-id="${first.bookingId}"]`)
      .waitFor();
    await increaseTime(s.node, slotStart + 60 - (await chainNow(s)));
    await reload(desk);
    const dueRow = (bookingId: bigint) =>
      desk.page.getByTestId("desk-due-now").locator(`[data-testid="desk-booking"][data-booking-id="${bookingId}"]`);
    await dueRow(first.bookingId).waitFor();
    // The slot's time is labelled with the venue's zone.
    await textMatching(desk.page.getByTestId("desk-slot-now").getByTestId("slot-time"), /America\/New_York/);

    // The merchant's word, from a pasted pass.
    await desk.page.getByTestId("pass-input").fill(first.passLink);
    await desk.page.getByTestId("pass-verify").click();
    await desk.page.locator('[data-testid="pass-result"][data-result="valid"]').waitFor();
    const word = desk.page.getByTestId("pass-check-in");
    assert.equal(await word.getAttribute("data-kind"), "merchantWord");
    await word.click();
    await confirmed(desk.page, "Check in");
    await desk.page
      .locator('[data-testid="tx-toast"][data-step="confirmed"]', { hasText: "Checked in Ada Lovelace, 1 seat" })
      .waitFor();
    assert.equal((await booking(first.bookingId)).checkedIn, true);
    // Once its pass is verified, the desk's lists name the guest (the chain holds only a hash of the details).
    await textMatching(dueRow(first.bookingId).getByTestId("booking-guest"), /^Ada Lovelace$/);
    await desk.page
      .locator(`[data-testid="desk-booking"][data-booking-id="${first.bookingId}"][data-check-in="done"]`)
      .waitFor();

    // The second customer signs "I am here" on their pass; opened by the staff wallet, the link offers the desk's
    // check-in, while the customer's own page offers none.
    await reload(grace);
    await grace.page.getByTestId("pass-sign-check-in").click();
    await grace.page.getByTestId("pass-signed").waitFor();
    const signedLink = await grace.page.getByTestId("pass-code").inputValue();
    assert.equal(await grace.page.getByTestId("pass-check-in").count(), 0);
    const onPass = await openApp(s, { account: DOOR_STAFF, phone: true });
    await connect(onPass.page);
    await onPass.page.goto(signedLink);
    const fromLink = onPass.page.getByTestId("pass-desk").getByTestId("pass-check-in");
    assert.equal(await fromLink.getAttribute("data-kind"), "customerSigned");
    assert.equal(await fromLink.isDisabled(), false);
    await onPass.close();

    // The desk checks the signed code in from a paste.
    await desk.page.getByTestId("pass-input").fill(signedLink);
    await desk.page.getByTestId("pass-verify").click();
    await desk.page
      .locator(`[data-testid="pass-result"][data-result="valid"][data-booking-id="${second.bookingId}"]`)
      .waitFor();
    const signed = desk.page.getByTestId("pass-check-in");
    assert.equal(await signed.getAttribute("data-kind"), "customerSigned");
    await signed.click();
    await confirmed(desk.page, "Check in (signed code)");
    const checkedIn = await booking(second.bookingId);
    assert.equal(checkedIn.checkedIn, true);
    await dueRow(second.bookingId).and(desk.page.locator('[data-check-in="done"]')).waitFor();

    // Only what the role allows: no cancel anywhere, no claim tab, and the claim page offers no claim.
    assert.equal(await desk.page.getByTestId("merchant-cancel").count(), 0);
    assert.equal(await desk.page.getByTestId("confirm-cancel").count(), 0);
    assert.equal(await desk.page.getByTestId("tab-claim").count(), 0);
    await assertFitsPhone(desk);
    await desk.page.goto(`${s.appUrl}#/merchant/claim`);
    await reload(desk);
    await desk.page.getByTestId("register-first").waitFor();
    assert.equal(await desk.page.getByTestId("claim-all").count(), 0);
    assert.equal(await desk.page.getByTestId("claimable").count(), 0);
    await desk.close();
    await ada.close();
    await grace.close();
  });
});

/** Nothing on the page is wider than the phone's screen. */
async function assertFitsPhone(w: WalletPage): Promise<void> {
  const { scroll, client } = await w.page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `the page is ${scroll} px wide on a ${client} px screen`);
}
