// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICoupons} from "./ICoupons.sol";

/// @title IBookings
/// @notice A booking's life in the escrow: booked and paid, then cancelled, checked in, disputed, ruled on and
///         settled by the offering's published rules. Anyone may settle a booking once it can settle; merchants
///         claim many at once.
/// @dev Implemented by `EarnestEscrow` itself (the hot path). A booking id is
///      `offeringId << 72 | slotStart << 32 | n`, where n counts the slot's bookings from 1.
interface IBookings {
    /// @notice Where a booking stands. Every booking ends in exactly one of the last five.
    enum BookingStatus {
        /// @dev No such booking.
        None,
        /// @dev Paid and open; may be checked in.
        Booked,
        /// @dev The customer disputed; the arbiter rules or times out.
        Disputed,
        /// @dev Cancelled by the customer before the start: policy refund.
        CustomerCancelled,
        /// @dev Cancelled by the merchant: full refund.
        MerchantCancelled,
        /// @dev The arbiter ruled a refund share.
        Resolved,
        /// @dev Checked in, no dispute (or the arbiter timed out): the merchant got everything.
        Fulfilled,
        /// @dev Not checked in, no dispute (or the arbiter timed out): no-show refund share.
        NoShow
    }

    /// @notice An EIP-2612 permit for the booking's token.
    struct Permit {
        /// @dev Allowance granted; at least the booking's amount.
        uint256 value;
        /// @dev The permit's deadline.
        uint256 deadline;
        /// @dev Signature v.
        uint8 v;
        /// @dev Signature r.
        bytes32 r;
        /// @dev Signature s.
        bytes32 s;
    }

    /// @notice A customer booked and paid.
    /// @param bookingId The new booking.
    /// @param offeringId The offering.
    /// @param customer The customer.
    /// @param slotStart Start of the slot.
    /// @param seats Seats booked.
    /// @param amount The deposit paid.
    /// @param feeBps The fee snapshot.
    /// @param detailsHash Commitment to the off-chain details (name, contact, notes) and a random salt.
    event Booked(
        uint256 indexed bookingId,
        uint32 indexed offeringId,
        address indexed customer,
        uint40 slotStart,
        uint16 seats,
        uint256 amount,
        uint16 feeBps,
        bytes32 detailsHash
    );

    /// @notice The customer was checked in.
    /// @param bookingId The booking.
    /// @param by Who submitted the check-in: the merchant or one of its check-in staff.
    /// @param customerSigned True when the customer's signature proved attendance; false for the merchant's word.
    event CheckedIn(uint256 indexed bookingId, address indexed by, bool customerSigned);

    /// @notice The customer disputed the booking.
    /// @param bookingId The booking.
    /// @param reason What the dispute is about, in the customer's words, for the arbiter.
    event Disputed(uint256 indexed bookingId, string reason);

    /// @notice A booking reached its outcome and its amount was split.
    /// @param bookingId The booking.
    /// @param outcome The outcome.
    /// @param refundBps The customer's share that applied, in basis points.
    /// @param customerShare Paid or credited to the customer.
    /// @param merchantShare Paid or credited to the merchant's payout address (for claims, in the `Claimed` total).
    /// @param fee Added to the protocol fees owed.
    event Settled(
        uint256 indexed bookingId,
        BookingStatus indexed outcome,
        uint256 refundBps,
        uint256 customerShare,
        uint256 merchantShare,
        uint256 fee
    );

    /// @notice A merchant's shares of settled bookings were paid: one per token of a claim, one per `settle`.
    /// @param merchant The merchant whose bookings they are.
    /// @param token The token.
    /// @param payout Where the total went.
    /// @param amount The merchant's total in this token.
    event Claimed(address indexed merchant, address indexed token, address indexed payout, uint256 amount);

    /// @notice New bookings are paused.
    error BookingsPaused();

    /// @notice The offering does not take bookings now.
    /// @param offeringId The offering.
    error OfferingInactive(uint32 offeringId);

    /// @notice The protocol fee is above the highest fee the offering accepts.
    /// @param offeringId The offering.
    /// @param feeBps The protocol fee now.
    /// @param maxFeeBps The highest fee the offering accepts.
    error FeeAboveOfferingMaximum(uint32 offeringId, uint16 feeBps, uint16 maxFeeBps);

