// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {CancellationPolicy} from "./libraries/CancellationPolicy.sol";
import {Split} from "./libraries/Split.sol";
import {Coupons} from "./Coupons.sol";
import {OfferingRegistry} from "./OfferingRegistry.sol";
import {Payouts} from "./Payouts.sol";
import {ProtocolConfig} from "./ProtocolConfig.sol";

/// @title EarnestEscrow
/// @notice Holds reservation deposits and settles each one by its offering's published rules: cancellation
///         tiers, check-in, no-show, disputes with an optional arbiter. Merchants claim settled bookings in
///         batches. The owner can pause new bookings and set a capped fee for future ones; no role can move a
///         deposit outside these rules. There is no proxy and no upgrade path.
/// @dev A booking id is `offeringId << 72 | slotStart << 32 | n`, where n counts the slot's bookings from 1: the
///      counter shares its storage word with the slot's seat count, which every booking writes anyway. Each booking
///      is one storage slot; its start comes from its id and its amount from the offering (less a coupon discount).
contract EarnestEscrow is OfferingRegistry, Coupons, Payouts {
    using SafeERC20 for IERC20;

    /// @notice How long before its slot starts a customer can be checked in.
    uint256 public constant CHECK_IN_OPENS_BEFORE_START = 1 hours;

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

    /// @notice A booking as stored: one slot (its offering and start are in its id).
    struct Booking {
        /// @dev Who booked and paid; receives refunds.
        address customer;
        /// @dev Seats booked.
        uint16 seats;
        /// @dev Protocol fee snapshotted at booking time, in basis points.
        uint16 feeBps;
        /// @dev Where the booking stands.
        BookingStatus status;
        /// @dev Whether the merchant checked the customer in.
        bool checkedIn;
        /// @dev Whether a coupon discount applies (kept in `_discounts`).
        bool discounted;
    }

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
        BookingStatus status;
        /// @dev Whether the customer was checked in.
        bool checkedIn;
        /// @dev The deposit held for it.
        uint256 amount;
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

    /// @notice Seats and bookings of one slot of one offering, in one storage word.
    struct SlotState {
        /// @dev Seats held by open or settled bookings (cancellations give theirs back).
        uint16 seatsBooked;
        /// @dev Bookings ever made in the slot; numbers the next booking id.
        uint32 bookingCount;
    }

    /// @dev A claim's merchant totals per token. Parallel arrays of plain values are cheaper to allocate than
    ///      arrays of structs, and a claim allocates them for as many entries as it has bookings.
    struct TokenTotals {
        address[] tokens;
        uint256[] amounts;
        uint256[] fees;
        uint256 count;
    }

    /// @dev A claim's refunds to customers, paid after all its state changes.
    struct Refunds {
        address[] tokens;
        address[] customers;
        uint256[] amounts;
        uint256 count;
    }

    /// @dev Bookings by id.
    mapping(uint256 bookingId => Booking booking) internal _bookings;

    /// @dev Coupon discounts, for bookings whose `discounted` flag is set.
    mapping(uint256 bookingId => uint256 discount) internal _discounts;

    /// @dev Per slot; the key is `offeringId << 40 | slotStart`, the top bits of the slot's booking ids.
    mapping(uint256 offeringSlot => SlotState state) internal _slots;

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

    /// @notice The merchant checked the customer in.
    /// @param bookingId The booking.
    event CheckedIn(uint256 indexed bookingId);

    /// @notice The customer disputed the booking.
    /// @param bookingId The booking.
    event Disputed(uint256 indexed bookingId);

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

    /// @notice A merchant claimed settled bookings; one per token in the batch.
    /// @param merchant The merchant.
    /// @param token The token.
    /// @param payout Where the total went.
    /// @param amount The merchant's total in this token.
    event Claimed(address indexed merchant, address indexed token, address indexed payout, uint256 amount);

    /// @notice The offering does not take bookings now.
    /// @param offeringId The offering.
    error OfferingInactive(uint32 offeringId);

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

    /// @notice Check-in is open from `CHECK_IN_OPENS_BEFORE_START` before the slot until the slot ends.
    /// @param bookingId The booking.
    /// @param opensAt When check-in opens.
    /// @param closesAt When it closes.
    error CheckInClosed(uint256 bookingId, uint256 opensAt, uint256 closesAt);

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

    /// @notice The booking cannot be claimed before its slot and dispute window have passed.
    /// @param bookingId The booking.
    /// @param settlesAt When it can be claimed.
    error NotYetSettled(uint256 bookingId, uint256 settlesAt);

    /// @notice The booking is disputed and the arbiter may still rule.
    /// @param bookingId The booking.
    /// @param deadline When the arbiter's time runs out.
    error DisputeUnresolved(uint256 bookingId, uint256 deadline);

    /// @notice A claim needs at least one booking.
    error NothingToClaim();

    /// @notice Deploys the escrow with its owner and fee settings; the EIP-712 domain is "Earnest", version "1".
    /// @param initialOwner The protocol owner.
    /// @param feeRecipient Receives protocol fees.
    /// @param feeBps The fee for bookings, at most `MAX_FEE_BPS`.
    constructor(
        address initialOwner,
        address feeRecipient,
        uint16 feeBps
    ) ProtocolConfig(initialOwner, feeRecipient, feeBps) EIP712("Earnest", "1") {}

    // ----------------------------------------------------------------------------------------------------------
    // Booking
    // ----------------------------------------------------------------------------------------------------------

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
    ) external payable nonReentrant returns (uint256 bookingId) {
        address token;
        uint256 amount;
        (bookingId, token, amount) = _book(offeringId, slotStart, seats, detailsHash, 0);
        _collect(token, amount);
    }

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
        Coupon calldata coupon,
        bytes calldata signature
    ) external payable nonReentrant returns (uint256 bookingId) {
        address token;
        uint256 amount;
        (bookingId, token, amount) = _bookWithCoupon(offeringId, slotStart, seats, detailsHash, coupon, signature);
        _collect(token, amount);
    }

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
        Coupon calldata coupon,
        bytes calldata couponSignature
    ) external nonReentrant returns (uint256 bookingId) {
        address token;
        uint256 amount;
        if (couponSignature.length == 0) {
            (bookingId, token, amount) = _book(offeringId, slotStart, seats, detailsHash, 0);
        } else {
            (bookingId, token, amount) = _bookWithCoupon(
                offeringId,
                slotStart,
                seats,
                detailsHash,
                coupon,
                couponSignature
            );
        }
        if (token == address(0)) revert PermitForNativeToken(offeringId);
        try
            IERC20Permit(token).permit(
                msg.sender,
                address(this),
                permit.value,
                permit.deadline,
                permit.v,
                permit.r,
                permit.s
            )
        {} catch {
            // A front-run permit was already applied by someone else; the allowance it set still counts.
        }
        uint256 allowance = IERC20(token).allowance(msg.sender, address(this));
        if (allowance < amount) revert InsufficientAllowance(token, allowance, amount);
        _collect(token, amount);
    }

    // ----------------------------------------------------------------------------------------------------------
    // Outcomes
    // ----------------------------------------------------------------------------------------------------------

    /// @notice The customer cancels before the slot starts and gets the policy refund now; the merchant's share
    ///         settles at once. The seats are freed.
    /// @param bookingId The booking.
    function cancel(uint256 bookingId) external nonReentrant {
        Booking memory booking = _bookingOf(bookingId);
        if (msg.sender != booking.customer) revert NotCustomer(bookingId, msg.sender);
        if (booking.status != BookingStatus.Booked) revert WrongStatus(bookingId, booking.status);
        if (booking.checkedIn) revert AlreadyCheckedIn(bookingId);
        uint40 slotStart = _slotStartOf(bookingId);
        if (block.timestamp >= slotStart) revert CancellationClosed(bookingId, slotStart);

        Offering storage offering = _offerings[_offeringIdOf(bookingId)];
        uint256 refundBps = _refundBps(offering, slotStart - block.timestamp);
        _releaseSeats(bookingId, booking);
        (uint256 refund, uint256 merchantShare, uint256 fee) = _settle(
            bookingId,
            booking,
            offering,
            BookingStatus.CustomerCancelled,
            refundBps
        );
        _accrueFee(offering.token, fee);

        _payOrCredit(offering.token, msg.sender, refund);
        _payOrCredit(offering.token, _merchants[offering.merchant].payout, merchantShare);
    }

    /// @notice The merchant cancels an open or disputed booking; the customer gets everything back.
    /// @param bookingId The booking.
    function cancelByMerchant(uint256 bookingId) external nonReentrant {
        Booking memory booking = _bookingOf(bookingId);
        uint32 offeringId = _offeringIdOf(bookingId);
        Offering storage offering = _offerings[offeringId];
        if (msg.sender != offering.merchant) revert NotOfferingMerchant(offeringId, msg.sender);
        if (booking.status != BookingStatus.Booked && booking.status != BookingStatus.Disputed) {
            revert WrongStatus(bookingId, booking.status);
        }

        _releaseSeats(bookingId, booking);
        (uint256 refund, , ) = _settle(bookingId, booking, offering, BookingStatus.MerchantCancelled, Split.BPS);

        _payOrCredit(offering.token, booking.customer, refund);
    }

    /// @notice The merchant checks the customer in, from `CHECK_IN_OPENS_BEFORE_START` before the slot until it
    ///         ends, disputed or not. A checked-in booking settles as fulfilled unless the arbiter rules otherwise.
    /// @param bookingId The booking.
    function checkIn(uint256 bookingId) external {
        Booking memory booking = _bookingOf(bookingId);
        uint32 offeringId = _offeringIdOf(bookingId);
        Offering storage offering = _offerings[offeringId];
        if (msg.sender != offering.merchant) revert NotOfferingMerchant(offeringId, msg.sender);
        // A disputed booking can still be checked in, so that an arbiter's timeout settles it as if undisputed.
        if (booking.status != BookingStatus.Booked && booking.status != BookingStatus.Disputed) {
            revert WrongStatus(bookingId, booking.status);
        }
        if (booking.checkedIn) revert AlreadyCheckedIn(bookingId);
        uint256 slotStart = _slotStartOf(bookingId);
        uint256 opensAt = slotStart - CHECK_IN_OPENS_BEFORE_START;
        uint256 closesAt = slotStart + offering.slotLength;
        if (block.timestamp < opensAt || block.timestamp >= closesAt)
            revert CheckInClosed(bookingId, opensAt, closesAt);

        _bookings[bookingId].checkedIn = true;
        emit CheckedIn(bookingId);
    }

    /// @notice The customer disputes the booking, from the slot's start until its dispute window closes. Only
    ///         offerings with an arbiter take disputes.
    /// @param bookingId The booking.
    function dispute(uint256 bookingId) external {
        Booking memory booking = _bookingOf(bookingId);
        if (msg.sender != booking.customer) revert NotCustomer(bookingId, msg.sender);
        if (booking.status != BookingStatus.Booked) revert WrongStatus(bookingId, booking.status);
        uint32 offeringId = _offeringIdOf(bookingId);
        Offering storage offering = _offerings[offeringId];
        if (offering.arbiter == address(0)) revert NoArbiter(offeringId);
        uint256 slotStart = _slotStartOf(bookingId);
        uint256 closesAt = _settlesAt(bookingId, offering);
        if (block.timestamp < slotStart || block.timestamp >= closesAt) {
            revert DisputeClosed(bookingId, slotStart, closesAt);
        }

        _bookings[bookingId].status = BookingStatus.Disputed;
        emit Disputed(bookingId);
    }

    /// @notice The arbiter rules on a dispute: the customer gets `refundBps` of the amount, the merchant the rest
    ///         less the fee, both at once.
    /// @param bookingId The booking.
    /// @param refundBps The customer's share in basis points.
    function resolve(uint256 bookingId, uint16 refundBps) external nonReentrant {
        Booking memory booking = _bookingOf(bookingId);
        Offering storage offering = _offerings[_offeringIdOf(bookingId)];
        if (msg.sender != offering.arbiter) revert NotArbiter(bookingId, msg.sender);
        if (booking.status != BookingStatus.Disputed) revert WrongStatus(bookingId, booking.status);
        uint256 deadline = _settlesAt(bookingId, offering) + offering.arbiterTimeout;
        if (block.timestamp >= deadline) revert ArbiterTimedOut(bookingId, deadline);
        if (refundBps > Split.BPS) revert ShareAboveWhole(refundBps);

        (uint256 refund, uint256 merchantShare, uint256 fee) = _settle(
            bookingId,
            booking,
            offering,
            BookingStatus.Resolved,
            refundBps
        );
        _accrueFee(offering.token, fee);

        _payOrCredit(offering.token, booking.customer, refund);
        _payOrCredit(offering.token, _merchants[offering.merchant].payout, merchantShare);
    }

    /// @notice The merchant claims bookings whose slot and dispute window have passed (and, if disputed, whose
    ///         arbiter timed out): fulfilled if checked in, no-show otherwise. One transfer per token goes to the
    ///         payout address; no-show refunds go to the customers.
    /// @param bookingIds The bookings, all of the caller's offerings.
    function claim(uint256[] calldata bookingIds) external nonReentrant {
        uint256 count = bookingIds.length;
        if (count == 0) revert NothingToClaim();
        TokenTotals memory totals = TokenTotals(new address[](count), new uint256[](count), new uint256[](count), 0);
        Refunds memory refunds = Refunds(new address[](count), new address[](count), new uint256[](count), 0);

        for (uint256 i; i < count; ++i) {
            (address token, address customer, uint256 refund, uint256 merchantShare, uint256 fee) = _claimOne(
                bookingIds[i]
            );
            if (refund != 0) {
                (refunds.tokens[refunds.count], refunds.customers[refunds.count]) = (token, customer);
                refunds.amounts[refunds.count++] = refund;
            }
            uint256 t;
            while (t < totals.count && totals.tokens[t] != token) ++t;
            if (t == totals.count) totals.tokens[totals.count++] = token;
            totals.amounts[t] += merchantShare;
            totals.fees[t] += fee;
        }

        address payout = _merchants[msg.sender].payout;
        for (uint256 t; t < totals.count; ++t) {
            _accrueFee(totals.tokens[t], totals.fees[t]);
            emit Claimed(msg.sender, totals.tokens[t], payout, totals.amounts[t]);
        }
        for (uint256 t; t < totals.count; ++t) {
            _payOrCredit(totals.tokens[t], payout, totals.amounts[t]);
        }
        for (uint256 r; r < refunds.count; ++r) {
            _payOrCredit(refunds.tokens[r], refunds.customers[r], refunds.amounts[r]);
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------------------------

    /// @notice A booking's full state; status `None` when there is no such booking.
    /// @param bookingId The booking.
    /// @return The booking.
    function getBooking(uint256 bookingId) public view returns (BookingView memory) {
        Booking memory booking = _bookings[bookingId];
        if (booking.status == BookingStatus.None) {
            BookingView memory none;
            none.bookingId = bookingId;
            return none;
        }
        uint32 offeringId = _offeringIdOf(bookingId);
        return
            BookingView({
                bookingId: bookingId,
                offeringId: offeringId,
                customer: booking.customer,
                slotStart: _slotStartOf(bookingId),
                seats: booking.seats,
                feeBps: booking.feeBps,
                status: booking.status,
                checkedIn: booking.checkedIn,
                amount: _amountOf(bookingId, booking, _offerings[offeringId])
            });
    }

    /// @notice Many bookings' full state in one call.
    /// @param bookingIds The bookings.
    /// @return bookings Their states, in the same order.
    function getBookings(uint256[] calldata bookingIds) external view returns (BookingView[] memory bookings) {
        bookings = new BookingView[](bookingIds.length);
        for (uint256 i; i < bookingIds.length; ++i) bookings[i] = getBooking(bookingIds[i]);
    }

    /// @notice The refund the customer would get by cancelling at `timestamp`; zero when it could not be cancelled.
    /// @param bookingId The booking.
    /// @param timestamp The time of the cancellation.
    /// @return The refund, in the offering's token units.
    function refundAt(uint256 bookingId, uint256 timestamp) external view returns (uint256) {
        Booking memory booking = _bookings[bookingId];
        uint40 slotStart = _slotStartOf(bookingId);
        if (booking.status != BookingStatus.Booked || booking.checkedIn || timestamp >= slotStart) return 0;
        Offering storage offering = _offerings[_offeringIdOf(bookingId)];
        uint256 refundBps = _refundBps(offering, slotStart - timestamp);
        (uint256 refund, , ) = Split.split(_amountOf(bookingId, booking, offering), refundBps, booking.feeBps);
        return refund;
    }

    /// @notice Seats still free in a slot.
    /// @param offeringId The offering.
    /// @param slotStart Start of the slot, on the offering's grid.
    /// @return The seats left.
    function seatsLeft(uint32 offeringId, uint40 slotStart) external view returns (uint256) {
        Offering storage offering = _offeringOf(offeringId);
        _requireOnGrid(offering, offeringId, slotStart);
        return offering.seatsPerSlot - _slots[_slotKey(offeringId, slotStart)].seatsBooked;
    }

    // ----------------------------------------------------------------------------------------------------------
    // Internals
    // ----------------------------------------------------------------------------------------------------------

    /// @dev Checks a booking request, records it and returns what the customer owes. Makes no external call.
    function _book(
        uint32 offeringId,
        uint40 slotStart,
        uint16 seats,
        bytes32 detailsHash,
        uint256 discount
    ) private returns (uint256 bookingId, address token, uint256 amount) {
        Config memory config_ = _config;
        if (config_.paused) revert BookingsPaused();
        Offering storage offering = _offerings[offeringId];
        if (!offering.active) {
            if (offering.merchant == address(0)) revert OfferingNotFound(offeringId);
            revert OfferingInactive(offeringId);
        }
        token = offering.token;
        _requireTokenAllowed(token);
        if (seats == 0) revert ZeroSeats();
        _requireBookableSlot(offering, offeringId, slotStart);
        bookingId = _takeSeats(offering, offeringId, slotStart, seats);

        uint256 deposit = uint256(offering.depositPerSeat) * seats;
        if (discount > deposit) revert CouponExceedsDeposit(discount, deposit);
        amount = deposit - discount;
        _bookings[bookingId] = Booking({
            customer: msg.sender,
            seats: seats,
            feeBps: config_.feeBps,
            status: BookingStatus.Booked,
            checkedIn: false,
            discounted: discount != 0
        });
        if (discount != 0) _discounts[bookingId] = discount;
        emit Booked(bookingId, offeringId, msg.sender, slotStart, seats, amount, config_.feeBps, detailsHash);
    }

    /// @dev `_book` with a coupon: checks and counts the coupon, then books at the discounted amount.
    function _bookWithCoupon(
        uint32 offeringId,
        uint40 slotStart,
        uint16 seats,
        bytes32 detailsHash,
        Coupon calldata coupon,
        bytes calldata signature
    ) private returns (uint256 bookingId, address token, uint256 amount) {
        (bytes32 couponDigest, uint256 redemptions) = _redeemCoupon(
            offeringId,
            _offeringOf(offeringId).merchant,
            coupon,
            signature
        );
        (bookingId, token, amount) = _book(offeringId, slotStart, seats, detailsHash, coupon.discount);
        emit CouponRedeemed(couponDigest, bookingId, coupon.discount, redemptions);
    }

    /// @dev Takes the exact payment: ETH as value, or a token by `transferFrom` with a balance-delta check.
    function _collect(address token, uint256 amount) private {
        if (token == address(0)) {
            if (msg.value != amount) revert WrongPayment(amount, msg.value);
            return;
        }
        if (msg.value != 0) revert WrongPayment(0, msg.value);
        uint256 balanceBefore = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - balanceBefore;
        if (received != amount) revert TokenAmountMismatch(token, amount, received);
    }

    /// @dev Reverts unless `slotStart` is on the offering's slot grid.
    function _requireOnGrid(Offering storage offering, uint32 offeringId, uint40 slotStart) private view {
        uint40 firstSlotStart = offering.firstSlotStart;
        uint32 slotLength = offering.slotLength;
        if (slotStart < firstSlotStart || (slotStart - firstSlotStart) % slotLength != 0) {
            revert SlotOffGrid(offeringId, slotStart, firstSlotStart, slotLength);
        }
    }

    /// @dev Reverts unless `slotStart` is on the grid and inside the booking window now.
    function _requireBookableSlot(Offering storage offering, uint32 offeringId, uint40 slotStart) private view {
        _requireOnGrid(offering, offeringId, slotStart);
        uint256 earliest = block.timestamp + offering.minLeadTime;
        uint256 latest = block.timestamp + offering.maxAdvance;
        if (slotStart < earliest || slotStart > latest) {
            revert SlotOutsideBookingWindow(offeringId, slotStart, earliest, latest);
        }
    }

    /// @dev Takes `seats` in the slot and numbers the booking, or reverts when the seats are not there.
    function _takeSeats(
        Offering storage offering,
        uint32 offeringId,
        uint40 slotStart,
        uint16 seats
    ) private returns (uint256 bookingId) {
        uint256 key = _slotKey(offeringId, slotStart);
        SlotState memory slot = _slots[key];
        if (uint256(slot.seatsBooked) + seats > offering.seatsPerSlot) {
            revert SlotFull(offeringId, slotStart, offering.seatsPerSlot - slot.seatsBooked, seats);
        }
        slot.seatsBooked += seats;
        ++slot.bookingCount;
        _slots[key] = slot;
        bookingId = (key << 32) | slot.bookingCount;
    }

    /// @dev Frees a cancelled booking's seats.
    function _releaseSeats(uint256 bookingId, Booking memory booking) private {
        _slots[bookingId >> 32].seatsBooked -= booking.seats;
    }

    /// @dev Settles one booking of the caller's for `claim`; returns the customer's refund and the merchant's share.
    function _claimOne(
        uint256 bookingId
    ) private returns (address token, address customer, uint256 refund, uint256 merchantShare, uint256 fee) {
        Booking memory booking = _bookingOf(bookingId);
        uint32 offeringId = _offeringIdOf(bookingId);
        Offering storage offering = _offerings[offeringId];
        if (msg.sender != offering.merchant) revert NotOfferingMerchant(offeringId, msg.sender);
        if (booking.status != BookingStatus.Booked && booking.status != BookingStatus.Disputed) {
            revert WrongStatus(bookingId, booking.status);
        }
        uint256 settlesAt = _settlesAt(bookingId, offering);
        if (block.timestamp < settlesAt) revert NotYetSettled(bookingId, settlesAt);
        if (booking.status == BookingStatus.Disputed) {
            uint256 deadline = settlesAt + offering.arbiterTimeout;
            if (block.timestamp < deadline) revert DisputeUnresolved(bookingId, deadline);
        }

        (BookingStatus outcome, uint256 refundBps) = booking.checkedIn
            ? (BookingStatus.Fulfilled, 0)
            : (BookingStatus.NoShow, uint256(offering.noShowRefundBps));
        (refund, merchantShare, fee) = _settle(bookingId, booking, offering, outcome, refundBps);
        return (offering.token, booking.customer, refund, merchantShare, fee);
    }

    /// @dev Records a booking's outcome and split. The caller accrues the fee and pays the shares out.
    function _settle(
        uint256 bookingId,
        Booking memory booking,
        Offering storage offering,
        BookingStatus outcome,
        uint256 refundBps
    ) private returns (uint256 customerShare, uint256 merchantShare, uint256 fee) {
        (customerShare, merchantShare, fee) = Split.split(
            _amountOf(bookingId, booking, offering),
            refundBps,
            booking.feeBps
        );
        _bookings[bookingId].status = outcome;
        emit Settled(bookingId, outcome, refundBps, customerShare, merchantShare, fee);
    }

    /// @dev The offering's refund share for a cancellation `secondsBeforeStart` seconds before the start.
    function _refundBps(Offering storage offering, uint256 secondsBeforeStart) private view returns (uint256) {
        return CancellationPolicy.refundBps(offering.cancellationTiers, secondsBeforeStart);
    }

    /// @dev The stored booking; reverts when there is none.
    function _bookingOf(uint256 bookingId) private view returns (Booking memory booking) {
        booking = _bookings[bookingId];
        if (booking.status == BookingStatus.None) revert BookingNotFound(bookingId);
    }

    /// @dev The deposit a booking holds.
    function _amountOf(
        uint256 bookingId,
        Booking memory booking,
        Offering storage offering
    ) private view returns (uint256 amount) {
        amount = uint256(offering.depositPerSeat) * booking.seats;
        if (booking.discounted) amount -= _discounts[bookingId];
    }

    /// @dev When a booking can settle: its slot's end plus the dispute window.
    function _settlesAt(uint256 bookingId, Offering storage offering) private view returns (uint256) {
        return uint256(_slotStartOf(bookingId)) + offering.slotLength + offering.disputeWindow;
    }

    /// @dev The offering a booking id belongs to.
    function _offeringIdOf(uint256 bookingId) private pure returns (uint32) {
        return uint32(bookingId >> 72);
    }

    /// @dev The start of a booking's slot, from its id.
    function _slotStartOf(uint256 bookingId) private pure returns (uint40) {
        return uint40(bookingId >> 32);
    }

    /// @dev The key of a slot in `_seatsBooked`.
    function _slotKey(uint32 offeringId, uint40 slotStart) private pure returns (uint256) {
        return (uint256(offeringId) << 40) | slotStart;
    }
}
