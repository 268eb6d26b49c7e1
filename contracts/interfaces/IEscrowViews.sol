// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBookings} from "./IBookings.sol";

/// @title IEscrowViews
/// @notice Reads of bookings and slots, for dApps and auditors. Events alone rebuild every booking's state; these
///         views let a reader check it.
/// @dev Implemented by `EscrowExtension`.
interface IEscrowViews {
    /// @notice A booking's full state, as the views return it.
    struct BookingView {
        /// @dev The booking's id.
        uint256 bookingId;
        /// @dev The offering booked.
        uint32 offeringId;
        /// @dev Who booked and paid.
        address customer;
        /// @dev Start of the booked slot.
        uint40 slotStart;
        /// @dev Seats booked.
        uint16 seats;
        /// @dev Protocol fee snapshot, in basis points.
        uint16 feeBps;
        /// @dev Where the booking stands.
        IBookings.BookingStatus status;
        /// @dev Whether the customer was checked in.
        bool checkedIn;
        /// @dev The deposit held for it.
        uint256 amount;
    }

    /// @notice A booking's full state; status `None` when there is no such booking.
    /// @param bookingId The booking.
    /// @return The booking.
    function getBooking(uint256 bookingId) external view returns (BookingView memory);

    /// @notice Many bookings' full state in one call.
    /// @param bookingIds The bookings.
    /// @return bookings Their states, in the same order.
    function getBookings(uint256[] calldata bookingIds) external view returns (BookingView[] memory bookings);

    /// @notice The refund the customer would get by cancelling at `timestamp`; zero when it could not be cancelled.
    /// @param bookingId The booking.
    /// @param timestamp The time of the cancellation.
    /// @return The refund, in the offering's token units.
    function refundAt(uint256 bookingId, uint256 timestamp) external view returns (uint256);

    /// @notice Seats still free in a slot.
    /// @param offeringId The offering.
    /// @param slotStart Start of the slot, on the offering's grid.
    /// @return The seats left.
    function seatsLeft(uint32 offeringId, uint40 slotStart) external view returns (uint256);
}