    /// @notice An offering's arbiter cannot book it.
    /// @param offeringId The offering.
    /// @param arbiter The arbiter.
    error ArbiterCannotBook(uint32 offeringId, address arbiter);

    /// @notice A booking must be for at least one seat.
    error ZeroSeats();

    /// @notice The start is not on the offering's slot grid (`firstSlotStart + k * slotLength`).
    /// @param offeringId The offering.
    /// @param slotStart The start asked for.
    /// @param firstSlotStart The grid's origin.
    /// @param slotLength The grid's step.
    error SlotOffGrid(uint32 offeringId, uint40 slotStart, uint40 firstSlotStart, uint32 slotLength);

    /// @notice The slot is outside the booking window.
    /// @param offeringId The offering.
    /// @param slotStart The start asked for.
    /// @param earliest The earliest start that can be booked now.
    /// @param latest The latest start that can be booked now.
    error SlotOutsideBookingWindow(uint32 offeringId, uint40 slotStart, uint256 earliest, uint256 latest);

    /// @notice Not enough seats left in the slot.
    /// @param offeringId The offering.
    /// @param slotStart The slot.
    /// @param seatsLeft Seats still free.
    /// @param seatsRequested Seats asked for.
    error SlotFull(uint32 offeringId, uint40 slotStart, uint256 seatsLeft, uint16 seatsRequested);

    /// @notice The coupon's discount is more than the deposit.
    /// @param discount The discount.
    /// @param deposit The deposit before the discount.
    error CouponExceedsDeposit(uint256 discount, uint256 deposit);

    /// @notice The ETH sent is not the exact amount due.
    /// @param expected The amount due (zero for a token offering).
    /// @param sent The ETH sent.
    error WrongPayment(uint256 expected, uint256 sent);

    /// @notice The escrow's token balance did not grow by the amount due (e.g. a fee-on-transfer token).
    /// @param token The token.
    /// @param expected The amount due.
    /// @param received What arrived.
    error TokenAmountMismatch(address token, uint256 expected, uint256 received);

    /// @notice After the permit (applied or not), the allowance does not cover the booking.
    /// @param token The token.
    /// @param allowance The allowance.
    /// @param needed The amount due.
    error InsufficientAllowance(address token, uint256 allowance, uint256 needed);

    /// @notice A permit was given for an offering paid in native ETH.
    /// @param offeringId The offering.
    error PermitForNativeToken(uint32 offeringId);

    /// @notice No booking has this id.
    /// @param bookingId The id.
    error BookingNotFound(uint256 bookingId);

    /// @notice Only the booking's customer may do this.
    /// @param bookingId The booking.
    /// @param caller The caller.
    error NotCustomer(uint256 bookingId, address caller);

    /// @notice Only the offering's merchant, or its staff holding `role`, may do this.
    /// @param bookingId The booking.
    /// @param caller The caller.
    /// @param role The staff role that would allow it (zero: the merchant only).
    error NotMerchantOrStaff(uint256 bookingId, address caller, uint8 role);

    /// @notice Only the offering's arbiter may do this.
    /// @param bookingId The booking.
    /// @param caller The caller.
    error NotArbiter(uint256 bookingId, address caller);

    /// @notice The booking's status does not allow this.
    /// @param bookingId The booking.
    /// @param status Its status.
    error WrongStatus(uint256 bookingId, BookingStatus status);

    /// @notice The customer has been checked in already.
    /// @param bookingId The booking.
    error AlreadyCheckedIn(uint256 bookingId);

    /// @notice A customer can cancel only before the slot starts.
    /// @param bookingId The booking.
    /// @param slotStart When the slot started.
    error CancellationClosed(uint256 bookingId, uint40 slotStart);

    /// @notice Check-in is closed: the customer's signature counts from `CHECK_IN_OPENS_BEFORE_START` before the
    ///         slot, the merchant's word from the slot's start, both until the slot ends.
    /// @param bookingId The booking.
    /// @param opensAt When check-in opens.
    /// @param closesAt When it closes.
    error CheckInClosed(uint256 bookingId, uint256 opensAt, uint256 closesAt);

