// Staff in a real browser: a merchant grants a wallet the check-in role, that wallet finds the merchant's front desk
// with only what the role allows, and the merchant revokes it again, at once.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createPublicClient, http } from "viem";
import { earnestEscrowAbi, STAFF_CANCEL, STAFF_CHECK_IN } from "@earnest/sdk";
import { confirmed, reload, textMatching } from "./console-helpers.js";
import { ACCOUNTS, connect, freshChainForEachTest, openApp, stack, type Stack } from "./harness.js";

/** Harbour Yoga (merchant #3); #10 is its seeded front desk; #12 is nobody's yet. */
const MERCHANT = 3;
const SEEDED_DESK = ACCOUNTS[10];
const NEW_STAFF = 12;

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
});
