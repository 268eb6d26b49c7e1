// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {console} from "hardhat/console.sol";
import {IBookings} from "../../contracts/interfaces/IBookings.sol";
import {IEscrowViews} from "../../contracts/interfaces/IEscrowViews.sol";
import {IEarnestEscrow} from "../../contracts/interfaces/IEarnestEscrow.sol";
import {EscrowHandler} from "./handlers/EscrowHandler.sol";
import {ACTION_COUNT, EscrowModel} from "./handlers/EscrowModel.sol";
import {InvariantToken} from "./utils/InvariantToken.sol";
import {TestBase} from "./utils/Vm.sol";

/// @title EscrowInvariant
/// @notice The SPEC §3 invariants, checked after every call of long random sequences of bookings (with coupons of the
///         merchant or its staff), cancellations, check-ins (the merchant's word and the customer's signature, by the
///         merchant or its staff), disputes, rulings, settlements by anyone, claims, staff grants and staff acting
///         beyond their roles, withdrawals, owner actions, time jumps and unsolicited transfers. Each invariant
///         compares the escrow with the handler's independent model of the same history.
/// @dev The handler never reverts by design (it records disagreements instead), so a revert is a handler bug that
///      would silently drop calls from the campaign: it fails the run.
/// forge-config: default.invariant.fail-on-revert = true
contract EscrowInvariantTest is TestBase {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address internal constant ETH = address(0);

    EscrowHandler internal handler;
    IEarnestEscrow internal escrow;
    InvariantToken internal stablecoin;

    function setUp() public {
        vm.warp(1_700_000_000);
        handler = new EscrowHandler();
        escrow = handler.escrow();
        stablecoin = handler.token();
    }

    /// @dev Only the handler is called; it owns every actor and keeps the model in step.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev The actions only; the handler's views would waste calls.
    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        // One selector per action, except that the merchant's and the staff's cancellations and check-ins share one.
        bytes4[] memory selectors = new bytes4[](ACTION_COUNT - 3);
        selectors[0] = EscrowHandler.registerMerchant.selector;
        selectors[1] = EscrowHandler.updateMerchant.selector;
        selectors[2] = EscrowHandler.createOffering.selector;
        selectors[3] = EscrowHandler.setOfferingActive.selector;
        selectors[4] = EscrowHandler.setStaffRoles.selector;
        selectors[5] = EscrowHandler.book.selector;
        selectors[6] = EscrowHandler.bookWithCoupon.selector;
        selectors[7] = EscrowHandler.cancel.selector;
        selectors[8] = EscrowHandler.cancelByMerchant.selector;
        selectors[9] = EscrowHandler.checkIn.selector;
        selectors[10] = EscrowHandler.checkInWithSignature.selector;
        selectors[11] = EscrowHandler.dispute.selector;
        selectors[12] = EscrowHandler.resolve.selector;
        selectors[13] = EscrowHandler.settle.selector;
        selectors[14] = EscrowHandler.claim.selector;
        selectors[15] = EscrowHandler.staffClaim.selector;
        selectors[16] = EscrowHandler.staffTriesMerchantActions.selector;
        selectors[17] = EscrowHandler.withdraw.selector;
        selectors[18] = EscrowHandler.withdrawFees.selector;
        selectors[19] = EscrowHandler.setFee.selector;
        selectors[20] = EscrowHandler.setPaused.selector;
        selectors[21] = EscrowHandler.setTokenAllowed.selector;
        selectors[22] = EscrowHandler.setFeeRecipient.selector;
        selectors[23] = EscrowHandler.warp.selector;
        selectors[24] = EscrowHandler.sendUnsolicited.selector;
        selectors[25] = EscrowHandler.ownerTriesToMoveFunds.selector;
        selectors[26] = EscrowHandler.bookWithSignature.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: address(handler), selectors: selectors});
    }

    // ------------------------------------------------------------------------------------------------------
    // Invariants
    // ------------------------------------------------------------------------------------------------------

    /// @dev SPEC §3.1: the escrow can always pay everything it owes, and holds exactly that plus whatever was sent
    ///      unasked. Held deposits are summed from the escrow's own booking state, so a deposit the contract forgot
    ///      or paid twice shows up; the equality also catches a credit to any account outside the model, since
    ///      that would appear as an unexplained surplus.
    function invariant_balanceCoversHeldCreditsAndFees() public view {
        IEscrowViews.BookingView[] memory views = escrow.getBookings(handler.bookingIdList());
        EscrowModel.BookingGhost[] memory ghosts = handler.bookingGhosts();
        address[3] memory holders = handler.creditHolders();
        address[2] memory list = handler.tokens();
        for (uint256 t; t < 2; ++t) {
            address token = list[t];
            EscrowModel.TokenTotals memory g = handler.totals(token);
            uint256 held;
            for (uint256 i; i < views.length; ++i) {
                bool open =
                    views[i].status == IBookings.BookingStatus.Booked ||
                        views[i].status == IBookings.BookingStatus.Disputed;
                if (open && ghosts[i].token == token) held += views[i].amount;
            }
            uint256 credits;
            for (uint256 h; h < 3; ++h) credits += escrow.credits(token, holders[h]);
            uint256 feesOwed = escrow.feesOwed(token);
            uint256 obligations = held + credits + feesOwed;
            uint256 balance = _balanceOf(token, address(escrow));
            assertGe(balance, obligations, "escrow balance below its obligations");
            assertEq(balance, obligations + g.surplus, "balance != held + credits + fees + surplus");
            assertEq(held, g.held, "held deposits differ from the model");
            assertEq(credits, g.creditsTotal, "credits differ from the model");
            assertEq(feesOwed, g.feesOwed, "fees owed differ from the model");
        }
    }

    /// @dev SPEC §3.2: every booking ends at most once, a settled booking stays in its outcome, and its split (as
    ///      announced in `Settled` and paid) sums exactly to its amount; the handler also checks each split against
    ///      the rule for its outcome when it happens.
    function invariant_settlesOnceWithExactSplit() public view {
        EscrowModel.Problems memory p = handler.problems();
        assertEq(p.doubleSettlements, 0, "a booking settled twice");
        assertEq(p.splitViolations, 0, p.lastProblem);
        IEscrowViews.BookingView[] memory views = escrow.getBookings(handler.bookingIdList());
        EscrowModel.BookingGhost[] memory ghosts = handler.bookingGhosts();
        for (uint256 i; i < views.length; ++i) {
            EscrowModel.BookingGhost memory g = ghosts[i];
            bool settled = uint8(views[i].status) >= uint8(IBookings.BookingStatus.CustomerCancelled);
            assertEq(g.settleCount, settled ? 1 : 0, "settled count does not match the final status");
            assertEq(uint8(views[i].status), uint8(g.status), "status differs from the model");
            assertEq(views[i].checkedIn, g.checkedIn, "check-in state differs from the model");
            assertEq(views[i].amount, g.amount, "booking amount changed");
            if (settled) assertEq(g.customerShare + g.merchantShare + g.fee, views[i].amount, "split != amount");
        }
    }

    /// @dev SPEC §3.3: no slot is ever overbooked, and the escrow's free-seat count is exactly the model's.
    function invariant_slotsNeverOverbooked() public view {
        assertEq(handler.problems().capacityViolations, 0, "a booking beyond capacity was accepted");
        (uint256[] memory keys, uint256[] memory held, uint256[] memory capacity) = handler.slots();
        for (uint256 i; i < keys.length; ++i) {
            assertLe(held[i], capacity[i], "model holds more seats than the slot has");
            uint256 left = escrow.seatsLeft(uint32(keys[i] >> 40), uint40(keys[i]));
            assertEq(left, capacity[i] - held[i], "seatsLeft != capacity - seats held");
        }
    }

    /// @dev SPEC §3.4: value leaves only as a refund or credit to the customer, a payout to the merchant's payout
    ///      address, fees to the fee recipient, or a credit withdrawal by its owner. Every tracked wallet holds
    ///      exactly what those flows give it, and the escrow's outflows add up to those categories.
    function invariant_valueLeavesOnlyToAllowedRecipients() public view {
        address[] memory actors = handler.actorList();
        address[2] memory list = handler.tokens();
        for (uint256 t; t < 2; ++t) {
            address token = list[t];
            uint256[] memory expected = handler.expectedWallets(token);
            for (uint256 i; i < actors.length; ++i) {
                assertEq(_balanceOf(token, actors[i]), expected[i], "a wallet got value outside the rules");
            }
            EscrowModel.TokenTotals memory g = handler.totals(token);
            uint256 out = g.outRefund + g.outPayout + g.outFee + g.outCreditWithdrawal;
            assertEq(
                _balanceOf(token, address(escrow)) + out,
                g.totalIn + g.surplus,
                "escrow outflows are not all refunds, payouts, fees or credit withdrawals"
            );
        }
    }

    /// @dev SPEC §3.5: the owner's levers (fee, pause, allow-list, fee recipient) never move a deposit or change a
    ///      booking, and the owner cannot use any settlement entry point.
    function invariant_adminActionsNeverMoveFunds() public view {
        EscrowModel.Problems memory p = handler.problems();
        assertEq(p.adminViolations, 0, p.lastProblem);
    }

    /// @dev SPEC §3.6: every booking can reach its outcome without any transaction of the merchant or its staff. On
    ///      a snapshot of the state after each call, customers cancel, the arbiter rules, time runs out and the
    ///      customer, a stranger, the arbiter or the owner settles every open booking; each must reach the outcome
    ///      the rules give it, with the split landing with the customer, the payout address and the fees owed, and
    ///      no deposit may remain held. The snapshot is then restored, so the campaign goes on from where it was.
    function invariant_everyBookingReachesItsOutcomeWithoutTheMerchant() public {
        uint256 snapshot = vm.snapshotState();
        (uint256 failures, string memory why) = handler.driveEveryBookingToItsOutcome();
        vm.revertToStateAndDelete(snapshot);
        assertEq(failures, 0, why);
    }

    /// @dev SPEC §3.7: no staff action sends funds to anyone but the booking's customer. The handler snapshots every
    ///      tracked wallet and credit (and the fees owed) around each staff call (check-ins, cancellations, claims,
    ///      merchant actions) and counts any gain by someone else; staff acting beyond their roles must also leave
    ///      the merchant's offerings, payout address and staff grants as they were.
    function invariant_staffActionsPayOnlyTheCustomer() public view {
        EscrowModel.Problems memory p = handler.problems();
        assertEq(p.staffViolations, 0, p.lastProblem);
    }

    /// @dev Every action must have done what the SPEC says (accepted when legal, refused with the right named error
    ///      otherwise, ids, amounts and events as documented); a disagreement is a contract bug or a model bug, and
    ///      either would make the other invariants meaningless.
    function invariant_handlerModelMatchesEscrow() public view {
        EscrowModel.Problems memory p = handler.problems();
        assertEq(p.modelMismatches, 0, p.lastProblem);
    }

    /// @dev The call summary, once per run rather than after every call (a separate `invariant_` function would
    ///      cost a whole campaign): the counters must add up, and the per-action reach is logged.
    function afterInvariant() public virtual {
        (uint256[ACTION_COUNT] memory succeeded, uint256[ACTION_COUNT] memory refused, uint256 calls) = handler
            .summary();
        uint256 sum;
        for (uint256 a; a < ACTION_COUNT; ++a) sum += succeeded[a] + refused[a];
        assertLe(sum, calls, "more outcomes than calls");
        assertEq(
            handler.bookingCount(),
            succeeded[uint256(EscrowModel.Action.Book)] +
                succeeded[uint256(EscrowModel.Action.BookWithCoupon)] +
                succeeded[uint256(EscrowModel.Action.BookWithSignature)],
            "bookings tracked != successful book calls"
        );
        string[ACTION_COUNT] memory names = handler.actionNames();
        console.log("calls", calls, "bookings", handler.bookingCount());
        for (uint256 a; a < ACTION_COUNT; ++a) console.log(names[a], succeeded[a], refused[a]);
    }

    function _balanceOf(address token, address account) internal view returns (uint256) {
        return token == ETH ? account.balance : stablecoin.balanceOf(account);
    }
}
