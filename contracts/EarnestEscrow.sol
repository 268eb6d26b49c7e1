// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {CancellationPolicy} from "./libraries/CancellationPolicy.sol";
import {Split} from "./libraries/Split.sol";
import {IEarnestEscrow} from "./interfaces/IEarnestEscrow.sol";
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
///      The external surface (types, events, errors, NatSpec) is `IEarnestEscrow`; the types here are storage and
///      scratch layouts that never cross the ABI.
contract EarnestEscrow is OfferingRegistry, Coupons, Payouts, IEarnestEscrow {
    using SafeERC20 for IERC20;

    /// @inheritdoc IEarnestEscrow
    uint256 public constant CHECK_IN_OPENS_BEFORE_START = 1 hours;

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
        /// @dev The distinct tokens seen so far; entries from `count` on are unused.
        address[] tokens;
        /// @dev The merchant's total per token, same index as `tokens`.
        uint256[] amounts;
        /// @dev The protocol fees per token, same index as `tokens`.
        uint256[] fees;
        /// @dev Entries in use.
        uint256 count;
    }

    /// @dev A claim's refunds to customers, paid after all its state changes.
    struct Refunds {
        /// @dev Each refund's token.
        address[] tokens;
        /// @dev Each refund's customer.
        address[] customers;
        /// @dev Each refund's amount, same index as `tokens` and `customers`.
        uint256[] amounts;
        /// @dev Entries in use.
        uint256 count;
    }

    /// @dev Bookings by id.
    mapping(uint256 bookingId => Booking booking) internal _bookings;

    /// @dev Coupon discounts, for bookings whose `discounted` flag is set.
    mapping(uint256 bookingId => uint256 discount) internal _discounts;

    /// @dev Per slot; the key is `offeringId << 40 | slotStart`, the top bits of the slot's booking ids.
    mapping(uint256 offeringSlot => SlotState state) internal _slots;

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

    /// @inheritdoc IEarnestEscrow
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

    /// @inheritdoc IEarnestEscrow
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

    /// @inheritdoc IEarnestEscrow
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

    /// @inheritdoc IEarnestEscrow
    function cancel(uint256 bookingId) external nonReentrant {
        Booking memory booking = _bookingForCustomer(bookingId);
        if (booking.checkedIn) revert AlreadyCheckedIn(bookingId);
        uint40 slotStart = _slotStartOf(bookingId);
        if (block.timestamp >= slotStart) revert CancellationClosed(bookingId, slotStart);

        Offering storage offering = _offerings[_offeringIdOf(bookingId)];
        uint256 refundBps = _refundBps(offering, slotStart - block.timestamp);
        _releaseSeats(bookingId, booking);
        _settleAndPay(bookingId, booking, offering, BookingStatus.CustomerCancelled, refundBps);
    }

    /// @inheritdoc IEarnestEscrow
    function cancelByMerchant(uint256 bookingId) external nonReentrant {
        (Booking memory booking, Offering storage offering) = _bookingForMerchant(bookingId);

        _releaseSeats(bookingId, booking);
        (uint256 refund, , ) = _settle(bookingId, booking, offering, BookingStatus.MerchantCancelled, Split.BPS);

        _payOrCredit(offering.token, booking.customer, refund);
    }

    /// @inheritdoc IEarnestEscrow
    function checkIn(uint256 bookingId) external {
        // A disputed booking can still be checked in, so that an arbiter's timeout settles it as if undisputed.
        (Booking memory booking, Offering storage offering) = _bookingForMerchant(bookingId);
        if (booking.checkedIn) revert AlreadyCheckedIn(bookingId);
        uint256 slotStart = _slotStartOf(bookingId);
        uint256 opensAt = slotStart - CHECK_IN_OPENS_BEFORE_START;
        uint256 closesAt = slotStart + offering.slotLength;
        if (block.timestamp < opensAt || block.timestamp >= closesAt)
            revert CheckInClosed(bookingId, opensAt, closesAt);

        _bookings[bookingId].checkedIn = true;
        emit CheckedIn(bookingId);
    }

    /// @inheritdoc IEarnestEscrow
    function dispute(uint256 bookingId) external {
        _bookingForCustomer(bookingId);
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

    /// @inheritdoc IEarnestEscrow
    function resolve(uint256 bookingId, uint16 refundBps) external nonReentrant {
        (Booking memory booking, Offering storage offering) = _bookingForArbiter(bookingId);
        uint256 deadline = _settlesAt(bookingId, offering) + offering.arbiterTimeout;
        if (block.timestamp >= deadline) revert ArbiterTimedOut(bookingId, deadline);
        if (refundBps > Split.BPS) revert ShareAboveWhole(refundBps);

        _settleAndPay(bookingId, booking, offering, BookingStatus.Resolved, refundBps);
    }

    /// @inheritdoc IEarnestEscrow
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

    /// @inheritdoc IEarnestEscrow
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

    /// @inheritdoc IEarnestEscrow
    function getBookings(uint256[] calldata bookingIds) external view returns (BookingView[] memory bookings) {
        bookings = new BookingView[](bookingIds.length);
        for (uint256 i; i < bookingIds.length; ++i) bookings[i] = getBooking(bookingIds[i]);
    }

    /// @inheritdoc IEarnestEscrow
    function refundAt(uint256 bookingId, uint256 timestamp) external view returns (uint256) {
        Booking memory booking = _bookings[bookingId];
        uint40 slotStart = _slotStartOf(bookingId);
        if (booking.status != BookingStatus.Booked || booking.checkedIn || timestamp >= slotStart) return 0;
        Offering storage offering = _offerings[_offeringIdOf(bookingId)];
        uint256 refundBps = _refundBps(offering, slotStart - timestamp);
        (uint256 refund, , ) = Split.split(_amountOf(bookingId, booking, offering), refundBps, booking.feeBps);
        return refund;
    }

    /// @inheritdoc IEarnestEscrow
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
        (Booking memory booking, Offering storage offering) = _bookingForMerchant(bookingId);
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

    /// @dev Settles a booking that pays out at once (a customer cancellation or a ruling): records the outcome,
    ///      accrues the fee, then pays the customer's refund and the merchant's share, each pushed or credited.
    function _settleAndPay(
        uint256 bookingId,
        Booking memory booking,
        Offering storage offering,
        BookingStatus outcome,
        uint256 refundBps
    ) private {
        (uint256 refund, uint256 merchantShare, uint256 fee) = _settle(
            bookingId,
            booking,
            offering,
            outcome,
            refundBps
        );
        address token = offering.token;
        _accrueFee(token, fee);

        _payOrCredit(token, booking.customer, refund);
        _payOrCredit(token, _merchants[offering.merchant].payout, merchantShare);
    }

    /// @dev The offering's refund share for a cancellation `secondsBeforeStart` seconds before the start.
    function _refundBps(Offering storage offering, uint256 secondsBeforeStart) private view returns (uint256) {
        return CancellationPolicy.refundBps(offering.cancellationTiers, secondsBeforeStart);
    }

    // Each outcome loads its booking through the loader of the caller's role, which checks, in this order, that the
    // booking exists, that the caller holds the role and that the status allows the action. The checks live in the
    // loaders, not in one helper each: the optimizer inlines only branch-free functions, so a helper per check would
    // be a call of its own, about 30 gas per check on every claimed booking.

    /// @dev The booking, for its customer, while booked (open, undisputed). Reverts with `BookingNotFound`,
    ///      `NotCustomer` or `WrongStatus`.
    function _bookingForCustomer(uint256 bookingId) private view returns (Booking memory booking) {
        booking = _bookings[bookingId];
        if (booking.status == BookingStatus.None) revert BookingNotFound(bookingId);
        if (msg.sender != booking.customer) revert NotCustomer(bookingId, msg.sender);
        if (booking.status != BookingStatus.Booked) revert WrongStatus(bookingId, booking.status);
    }

    /// @dev The booking and its offering, for the offering's merchant, while open (booked or disputed). Reverts with
    ///      `BookingNotFound`, `NotOfferingMerchant` or `WrongStatus`.
    function _bookingForMerchant(
        uint256 bookingId
    ) private view returns (Booking memory booking, Offering storage offering) {
        offering = _offerings[_offeringIdOf(bookingId)];
        booking = _bookings[bookingId];
        if (booking.status == BookingStatus.None) revert BookingNotFound(bookingId);
        if (msg.sender != offering.merchant) revert NotOfferingMerchant(_offeringIdOf(bookingId), msg.sender);
        if (booking.status != BookingStatus.Booked && booking.status != BookingStatus.Disputed) {
            revert WrongStatus(bookingId, booking.status);
        }
    }

    /// @dev The booking and its offering, for the offering's arbiter, while disputed. Reverts with
    ///      `BookingNotFound`, `NotArbiter` or `WrongStatus`.
    function _bookingForArbiter(
        uint256 bookingId
    ) private view returns (Booking memory booking, Offering storage offering) {
        offering = _offerings[_offeringIdOf(bookingId)];
        booking = _bookings[bookingId];
        if (booking.status == BookingStatus.None) revert BookingNotFound(bookingId);
        if (msg.sender != offering.arbiter) revert NotArbiter(bookingId, msg.sender);
        if (booking.status != BookingStatus.Disputed) revert WrongStatus(bookingId, booking.status);
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