    /// @notice The offering accepts only the customer's signature as proof of attendance.
    /// @param offeringId The offering.
    error CustomerSignatureRequired(uint32 offeringId);

    /// @notice The signature is not the booking's customer's over this check-in, chain and contract.
    /// @param bookingId The booking.
    /// @param customer The customer whose signature was expected.
    error InvalidCheckInSignature(uint256 bookingId, address customer);

    /// @notice A dispute's reason is longer than `MAX_DISPUTE_REASON_BYTES`.
    /// @param length Its length in bytes.
    /// @param maxLength The longest allowed.
    error DisputeReasonTooLong(uint256 length, uint256 maxLength);

    /// @notice The offering has no arbiter, so its bookings cannot be disputed.
    /// @param offeringId The offering.
    error NoArbiter(uint32 offeringId);

    /// @notice A dispute can be opened from the slot's start until its dispute window ends.
    /// @param bookingId The booking.
    /// @param opensAt When disputes open.
    /// @param closesAt When they close.
    error DisputeClosed(uint256 bookingId, uint256 opensAt, uint256 closesAt);

    /// @notice The arbiter's time to rule has passed; the booking settles as if undisputed.
    /// @param bookingId The booking.
    /// @param deadline The end of the arbiter's time.
    error ArbiterTimedOut(uint256 bookingId, uint256 deadline);

    /// @notice The booking cannot settle before its slot and dispute window have passed.
    /// @param bookingId The booking.
    /// @param settlesAt When it can settle.
    error NotYetSettled(uint256 bookingId, uint256 settlesAt);

    /// @notice The booking is disputed and the arbiter may still rule.
    /// @param bookingId The booking.
    /// @param deadline When the arbiter's time runs out.
    error DisputeUnresolved(uint256 bookingId, uint256 deadline);

    /// @notice A claim needs at least one booking.
    error NothingToClaim();

    /// @notice Books `seats` in the slot starting at `slotStart` and pays the deposit: the exact ETH as value, or
    ///         the token through an existing allowance.
    /// @param offeringId The offering.
    /// @param slotStart Start of the slot, on the offering's grid and inside its booking window.
    /// @param seats Seats to book.
    /// @param detailsHash Commitment to the off-chain booking details and a random salt; no personal data on-chain.
    /// @return bookingId The new booking.
    function book(
        uint32 offeringId,
        uint40 slotStart,
        uint16 seats,
        bytes32 detailsHash
    ) external payable returns (uint256 bookingId);

    /// @notice Like `book`, with a merchant-signed coupon taking `coupon.discount` off the deposit.
    /// @param offeringId The offering.
    /// @param slotStart Start of the slot.
    /// @param seats Seats to book.
    /// @param detailsHash Commitment to the off-chain booking details.
    /// @param coupon The coupon.
    /// @param signature The merchant's EIP-712 signature over `coupon`.
    /// @return bookingId The new booking.
    function bookWithCoupon(
        uint32 offeringId,
        uint40 slotStart,
        uint16 seats,
        bytes32 detailsHash,
        ICoupons.Coupon calldata coupon,
        bytes calldata signature
    ) external payable returns (uint256 bookingId);

    /// @notice Like `book` for a token offering, approving the escrow by EIP-2612 permit in the same transaction.
    ///         If the permit fails (e.g. someone front-ran it), the booking goes ahead on the existing allowance;
    ///         either way an allowance short of the amount gives `InsufficientAllowance`.
    /// @param offeringId The offering.
    /// @param slotStart Start of the slot.
    /// @param seats Seats to book.
    /// @param detailsHash Commitment to the off-chain booking details.
    /// @param permit The permit.
    /// @param coupon A coupon, used only when `couponSignature` is not empty.
    /// @param couponSignature The merchant's signature over `coupon`, or empty for no coupon.
    /// @return bookingId The new booking.
    function bookWithPermit(
        uint32 offeringId,
        uint40 slotStart,
        uint16 seats,
        bytes32 detailsHash,
        Permit calldata permit,
        ICoupons.Coupon calldata coupon,
        bytes calldata couponSignature
    ) external returns (uint256 bookingId);

