// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBookings} from "./interfaces/IBookings.sol";
import {IEscrowViews} from "./interfaces/IEscrowViews.sol";
import {IOfferingRegistry} from "./interfaces/IOfferingRegistry.sol";
import {IVerifiedReviews} from "./interfaces/IVerifiedReviews.sol";

/// @title VerifiedReviews
/// @notice Reviews of an escrow's fulfilled bookings by their customers, and the merchants' answers.
/// @dev Beside the escrow, which stays as it is: this contract only reads its views, so it can neither move nor hold
///      funds and has no owner. Types, events and errors are declared in `IVerifiedReviews`.
contract VerifiedReviews is IVerifiedReviews {
    /// @inheritdoc IVerifiedReviews
    uint256 public constant REVIEW_WINDOW = 30 days;
    /// @inheritdoc IVerifiedReviews
    uint256 public constant MAX_TEXT_BYTES = 500;

    address private immutable ESCROW;

    mapping(uint256 bookingId => ReviewState review) private _reviews;

    /// @param escrow_ The Earnest escrow whose bookings are reviewed.
    constructor(address escrow_) {
        if (escrow_.code.length == 0) revert EscrowNotContract(escrow_);
        ESCROW = escrow_;
    }

    /// @inheritdoc IVerifiedReviews
    function review(uint256 bookingId, uint8 rating, string calldata text) external {
        if (rating == 0 || rating > 5) revert InvalidRating(rating);
        _requireShort(text);
        IEscrowViews.BookingView memory booking = IEscrowViews(ESCROW).getBooking(bookingId);
        if (booking.customer != msg.sender) revert NotBookingCustomer(bookingId, booking.customer, msg.sender);
        if (booking.status != IBookings.BookingStatus.Fulfilled) revert BookingNotFulfilled(bookingId, booking.status);
        ReviewState storage state = _reviews[bookingId];
        if (state.rating != 0) revert AlreadyReviewed(bookingId);
        uint256 closesAt = _closesAt(booking, IOfferingRegistry(ESCROW).getOffering(booking.offeringId));
        if (block.timestamp > closesAt) revert ReviewWindowClosed(bookingId, closesAt);
        state.rating = rating;
        state.reviewedAt = uint40(block.timestamp);
        emit Reviewed(bookingId, booking.offeringId, msg.sender, rating, text);
    }

    /// @inheritdoc IVerifiedReviews
    function answer(uint256 bookingId, string calldata text) external {
        _requireShort(text);
        ReviewState storage state = _reviews[bookingId];
        if (state.rating == 0) revert NotReviewed(bookingId);
        if (state.answered) revert AlreadyAnswered(bookingId);
        // A reviewed booking exists, so its offering does.
        address merchant = IOfferingRegistry(ESCROW).getOffering(_offeringIdOf(bookingId)).merchant;
        if (merchant != msg.sender) revert NotReviewMerchant(bookingId, merchant, msg.sender);
        state.answered = true;
        emit Answered(bookingId, msg.sender, text);
    }

    /// @inheritdoc IVerifiedReviews
    function escrow() external view returns (address) {
        return ESCROW;
    }

    /// @inheritdoc IVerifiedReviews
    function getReview(uint256 bookingId) external view returns (ReviewState memory) {
        return _reviews[bookingId];
    }

    /// @inheritdoc IVerifiedReviews
    function reviewClosesAt(uint256 bookingId) external view returns (uint256) {
        IEscrowViews.BookingView memory booking = IEscrowViews(ESCROW).getBooking(bookingId);
        if (booking.status == IBookings.BookingStatus.None) return 0;
        return _closesAt(booking, IOfferingRegistry(ESCROW).getOffering(booking.offeringId));
    }

    function _closesAt(
        IEscrowViews.BookingView memory booking,
        IOfferingRegistry.Offering memory offering
    ) private pure returns (uint256) {
        // The latest a booking can stay open: a dispute raised at the end of the window waits out the arbiter.
        uint256 settlesBy = uint256(booking.slotStart) + offering.slotLength + offering.disputeWindow;
        if (offering.arbiter != address(0)) settlesBy += offering.arbiterTimeout;
        return settlesBy + REVIEW_WINDOW;
    }

    function _requireShort(string calldata text) private pure {
        if (bytes(text).length > MAX_TEXT_BYTES) revert TextTooLong(bytes(text).length, MAX_TEXT_BYTES);
    }

    /// @dev Booking ids are `offeringId << 72 | slotStart << 32 | n` (see `IBookings`).
    function _offeringIdOf(uint256 bookingId) private pure returns (uint32) {
        return uint32(bookingId >> 72);
    }
}
