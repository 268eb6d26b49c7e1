// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Split} from "./libraries/Split.sol";
import {IBookings} from "./interfaces/IBookings.sol";
import {IEscrowViews} from "./interfaces/IEscrowViews.sol";
import {IOfferingRegistry} from "./interfaces/IOfferingRegistry.sol";
import {EscrowState} from "./EscrowState.sol";

/// @title EscrowViews
/// @notice Reads of bookings and slots, for dApps and auditors.
/// @dev Runs in `EscrowExtension`. Types are declared in `IEscrowViews`.
abstract contract EscrowViews is EscrowState, IEscrowViews {
    /// @inheritdoc IEscrowViews
    function getBooking(uint256 bookingId) public view returns (BookingView memory view_) {
        Booking memory booking = _bookings[bookingId];
        view_.bookingId = bookingId;
        if (booking.status == IBookings.BookingStatus.None) return view_;
        uint32 offeringId = _offeringIdOf(bookingId);
        view_.offeringId = offeringId;
        view_.customer = booking.customer;
        view_.slotStart = _slotStartOf(bookingId);
        view_.seats = booking.seats;
        view_.feeBps = booking.feeBps;
        view_.status = booking.status;
        view_.checkedIn = booking.checkedIn;
        view_.amount = _amountOf(bookingId, booking, _offerings[offeringId]);
    }

    /// @inheritdoc IEscrowViews
    function getBookings(uint256[] calldata bookingIds) external view returns (BookingView[] memory bookings) {
        bookings = new BookingView[](bookingIds.length);
        for (uint256 i; i < bookingIds.length; ++i) bookings[i] = getBooking(bookingIds[i]);
    }

    /// @inheritdoc IEscrowViews
    function refundAt(uint256 bookingId, uint256 timestamp) external view returns (uint256) {
        Booking memory booking = _bookings[bookingId];
        uint40 slotStart = _slotStartOf(bookingId);
        if (booking.status != IBookings.BookingStatus.Booked || booking.checkedIn || timestamp >= slotStart) return 0;
        IOfferingRegistry.Offering storage offering = _offerings[_offeringIdOf(bookingId)];
        uint256 refundBps = _refundBps(offering, slotStart - timestamp);
        (uint256 refund, , ) = Split.split(_amountOf(bookingId, booking, offering), refundBps, booking.feeBps);
        return refund;
    }

    /// @inheritdoc IEscrowViews
    function seatsLeft(uint32 offeringId, uint40 slotStart) external view returns (uint256) {
        IOfferingRegistry.Offering storage offering = _offeringOf(offeringId);
        _requireOnGrid(offering, offeringId, slotStart);
        return offering.seatsPerSlot - _slots[_slotKey(offeringId, slotStart)].seatsBooked;
    }
}