    /// @notice The customer cancels before the slot starts and gets the policy refund now; the merchant's share
    ///         settles at once. The seats are freed.
    /// @param bookingId The booking.
    function cancel(uint256 bookingId) external;

    /// @notice The merchant, or its staff with the cancel role, cancels an open or disputed booking; the customer
    ///         gets everything back.
    /// @param bookingId The booking.
    function cancelByMerchant(uint256 bookingId) external;

    /// @notice The merchant's word: the merchant or its check-in staff checks the customer in, from the slot's start
    ///         until it ends, so it can never take away a cancellation the policy still offers. Refused on a
    ///         disputed booking and on an offering whose rule is the customer's signature.
    /// @param bookingId The booking.
    function checkIn(uint256 bookingId) external;

    /// @notice The merchant or its check-in staff submits the customer's signed check-in (EIP-712 `CheckIn`, see
    ///         `hashCheckIn`; ERC-1271 for contract wallets), from `CHECK_IN_OPENS_BEFORE_START` before the slot
    ///         until it ends. The customer chose it, so it ends their right to cancel. Refused on a disputed booking.
    /// @param bookingId The booking.
    /// @param signature The customer's signature over `hashCheckIn(bookingId)`.
    function checkInWithSignature(uint256 bookingId, bytes calldata signature) external;

    /// @notice The customer disputes the booking, from the slot's start until its dispute window closes. Only
    ///         offerings with an arbiter take disputes. Check-in is frozen from then on: if the arbiter times out,
    ///         the booking settles by its check-in state at the time of the dispute.
    /// @param bookingId The booking.
    /// @param reason What it is about, for the arbiter; at most `MAX_DISPUTE_REASON_BYTES` bytes.
    function dispute(uint256 bookingId, string calldata reason) external;

    /// @notice The arbiter rules on a dispute: the customer gets `refundBps` of the amount, the merchant the rest
    ///         less the fee, both at once.
    /// @param bookingId The booking.
    /// @param refundBps The customer's share in basis points.
    function resolve(uint256 bookingId, uint16 refundBps) external;

    /// @notice Anyone settles a booking whose slot and dispute window have passed (and, if disputed, whose arbiter
    ///         timed out): fulfilled if checked in, no-show otherwise. The customer's share goes to the customer, the
    ///         merchant's to its payout address, each pushed or credited, so no one waits on the merchant.
    /// @param bookingId The booking.
    function settle(uint256 bookingId) external;

    /// @notice The merchant claims bookings that can settle, as `settle` would, with one transfer per token to the
    ///         payout address; customers' shares go to the customers. Bookings already settled (by anyone) are
    ///         skipped, so a front-run `settle` cannot fail the batch.
    /// @param bookingIds The bookings, all of the caller's offerings.
    function claim(uint256[] calldata bookingIds) external;

    /// @notice The EIP-712 digest a customer signs to check in ("I am here"): `CheckIn(uint256 bookingId)`, bound to
    ///         this chain and this contract.
    /// @param bookingId The booking.
    /// @return The digest.
    function hashCheckIn(uint256 bookingId) external view returns (bytes32);

    /// @notice The EIP-712 type hash of a customer's check-in, `CheckIn(uint256 bookingId)`.
    /// @return The type hash.
    // solhint-disable-next-line func-name-mixedcase
    function CHECK_IN_TYPEHASH() external view returns (bytes32);

    /// @notice How long before its slot starts a customer's signed check-in counts.
    /// @return The lead time, in seconds.
    // solhint-disable-next-line func-name-mixedcase
    function CHECK_IN_OPENS_BEFORE_START() external view returns (uint256);

    /// @notice Longest dispute reason, in bytes.
    /// @return The limit.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_DISPUTE_REASON_BYTES() external view returns (uint256);

    /// @notice The contract that runs the escrow's rarely used entry points (registries, configuration, staff,
    ///         views) in the escrow's storage; created by the escrow's constructor, never replaced.
    /// @return The extension's address.
    function extension() external view returns (address);
}
