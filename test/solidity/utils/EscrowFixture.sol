// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EarnestEscrow} from "../../../contracts/EarnestEscrow.sol";
import {IEarnestEscrow} from "../../../contracts/interfaces/IEarnestEscrow.sol";
import {IOfferingRegistry} from "../../../contracts/interfaces/IOfferingRegistry.sol";
import {CancellationPolicy} from "../../../contracts/libraries/CancellationPolicy.sol";
import {MockStablecoin} from "../../../contracts/mocks/MockStablecoin.sol";
import {TestBase} from "./Vm.sol";

/// @notice A deployed escrow with one registered merchant and an allowed stablecoin, plus a terms builder, so each
///         fuzz suite starts from the same realistic deployment instead of re-deriving it.
abstract contract EscrowFixture is TestBase {
    uint16 internal constant FEE_BPS = 250;
    uint256 internal constant HOUR = 1 hours;
    uint256 internal constant DAY = 1 days;
    /// @dev A realistic "now" (Nov 2023), so time arithmetic never underflows near zero by accident.
    uint256 internal constant START = 1_700_000_000;

    IEarnestEscrow internal escrow;
    MockStablecoin internal stablecoin;

    address internal owner = address(0x0A11);
    address internal feeRecipient = address(0xFEE);
    address internal merchant = address(0x3E7C);
    address internal payout = address(0x9A10);
    address internal customer = address(0xC057);
    address internal arbiter = address(0xA7B1);

    function setUp() public virtual {
        vm.warp(START);
        escrow = IEarnestEscrow(address(new EarnestEscrow(owner, feeRecipient, FEE_BPS)));
        stablecoin = new MockStablecoin();
        vm.prank(owner);
        escrow.setTokenAllowed(address(stablecoin), true);
        vm.prank(merchant);
        escrow.registerMerchant(payout, "Chez Earnest");
    }

    /// @dev Hourly slots from an hour-aligned origin, bookable from 1 h to 30 days ahead, 48 h -> 100 %, 24 h -> 50 %.
    function defaultTerms(address token) internal view returns (IOfferingRegistry.OfferingTerms memory terms) {
        CancellationPolicy.Tier[] memory tiers = new CancellationPolicy.Tier[](2);
        tiers[0] = CancellationPolicy.Tier({secondsBeforeStart: uint32(48 * HOUR), refundBps: 10_000});
        tiers[1] = CancellationPolicy.Tier({secondsBeforeStart: uint32(24 * HOUR), refundBps: 5_000});
        terms = IOfferingRegistry.OfferingTerms({
            token: token,
            depositPerSeat: 10e6,
            seatsPerSlot: 10,
            slotLength: uint32(HOUR),
            firstSlotStart: uint40(block.timestamp - (block.timestamp % HOUR)),
            minLeadTime: uint32(HOUR),
            maxAdvance: uint32(30 * DAY),
            noShowRefundBps: 0,
            disputeWindow: uint32(DAY),
            arbiter: address(0),
            arbiterTimeout: 0,
            checkInRule: IOfferingRegistry.CheckInRule.MerchantWord,
            maxFeeBps: 1_000,
            cancellationTiers: tiers,
            metadata: "Table for one; Europe/Paris"
        });
    }

    function createOffering(IOfferingRegistry.OfferingTerms memory terms) internal returns (uint32 offeringId) {
        vm.prank(merchant);
        offeringId = escrow.createOffering(terms);
    }

    /// @dev Books as `who`, paying the exact amount in whatever the offering takes.
    function bookAs(
        address who,
        uint32 offeringId,
        uint40 slotStart,
        uint16 seats
    ) internal returns (uint256 bookingId) {
        IOfferingRegistry.Offering memory offering = escrow.getOffering(offeringId);
        uint256 amount = uint256(offering.depositPerSeat) * seats;
        if (offering.token == address(0)) {
            vm.deal(who, amount);
            vm.prank(who);
            bookingId = escrow.book{value: amount}(offeringId, slotStart, seats, keccak256("details"));
        } else {
            MockStablecoin(offering.token).mint(who, amount);
            vm.prank(who);
            MockStablecoin(offering.token).approve(address(escrow), amount);
            vm.prank(who);
            bookingId = escrow.book(offeringId, slotStart, seats, keccak256("details"));
        }
    }
}
