// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBookings} from "./IBookings.sol";

/// @title IVerifiedReviews
/// @notice Reviews that only real guests can write: the customer of a fulfilled booking reviews it once, within
///         `REVIEW_WINDOW` after the booking settles at the latest, with a rating of 1 to 5 and a short text; the
///         offering's merchant may answer each review once. Anyone can check a review against its booking.
/// @dev Implemented by `VerifiedReviews`, deployed beside one escrow, which it only reads. The text lives in the
///      events; storage keeps what the rules need.
interface IVerifiedReviews {
    /// @notice What is stored for a reviewed booking (one slot).
    struct ReviewState {
        /// @dev 1 to 5; zero while the booking has no review.
        uint8 rating;
        /// @dev Whether the merchant has answered.
        bool answered;
        /// @dev When the review was written.
        uint40 reviewedAt;
    }

    /// @notice The customer of a fulfilled booking reviewed it.
    /// @param bookingId The booking reviewed.
    /// @param offeringId Its offering.
    /// @param customer The booking's customer, who wrote the review.
    /// @param rating 1 to 5.
    /// @param text The review, at most `MAX_TEXT_BYTES` bytes of UTF-8.
    event Reviewed(
        uint256 indexed bookingId,
        uint32 indexed offeringId,
        address indexed customer,
        uint8 rating,
        string text
    );

    /// @notice The offering's merchant answered a review.
    /// @param bookingId The booking whose review was answered.
    /// @param merchant The merchant.
    /// @param text The answer, at most `MAX_TEXT_BYTES` bytes of UTF-8.
    event Answered(uint256 indexed bookingId, address indexed merchant, string text);

    /// @notice The escrow address is not a contract.
    /// @param escrow The address given.
    error EscrowNotContract(address escrow);

    /// @notice A rating must be 1 to 5.
    /// @param rating The rating given.
    error InvalidRating(uint8 rating);

    /// @notice The text is longer than `MAX_TEXT_BYTES`.
    /// @param length Its length in bytes.
    /// @param maxLength The longest allowed.
    error TextTooLong(uint256 length, uint256 maxLength);

    /// @notice Only the booking's customer may review it.
    /// @param bookingId The booking.
    /// @param customer Its customer (zero when there is no such booking).
    /// @param caller Who tried.
    error NotBookingCustomer(uint256 bookingId, address customer, address caller);

    /// @notice Only a fulfilled booking can be reviewed.
    /// @param bookingId The booking.
    /// @param status Where it stands.
    error BookingNotFulfilled(uint256 bookingId, IBookings.BookingStatus status);

    /// @notice The review window has closed.
    /// @param bookingId The booking.
    /// @param closedAt When it closed.
    error ReviewWindowClosed(uint256 bookingId, uint256 closedAt);

    /// @notice The booking has been reviewed already.
    /// @param bookingId The booking.
    error AlreadyReviewed(uint256 bookingId);

    /// @notice The booking has no review to answer.
    /// @param bookingId The booking.
    error NotReviewed(uint256 bookingId);

    /// @notice Only the offering's merchant may answer.
    /// @param bookingId The booking.
    /// @param merchant The offering's merchant.
    /// @param caller Who tried.
    error NotReviewMerchant(uint256 bookingId, address merchant, address caller);

    /// @notice The review has been answered already.
    /// @param bookingId The booking.
    error AlreadyAnswered(uint256 bookingId);

    /// @notice Reviews a fulfilled booking: only its customer, once, until `reviewClosesAt(bookingId)`.
    /// @param bookingId The booking.
    /// @param rating 1 to 5.
    /// @param text The review, at most `MAX_TEXT_BYTES` bytes (may be empty).
    function review(uint256 bookingId, uint8 rating, string calldata text) external;

    /// @notice Answers a booking's review: only the offering's merchant, once.
    /// @param bookingId The booking.
    /// @param text The answer, at most `MAX_TEXT_BYTES` bytes.
    function answer(uint256 bookingId, string calldata text) external;

    /// @notice A booking's stored review; all zero when it has none.
    /// @param bookingId The booking.
    /// @return The review's state.
    function getReview(uint256 bookingId) external view returns (ReviewState memory);

    /// @notice The last moment a booking may be reviewed: `REVIEW_WINDOW` after the latest time it settles with
    ///         nobody acting (its slot's end, the dispute window and, when the offering has an arbiter, the arbiter's
    ///         timeout). Zero when there is no such booking.
    /// @param bookingId The booking.
    /// @return The time, in Unix seconds.
    function reviewClosesAt(uint256 bookingId) external view returns (uint256);

    /// @notice The escrow whose bookings are reviewed.
    /// @return The escrow's address.
    function escrow() external view returns (address);

    /// @notice How long after the booking settles a review may be written.
    /// @return The window, in seconds.
    function REVIEW_WINDOW() external view returns (uint256);

    /// @notice The longest review or answer, in bytes.
    /// @return The limit.
    function MAX_TEXT_BYTES() external view returns (uint256);
}
