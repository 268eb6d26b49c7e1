// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CancellationPolicy} from "../libraries/CancellationPolicy.sol";

/// @title IOfferingRegistry
/// @notice Merchants publish offerings whose terms never change once created: only the `active` flag does,
///         and new terms mean a new offering, so every booking is judged by terms that were public when it was made.
/// @dev Implemented by `EscrowExtension`.
interface IOfferingRegistry {
    /// @notice What proves that a customer came.
    enum CheckInRule {
        /// @dev The merchant's word (from the slot's start) or the customer's signature (from shortly before).
        MerchantWord,
        /// @dev Only the customer's signature, so the no-show share holds even without an arbiter.
        CustomerSignature
    }

    /// @notice The terms a merchant publishes.
    struct OfferingTerms {
        /// @dev The deposit token; the zero address is native ETH.
        address token;
        /// @dev Deposit per seat, in the token's smallest unit.
        uint96 depositPerSeat;
        /// @dev Seats available in each slot.
        uint16 seatsPerSlot;
        /// @dev Length of a slot in seconds, at most `MAX_SLOT_LENGTH`; bookings start at
        ///      `firstSlotStart + k * slotLength`.
        uint32 slotLength;
        /// @dev Start of the first slot: the origin of the slot grid (lets a venue align slots to its time zone).
        uint40 firstSlotStart;
        /// @dev A slot can be booked no later than this many seconds before it starts.
        uint32 minLeadTime;
        /// @dev A slot can be booked no earlier than this many seconds before it starts.
        uint32 maxAdvance;
        /// @dev Share refunded to a customer who neither showed up nor disputed, in basis points.
        uint16 noShowRefundBps;
        /// @dev Seconds after a slot ends during which the customer may dispute; settlement waits for it.
        uint32 disputeWindow;
        /// @dev Who resolves disputes; the zero address means the offering has no disputes.
        address arbiter;
        /// @dev Seconds after the dispute window closes within which the arbiter must rule.
        uint32 arbiterTimeout;
        /// @dev What proves attendance.
        CheckInRule checkInRule;
        /// @dev The highest protocol fee, in basis points, at which the offering takes bookings.
        uint16 maxFeeBps;
        /// @dev Refund tiers for customer cancellations, see `CancellationPolicy`.
        CancellationPolicy.Tier[] cancellationTiers;
        /// @dev Name, description, the venue's IANA time zone and opening hours, or a URI to them.
        string metadata;
    }

    /// @notice An offering as stored. The first two slots are all a booking reads; it writes none.
    struct Offering {
        // Slot 0: read by every booking.
        /// @dev See `OfferingTerms`.
        uint16 seatsPerSlot;
        /// @dev See `OfferingTerms`.
        uint32 slotLength;
        /// @dev See `OfferingTerms`.
        uint40 firstSlotStart;
        /// @dev See `OfferingTerms`.
        uint32 minLeadTime;
        /// @dev See `OfferingTerms`.
        uint32 maxAdvance;
        /// @dev See `OfferingTerms`.
        uint32 disputeWindow;
        /// @dev See `OfferingTerms`.
        uint16 noShowRefundBps;
        /// @dev Whether new bookings are accepted; the merchant's only lever after creation.
        bool active;
        /// @dev See `OfferingTerms`.
        uint16 maxFeeBps;
        /// @dev See `OfferingTerms`.
        CheckInRule checkInRule;
        /// @dev The arbiter's lowest 24 address bits: a booking reads the arbiter's own slot only when the
        ///      customer's bits match, so that refusing the arbiter as a customer costs ordinary bookings nothing.
        uint24 arbiterTag;
        // Slot 1: read by every booking.
        /// @dev See `OfferingTerms`.
        address token;
        /// @dev See `OfferingTerms`.
        uint96 depositPerSeat;
        // Slot 2.
        /// @dev The merchant that created the offering.
        address merchant;
        /// @dev See `OfferingTerms`.
        uint32 arbiterTimeout;
        // Slot 3 onwards.
        /// @dev See `OfferingTerms`.
        address arbiter;
        /// @dev See `OfferingTerms`.
        CancellationPolicy.Tier[] cancellationTiers;
        /// @dev See `OfferingTerms`.
        string metadata;
    }

    /// @notice A merchant published an offering.
    /// @param offeringId The new offering's id.
    /// @param merchant The merchant.
    /// @param terms Its terms, immutable from now on.
    event OfferingCreated(uint32 indexed offeringId, address indexed merchant, OfferingTerms terms);

