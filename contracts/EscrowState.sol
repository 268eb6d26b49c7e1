// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CancellationPolicy} from "./libraries/CancellationPolicy.sol";
import {ProtocolFee} from "./libraries/ProtocolFee.sol";
import {IBookings} from "./interfaces/IBookings.sol";
import {IMerchantRegistry} from "./interfaces/IMerchantRegistry.sol";
import {IOfferingRegistry} from "./interfaces/IOfferingRegistry.sol";
import {IProtocolConfig} from "./interfaces/IProtocolConfig.sol";

/// @title EscrowState
/// @notice The escrow's storage and the reads and rules that both of its halves use.
/// @dev `EarnestEscrow` and `EscrowExtension` (which runs in the escrow's storage by delegatecall) both inherit this
///      contract first, so every variable has the same slot in both. Nothing else they inherit may declare storage
///      before it; `EarnestEscrow`'s own OpenZeppelin bases (`Ownable2Step`, `EIP712`) come after it and the
///      extension declares no storage of its own. All variables are internal: their getters live in one half only.
abstract contract EscrowState {
    /// @notice A booking as stored: one slot (its offering and start are in its id).
    struct Booking {
        /// @dev Who booked and paid; receives refunds.
        address customer;
        /// @dev Seats booked.
        uint16 seats;
        /// @dev Protocol fee snapshotted at booking time, in basis points.
        uint16 feeBps;
        /// @dev Where the booking stands.
        IBookings.BookingStatus status;
        /// @dev Whether the customer was checked in. Frozen once disputed.
        bool checkedIn;
        /// @dev Whether a coupon discount applies (kept in `_discounts`).
        bool discounted;
    }

    /// @notice Seats and bookings of one slot of one offering, in one storage word.
    struct SlotState {
        /// @dev Seats held by open or settled bookings (cancellations give theirs back).
        uint16 seatsBooked;
        /// @dev Bookings ever made in the slot; numbers the next booking id.
        uint32 bookingCount;
    }

    /// @dev The protocol settings (one slot, read by every booking).
    IProtocolConfig.Config internal _config;

    /// @dev ERC-20 tokens that new offerings and bookings may use.
    mapping(address token => bool allowed) internal _tokenAllowed;

    /// @dev Registered merchants by the address that registered them.
    mapping(address merchant => IMerchantRegistry.Merchant registration) internal _merchants;

    /// @dev Staff roles (bits of `IStaff`'s role constants) per merchant and staff address.
    mapping(address merchant => mapping(address staff => uint8 roles)) internal _staffRoles;

    /// @dev Offerings created so far; the last id.
    uint32 internal _offeringCount;

    /// @dev Offerings by id.
    mapping(uint32 offeringId => IOfferingRegistry.Offering offering) internal _offerings;

    /// @dev Bookings by id.
    mapping(uint256 bookingId => Booking booking) internal _bookings;

    /// @dev Coupon discounts, for bookings whose `discounted` flag is set.
    mapping(uint256 bookingId => uint256 discount) internal _discounts;

    /// @dev Per slot; the key is `offeringId << 40 | slotStart`, the top bits of the slot's booking ids.
    mapping(uint256 offeringSlot => SlotState state) internal _slots;

    /// @dev Redemptions per coupon digest.
    mapping(bytes32 couponDigest => uint256 redemptions) internal _couponRedemptions;

    /// @dev Withdrawable credits per token (zero address = ETH) and account.
    mapping(address token => mapping(address account => uint256 amount)) internal _credits;

    /// @dev Protocol fees accrued and not yet withdrawn, per token.
    mapping(address token => uint256 amount) internal _feesOwed;

    /// @dev Whether a merchant named an address arbiter of one of its offerings: that address can never become the
    ///      merchant's payout address.
    mapping(address merchant => mapping(address arbiter => bool named)) internal _arbitersNamed;

    /// @dev Nonces customers have used in signed bookings.
    mapping(address customer => mapping(bytes32 nonce => bool used)) internal _bookingNonces;

    /// @dev Sets the fee for future bookings, at most `ProtocolFee.MAX_FEE_BPS`.
    function _setFee(uint16 feeBps) internal {
        uint16 cap = ProtocolFee.MAX_FEE_BPS;
        if (feeBps > cap) revert IProtocolConfig.FeeTooHigh(feeBps, cap);
        _config.feeBps = feeBps;
        emit IProtocolConfig.FeeSet(feeBps);
    }

    /// @dev Sets who receives the protocol fees.
    function _setFeeRecipient(address feeRecipient) internal {
        _requireRecipient(feeRecipient);
        _config.feeRecipient = feeRecipient;
        emit IProtocolConfig.FeeRecipientSet(feeRecipient);
    }

    /// @dev Reverts when value sent to `recipient` would be lost.
    function _requireRecipient(address recipient) internal view {
        if (recipient == address(0) || recipient == address(this)) revert IProtocolConfig.InvalidRecipient(recipient);
    }

    /// @dev Reverts unless `token` is native ETH or allow-listed.
    function _requireTokenAllowed(address token) internal view {
        if (token != address(0) && !_tokenAllowed[token]) revert IProtocolConfig.TokenNotAllowed(token);
    }

    /// @dev The offering with this id; reverts when there is none.
    function _offeringOf(uint32 offeringId) internal view returns (IOfferingRegistry.Offering storage offering) {
        offering = _offerings[offeringId];
        if (offering.merchant == address(0)) revert IOfferingRegistry.OfferingNotFound(offeringId);
    }

    /// @dev Reverts unless `slotStart` is on the offering's slot grid.
    function _requireOnGrid(
        IOfferingRegistry.Offering storage offering,
        uint32 offeringId,
        uint40 slotStart
    ) internal view {
        uint40 firstSlotStart = offering.firstSlotStart;
        uint32 slotLength = offering.slotLength;
        if (slotStart < firstSlotStart || (slotStart - firstSlotStart) % slotLength != 0) {
            revert IBookings.SlotOffGrid(offeringId, slotStart, firstSlotStart, slotLength);
        }
    }

    /// @dev The offering's refund share for a cancellation `secondsBeforeStart` seconds before the start.
    function _refundBps(
        IOfferingRegistry.Offering storage offering,
        uint256 secondsBeforeStart
    ) internal view returns (uint256) {
        return CancellationPolicy.refundBps(offering.cancellationTiers, secondsBeforeStart);
    }

    /// @dev The deposit a booking holds.
    function _amountOf(
        uint256 bookingId,
        Booking memory booking,
        IOfferingRegistry.Offering storage offering
    ) internal view returns (uint256 amount) {
        amount = uint256(offering.depositPerSeat) * booking.seats;
        if (booking.discounted) amount -= _discounts[bookingId];
    }

    /// @dev The offering a booking id belongs to.
    function _offeringIdOf(uint256 bookingId) internal pure returns (uint32) {
        return uint32(bookingId >> 72);
    }

    /// @dev The start of a booking's slot, from its id.
    function _slotStartOf(uint256 bookingId) internal pure returns (uint40) {
        return uint40(bookingId >> 32);
    }

    /// @dev The key of a slot in `_slots`.
    function _slotKey(uint32 offeringId, uint40 slotStart) internal pure returns (uint256) {
        return (uint256(offeringId) << 40) | slotStart;
    }
}
