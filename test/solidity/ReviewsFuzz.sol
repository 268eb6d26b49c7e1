// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IOfferingRegistry} from "../../contracts/interfaces/IOfferingRegistry.sol";
import {IVerifiedReviews} from "../../contracts/interfaces/IVerifiedReviews.sol";
import {VerifiedReviews} from "../../contracts/VerifiedReviews.sol";
import {EscrowFixture} from "./utils/EscrowFixture.sol";

/// @title ReviewsFuzz
/// @notice Verified reviews (SPEC §6) against a real escrow: a rating is accepted iff it is 1 to 5; a review or an
///         answer is accepted iff its text is at most `MAX_TEXT_BYTES` bytes; a review is accepted iff it is written
///         no later than `REVIEW_WINDOW` after the latest time the booking settles with nobody acting (its slot's end
///         and dispute window, plus the arbiter's timeout only when the offering has an arbiter); and only the
///         booking's customer may write it.
contract ReviewsFuzzTest is EscrowFixture {
    /// @dev SPEC §6: 30 days.
    uint256 internal constant REVIEW_WINDOW = 30 days;
    /// @dev The bound the contract states (the SPEC says only "short").
    uint256 internal constant MAX_TEXT_BYTES = 500;
    uint256 internal constant ARBITER_TIMEOUT = 3 days;

    VerifiedReviews internal reviews;
    /// @dev A fulfilled booking of an offering without an arbiter, and the last second it may be reviewed.
    uint256 internal plainBooking;
    uint256 internal plainClosesAt;
    /// @dev The same of an offering with an arbiter.
    uint256 internal arbiterBooking;
    uint256 internal arbiterClosesAt;

    /// @dev Books one seat of each offering two days ahead, checks both in at the slot's start and settles both, as
    ///      anyone may, the moment they can settle: both are Fulfilled at the start of every run.
    function setUp() public override {
        super.setUp();
        reviews = new VerifiedReviews(address(escrow));
        IOfferingRegistry.OfferingTerms memory terms = defaultTerms(address(stablecoin));
        uint32 plainOffering = createOffering(terms);
        terms.arbiter = arbiter;
        terms.arbiterTimeout = uint32(ARBITER_TIMEOUT);
        uint32 arbiterOffering = createOffering(terms);

        uint256 slotStart = terms.firstSlotStart + 2 * DAY;
        plainBooking = bookAs(customer, plainOffering, uint40(slotStart), 1);
        arbiterBooking = bookAs(customer, arbiterOffering, uint40(slotStart), 1);
        vm.warp(slotStart);
        vm.prank(merchant);
        escrow.checkIn(plainBooking);
        vm.prank(merchant);
        escrow.checkIn(arbiterBooking);
        uint256 settlesAt = slotStart + terms.slotLength + terms.disputeWindow;
        vm.warp(settlesAt);
        escrow.settle(plainBooking);
        escrow.settle(arbiterBooking);
        plainClosesAt = settlesAt + REVIEW_WINDOW;
        arbiterClosesAt = settlesAt + ARBITER_TIMEOUT + REVIEW_WINDOW;
    }

    /// @dev `length` bytes of UTF-8 ("a" after "é"s: two bytes each, so a character count would differ).
    function textOfLength(uint256 length) internal pure returns (string memory) {
        bytes memory text = new bytes(length);
        for (uint256 i; i + 1 < length; i += 2) {
            text[i] = 0xC3;
            text[i + 1] = 0xA9;
        }
        if (length % 2 == 1) text[length - 1] = "a";
        return string(text);
    }

    function testFuzz_review_acceptsOnlyRatingsOneToFive(uint8 rating) public {
        bool valid = rating >= 1 && rating <= 5;
        if (!valid) vm.expectRevert(abi.encodeWithSelector(IVerifiedReviews.InvalidRating.selector, rating));
        vm.prank(customer);
        reviews.review(plainBooking, rating, "Dinner.");
        assertEq(reviews.getReview(plainBooking).rating, valid ? rating : 0, "stored rating");
    }

    function testFuzz_review_acceptsTextUpToMaxBytes(uint256 length) public {
        length = bound(length, 0, 2 * MAX_TEXT_BYTES);
        bool valid = length <= MAX_TEXT_BYTES;
        if (!valid) {
            vm.expectRevert(abi.encodeWithSelector(IVerifiedReviews.TextTooLong.selector, length, MAX_TEXT_BYTES));
        }
        vm.prank(customer);
        reviews.review(plainBooking, 4, textOfLength(length));
        assertEq(reviews.getReview(plainBooking).rating, valid ? 4 : 0, "reviewed iff short enough");
    }

    function testFuzz_answer_acceptsTextUpToMaxBytes(uint256 length) public {
        length = bound(length, 0, 2 * MAX_TEXT_BYTES);
        vm.prank(customer);
        reviews.review(plainBooking, 2, "Slow.");
        bool valid = length <= MAX_TEXT_BYTES;
        if (!valid) {
            vm.expectRevert(abi.encodeWithSelector(IVerifiedReviews.TextTooLong.selector, length, MAX_TEXT_BYTES));
        }
        vm.prank(merchant);
        reviews.answer(plainBooking, textOfLength(length));
        assertEq(reviews.getReview(plainBooking).answered, valid, "answered iff short enough");
    }

    /// @dev Any time from the settlement to two days past the window, with or without an arbiter.
    function testFuzz_review_acceptedIffWithinWindow(uint256 at, bool withArbiter) public {
        (uint256 bookingId, uint256 closesAt) = withArbiter
            ? (arbiterBooking, arbiterClosesAt)
            : (plainBooking, plainClosesAt);
        reviewAt(bookingId, closesAt, bound(at, block.timestamp, closesAt + 2 days));
    }

    /// @dev The last few seconds either side of the window's end, where an off-by-one would show.
    function testFuzz_review_acceptedIffWithinWindow_atTheEdge(uint256 offset, bool withArbiter) public {
        (uint256 bookingId, uint256 closesAt) = withArbiter
            ? (arbiterBooking, arbiterClosesAt)
            : (plainBooking, plainClosesAt);
        reviewAt(bookingId, closesAt, bound(offset, closesAt - 3, closesAt + 3));
    }

    function testFuzz_review_reverts_whenCallerIsNotTheCustomer(address caller) public {
        vm.assume(caller != customer);
        vm.expectRevert(
            abi.encodeWithSelector(IVerifiedReviews.NotBookingCustomer.selector, plainBooking, customer, caller)
        );
        vm.prank(caller);
        reviews.review(plainBooking, 5, "Best place in town!");
    }

    /// @dev The customer reviews `bookingId` at `at`: accepted iff `at` is no later than `closesAt`, which is also
    ///      what `reviewClosesAt` says.
    function reviewAt(uint256 bookingId, uint256 closesAt, uint256 at) internal {
        assertEq(reviews.reviewClosesAt(bookingId), closesAt, "reviewClosesAt");
        vm.warp(at);
        bool open = at <= closesAt;
        if (!open) {
            vm.expectRevert(abi.encodeWithSelector(IVerifiedReviews.ReviewWindowClosed.selector, bookingId, closesAt));
        }
        vm.prank(customer);
        reviews.review(bookingId, 3, "Fine.");
        assertEq(reviews.getReview(bookingId).reviewedAt, open ? at : 0, "reviewed at that time iff open");
    }
}
