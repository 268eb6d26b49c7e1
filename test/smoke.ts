import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther } from "viem";
import { bookingId, deployWithOfferings, detailsHash, networkHelpers, slotInDays, Status } from "./helpers/fixture.js";

describe("smoke", () => {
  it("books with ETH", async () => {
    const f = await networkHelpers.loadFixture(deployWithOfferings);
    const slot = await slotInDays(f.grid, 3);
    await f.escrow.write.book([f.ethOffering, slot, 2, detailsHash("a")], {
      account: f.customer.account,
      value: parseEther("0.02"),
    });
    const b = await f.escrow.read.getBooking([bookingId(1, slot, 1)]);
    assert.equal(b.status, Status.Booked);
    assert.equal(b.amount, parseEther("0.02"));
  });
});