    /// @notice A merchant opened or closed an offering to new bookings.
    /// @param offeringId The offering.
    /// @param active Whether new bookings are accepted.
    event OfferingActiveSet(uint32 indexed offeringId, bool active);

    /// @notice No offering has this id.
    /// @param offeringId The id.
    error OfferingNotFound(uint32 offeringId);

    /// @notice The caller is not the offering's merchant.
    /// @param offeringId The offering.
    /// @param caller The caller.
    error NotOfferingMerchant(uint32 offeringId, address caller);

    /// @notice Deposit per seat, seats per slot or slot length is zero.
    /// @param depositPerSeat The deposit per seat.
    /// @param seatsPerSlot The seats per slot.
    /// @param slotLength The slot length.
    error ZeroTerm(uint96 depositPerSeat, uint16 seatsPerSlot, uint32 slotLength);

    /// @notice The booking window is empty: the latest booking time is before the earliest.
    /// @param minLeadTime The minimum lead time.
    /// @param maxAdvance The maximum advance.
    error InvalidBookingWindow(uint32 minLeadTime, uint32 maxAdvance);

    /// @notice The slot length is above `MAX_SLOT_LENGTH`.
    /// @param slotLength The length asked for.
    /// @param maxSlotLength The longest allowed.
    error SlotTooLong(uint32 slotLength, uint32 maxSlotLength);

    /// @notice The arbiter is the merchant or the merchant's payout address: an arbiter must be independent.
    /// @param arbiter The arbiter given.
    error ArbiterNotIndependent(address arbiter);

    /// @notice A share is above 100 %.
    /// @param bps The share in basis points.
    error ShareAboveWhole(uint256 bps);

    /// @notice There are more cancellation tiers than allowed.
    /// @param count The number of tiers given.
    /// @param maxTiers The most allowed.
    error TooManyTiers(uint256 count, uint256 maxTiers);

    /// @notice A cancellation tier is out of order: `secondsBeforeStart` must strictly decrease and
    ///         `refundBps` must not increase from one tier to the next.
    /// @param index The tier that breaks the order.
    /// @param tier The tier.
    /// @param previous The tier before it.
    error TierOutOfOrder(uint256 index, CancellationPolicy.Tier tier, CancellationPolicy.Tier previous);

    /// @notice The dispute window is longer than `MAX_DISPUTE_WINDOW`.
    /// @param disputeWindow The window asked for.
    /// @param maxDisputeWindow The longest allowed.
    error DisputeWindowTooLong(uint32 disputeWindow, uint32 maxDisputeWindow);

    /// @notice With an arbiter, the timeout must be between 1 second and `MAX_ARBITER_TIMEOUT`.
    /// @param arbiterTimeout The timeout asked for.
    /// @param maxArbiterTimeout The longest allowed.
    error InvalidArbiterTimeout(uint32 arbiterTimeout, uint32 maxArbiterTimeout);

    /// @notice The metadata is longer than `MAX_METADATA_BYTES`.
    /// @param length Its length in bytes.
    /// @param maxLength The longest allowed.
    error MetadataTooLong(uint256 length, uint256 maxLength);

    /// @notice Publishes an offering. Its terms can never change afterwards.
    /// @param terms The terms; see `OfferingTerms`.
    /// @return offeringId The new offering's id.
    function createOffering(OfferingTerms calldata terms) external returns (uint32 offeringId);

    /// @notice Opens or closes an offering to new bookings. Existing bookings are unaffected.
    /// @param offeringId The offering.
    /// @param active Whether new bookings are accepted.
    function setOfferingActive(uint32 offeringId, bool active) external;

    /// @notice An offering's terms and state.
    /// @param offeringId The offering.
    /// @return The stored offering.
    function getOffering(uint32 offeringId) external view returns (Offering memory);

    /// @notice Offerings created so far; ids run from 1 to this number.
    /// @return The count.
    function offeringCount() external view returns (uint32);

    /// @notice Most cancellation tiers an offering may have.
    /// @return The limit.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_TIERS() external view returns (uint256);

    /// @notice Longest slot.
    /// @return The limit, in seconds.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_SLOT_LENGTH() external view returns (uint32);

    /// @notice Longest dispute window after a slot ends.
    /// @return The limit, in seconds.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_DISPUTE_WINDOW() external view returns (uint32);

    /// @notice Longest time an arbiter may take after the dispute window closes.
    /// @return The limit, in seconds.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_ARBITER_TIMEOUT() external view returns (uint32);

    /// @notice Longest metadata string, in bytes.
    /// @return The limit.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_METADATA_BYTES() external view returns (uint256);
}
