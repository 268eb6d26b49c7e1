// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Split} from "./libraries/Split.sol";
import {StaffRoles} from "./libraries/StaffRoles.sol";
import {IBookings} from "./interfaces/IBookings.sol";
import {IERC3009} from "./interfaces/IERC3009.sol";
import {ISignedBookings} from "./interfaces/ISignedBookings.sol";
import {IOfferingRegistry} from "./interfaces/IOfferingRegistry.sol";
import {IProtocolConfig} from "./interfaces/IProtocolConfig.sol";
import {Coupons} from "./Coupons.sol";
import {EscrowExtension} from "./EscrowExtension.sol";
import {EscrowState} from "./EscrowState.sol";
import {Payouts} from "./Payouts.sol";

/// @title EarnestEscrow
/// @notice Holds reservation deposits and settles each one by its offering's published rules: cancellation
///         tiers, check-in, no-show, disputes with an optional arbiter. Anyone settles a booking once it can
///         settle; merchants claim settled bookings in batches and work through staff. The owner can pause new
///         bookings and set a capped fee for future ones; no role can move a deposit outside these rules. There is
///         no proxy and no upgrade path.
/// @dev The whole surface at this address is `IEarnestEscrow`. This contract runs the hot path (booking, outcomes,
///      payouts, coupons, ownership); every other selector reaches its fallback, which runs `EscrowExtension` (created
///      here, immutable) by delegatecall in this contract's storage. A booking id is
///      `offeringId << 72 | slotStart << 32 | n`, where n counts the slot's bookings from 1: the counter shares its
///      storage word with the slot's seat count, which every booking writes anyway. Each booking is one storage
///      slot; its start comes from its id and its amount from the offering (less a coupon discount).
contract EarnestEscrow is EscrowState, Payouts, Coupons, Ownable2Step, IBookings, ISignedBookings {
    using SafeERC20 for IERC20;

    /// @inheritdoc IBookings
    uint256 public constant CHECK_IN_OPENS_BEFORE_START = 1 hours;

    /// @inheritdoc IBookings
    uint256 public constant MAX_DISPUTE_REASON_BYTES = 280;

    /// @inheritdoc IBookings
    bytes32 public constant CHECK_IN_TYPEHASH = keccak256("CheckIn(uint256 bookingId)");

    /// @inheritdoc ISignedBookings
    bytes32 public constant BOOKING_INTENT_TYPEHASH = keccak256(
        "BookingIntent(address customer,uint32 offeringId,uint40 slotStart,uint16 seats,bytes32 detailsHash,"
        "bytes32 couponDigest,bytes32 nonce,uint40 deadline)"
    );

    /// @inheritdoc IBookings
    // solhint-disable-next-line immutable-vars-naming
    address public immutable extension;

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

    /// @notice Deploys the escrow and its extension with the owner and fee settings; the EIP-712 domain is
    ///         "Earnest", version "2".
    /// @param initialOwner The protocol owner.
    /// @param feeRecipient Receives protocol fees.
    /// @param feeBps The fee for bookings, at most `MAX_FEE_BPS`.
    constructor(
        address initialOwner,
        address feeRecipient,
        uint16 feeBps
    ) Ownable(initialOwner) EIP712("Earnest", "2") {
        _setFeeRecipient(feeRecipient);
        _setFee(feeBps);
        extension = address(new EscrowExtension());
    }

    /// @notice Runs every selector this contract does not have (registries, configuration, staff, views; see
    ///         `IEarnestEscrow`) in `extension`, in this contract's storage, and returns or reverts as it did.
    ///         Takes no ETH.
    // A fixed delegatecall and nothing else: the rule's concern (logic hidden in a fallback) does not apply.
    // solhint-disable-next-line no-complex-fallback
    fallback() external {
        address target = extension;
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), target, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) {
                revert(0, returndatasize())
            }
            return(0, returndatasize())
        }
    }

    /// @notice Always reverts: ownership can be handed over (two steps) but not given up.
    function renounceOwnership() public view override onlyOwner {
        revert IProtocolConfig.RenounceDisabled();
    }

    // ----------------------------------------------------------------------------------------------------------
    // Booking
    // ----------------------------------------------------------------------------------------------------------

    /// @inheritdoc IBookings
    function book(
        uint32 offeringId,
        uint40 slotStart,
        uint16 seats,
        bytes32 detailsHash
    ) external payable nonReentrant returns (uint256 bookingId) {
        address token;
        uint256 amount;
        (bookingId, token, amount) = _book(msg.sender, offeringId, slotStart, seats, detailsHash, 0);
        _collect(token, amount);
    }

    /// @inheritdoc IBookings
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
        (bookingId, token, amount) = _bookWithCoupon(
            msg.sender,
            offeringId,
            slotStart,
            seats,
            detailsHash,
            coupon,
            signature
        );
        _collect(token, amount);
    }

    /// @inheritdoc IBookings
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
            (bookingId, token, amount) = _book(msg.sender, offeringId, slotStart, seats, detailsHash, 0);
        } else {
            (bookingId, token, amount) = _bookWithCoupon(
                msg.sender,
                offeringId,
                slotStart,
                seats,
                detailsHash,
                coupon,
                couponSignature
            );
        }
        if (token == address(0)) revert PermitForNativeToken(offeringId);
        _collectWithPermit(token, msg.sender, amount, permit);
    }

    // ----------------------------------------------------------------------------------------------------------
    // Signed bookings
    // ----------------------------------------------------------------------------------------------------------

    /// @inheritdoc ISignedBookings
    function bookWithSignature(
        BookingIntent calldata intent,
        bytes calldata signature,
        Permit calldata permit,
        Coupon calldata coupon,
        bytes calldata couponSignature
    ) external nonReentrant returns (uint256 bookingId) {
        bytes32 intentDigest = hashBookingIntent(intent);
        address customer = intent.customer;
        if (!SignatureChecker.isValidSignatureNow(customer, intentDigest, signature)) {
            revert InvalidBookingSignature(intentDigest, customer);
        }
        address token;
        uint256 amount;
        (bookingId, token, amount) = _bookSigned(intent, coupon, couponSignature);
        if (token == address(0)) revert PermitForNativeToken(intent.offeringId);
        _collectWithPermit(token, customer, amount, permit);
    }

    /// @inheritdoc ISignedBookings
    function bookWithAuthorization(
        BookingIntent calldata intent,
        bytes calldata authorization,
        Coupon calldata coupon,
        bytes calldata couponSignature
    ) external nonReentrant returns (uint256 bookingId) {
        address token;
        uint256 amount;
        (bookingId, token, amount) = _bookSigned(intent, coupon, couponSignature);
        if (token == address(0)) revert AuthorizationForNativeToken(intent.offeringId);

        _receiveAuthorized(token, intent, amount, authorization);
    }

    /// @inheritdoc ISignedBookings
    function hashBookingIntent(BookingIntent calldata intent) public view returns (bytes32) {
        // Every field is a static type, so the ABI encoding of the struct is its EIP-712 encoding.
        return _hashTypedDataV4(keccak256(abi.encode(BOOKING_INTENT_TYPEHASH, intent)));
    }

    /// @inheritdoc ISignedBookings
    function bookingNonceUsed(address customer, bytes32 nonce) external view returns (bool) {
        return _bookingNonces[customer][nonce];
    }

    // ----------------------------------------------------------------------------------------------------------
    // Outcomes
    // ----------------------------------------------------------------------------------------------------------

    /// @inheritdoc IBookings
    function cancel(uint256 bookingId) external nonReentrant {
        Booking memory booking = _bookingForCustomer(bookingId);
        if (booking.checkedIn) revert AlreadyCheckedIn(bookingId);
        uint40 slotStart = _slotStartOf(bookingId);
        if (block.timestamp >= slotStart) revert CancellationClosed(bookingId, slotStart);

        IOfferingRegistry.Offering storage offering = _offerings[_offeringIdOf(bookingId)];
        uint256 refundBps = _refundBps(offering, slotStart - block.timestamp);
        _releaseSeats(bookingId, booking);
        _settleAndPay(bookingId, booking, offering, BookingStatus.CustomerCancelled, refundBps);
    }

    /// @inheritdoc IBookings
    function cancelByMerchant(uint256 bookingId) external nonReentrant {
        (Booking memory booking, IOfferingRegistry.Offering storage offering) = _bookingForMerchant(
            bookingId,
            StaffRoles.STAFF_CANCEL
        );

        _releaseSeats(bookingId, booking);
        (uint256 refund, , ) = _settle(bookingId, booking, offering, BookingStatus.MerchantCancelled, Split.BPS);

        _payOrCredit(offering.token, booking.customer, refund);
    }

    /// @inheritdoc IBookings
    function checkIn(uint256 bookingId) external {
        (Booking memory booking, IOfferingRegistry.Offering storage offering) = _bookingForCheckIn(bookingId);
        if (offering.checkInRule == IOfferingRegistry.CheckInRule.CustomerSignature) {
            revert CustomerSignatureRequired(_offeringIdOf(bookingId));
        }
        _checkIn(bookingId, booking, offering, 0, false);
    }

    /// @inheritdoc IBookings
    function checkInWithSignature(uint256 bookingId, bytes calldata signature) external {
        (Booking memory booking, IOfferingRegistry.Offering storage offering) = _bookingForCheckIn(bookingId);
        if (!SignatureChecker.isValidSignatureNow(booking.customer, hashCheckIn(bookingId), signature)) {
            revert InvalidCheckInSignature(bookingId, booking.customer);
        }
        _checkIn(bookingId, booking, offering, CHECK_IN_OPENS_BEFORE_START, true);
    }

    /// @inheritdoc IBookings
    function dispute(uint256 bookingId, string calldata reason) external {
        _bookingForCustomer(bookingId);
        uint32 offeringId = _offeringIdOf(bookingId);
        IOfferingRegistry.Offering storage offering = _offerings[offeringId];
        if (offering.arbiter == address(0)) revert NoArbiter(offeringId);
        uint256 slotStart = _slotStartOf(bookingId);
        uint256 closesAt = _settlesAt(bookingId, offering);
        if (block.timestamp < slotStart || block.timestamp >= closesAt) {
            revert DisputeClosed(bookingId, slotStart, closesAt);
        }
        if (bytes(reason).length > MAX_DISPUTE_REASON_BYTES) {
            revert DisputeReasonTooLong(bytes(reason).length, MAX_DISPUTE_REASON_BYTES);
        }

        _bookings[bookingId].status = BookingStatus.Disputed;
        emit Disputed(bookingId, reason);
    }

    /// @inheritdoc IBookings
    function resolve(uint256 bookingId, uint16 refundBps) external nonReentrant {
        (Booking memory booking, IOfferingRegistry.Offering storage offering) = _bookingForArbiter(bookingId);
        uint256 deadline = _settlesAt(bookingId, offering) + offering.arbiterTimeout;
        if (block.timestamp >= deadline) revert ArbiterTimedOut(bookingId, deadline);
        if (refundBps > Split.BPS) revert IOfferingRegistry.ShareAboveWhole(refundBps);

        _settleAndPay(bookingId, booking, offering, BookingStatus.Resolved, refundBps);
    }

    /// @inheritdoc IBookings
    function settle(uint256 bookingId) external nonReentrant {
        Booking memory booking = _bookings[bookingId];
        if (booking.status == BookingStatus.None) revert BookingNotFound(bookingId);
        if (booking.status != BookingStatus.Booked && booking.status != BookingStatus.Disputed) {
            revert WrongStatus(bookingId, booking.status);
        }
        IOfferingRegistry.Offering storage offering = _offerings[_offeringIdOf(bookingId)];
        (uint256 refund, uint256 merchantShare, uint256 fee) = _settleDue(bookingId, booking, offering);

        address token = offering.token;
        address merchant = offering.merchant;
        address payout = _merchants[merchant].payout;
        _accrueFee(token, fee);
        emit Claimed(merchant, token, payout, merchantShare);
        _payOrCredit(token, booking.customer, refund);
        _payOrCredit(token, payout, merchantShare);
    }

    /// @inheritdoc IBookings
    function claim(uint256[] calldata bookingIds) external nonReentrant {
        uint256 count = bookingIds.length;
        if (count == 0) revert NothingToClaim();
        TokenTotals memory totals = TokenTotals(new address[](count), new uint256[](count), new uint256[](count), 0);
        Refunds memory refunds = Refunds(new address[](count), new address[](count), new uint256[](count), 0);

        for (uint256 i; i < count; ++i) {
            uint256 bookingId = bookingIds[i];
            Booking memory booking = _bookings[bookingId];
            // Settled already (by anyone's `settle`): nothing left to claim, and no reason to fail the batch.
            if (booking.status > BookingStatus.Disputed) continue;
            IOfferingRegistry.Offering storage offering = _offerings[_offeringIdOf(bookingId)];
            if (booking.status == BookingStatus.None) revert BookingNotFound(bookingId);
            if (msg.sender != offering.merchant) revert NotMerchantOrStaff(bookingId, msg.sender, 0);
            (uint256 refund, uint256 merchantShare, uint256 fee) = _settleDue(bookingId, booking, offering);

            address token = offering.token;
            if (refund != 0) {
                (refunds.tokens[refunds.count], refunds.customers[refunds.count]) = (token, booking.customer);
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

    /// @inheritdoc IBookings
    function hashCheckIn(uint256 bookingId) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(CHECK_IN_TYPEHASH, bookingId)));
    }

    // ----------------------------------------------------------------------------------------------------------
    // Internals
    // ----------------------------------------------------------------------------------------------------------

    /// @dev Checks a booking request for `customer`, records it and returns what is owed. Makes no external call.
    function _book(
        address customer,
        uint32 offeringId,
        uint40 slotStart,
        uint16 seats,
        bytes32 detailsHash,
        uint256 discount
    ) private returns (uint256 bookingId, address token, uint256 amount) {
        IProtocolConfig.Config memory config_ = _config;
        if (config_.paused) revert BookingsPaused();
        IOfferingRegistry.Offering storage offering = _offerings[offeringId];
        if (!offering.active) {
            if (offering.merchant == address(0)) revert IOfferingRegistry.OfferingNotFound(offeringId);
            revert OfferingInactive(offeringId);
        }
        if (config_.feeBps > offering.maxFeeBps) {
            revert FeeAboveOfferingMaximum(offeringId, config_.feeBps, offering.maxFeeBps);
        }
        // The tag is in a slot a booking reads anyway; the arbiter's own slot is read only when the tag matches.
        if (uint24(uint160(customer)) == offering.arbiterTag && customer == offering.arbiter) {
            revert ArbiterCannotBook(offeringId, customer);
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
            customer: customer,
            seats: seats,
            feeBps: config_.feeBps,
            status: BookingStatus.Booked,
            checkedIn: false,
            discounted: discount != 0
        });
        if (discount != 0) _discounts[bookingId] = discount;
        emit Booked(bookingId, offeringId, customer, slotStart, seats, amount, config_.feeBps, detailsHash);
    }

    /// @dev `_book` with a coupon: checks and counts the coupon, then books at the discounted amount.
    function _bookWithCoupon(
        address customer,
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
            customer,
            coupon,
            signature
        );
        (bookingId, token, amount) = _book(customer, offeringId, slotStart, seats, detailsHash, coupon.discount);
        emit CouponRedeemed(couponDigest, bookingId, coupon.discount, redemptions);
    }

    /// @dev Takes the exact payment: ETH as value, or a token by `transferFrom` with a balance-delta check.
    function _collect(address token, uint256 amount) private {
        if (token == address(0)) {
            if (msg.value != amount) revert WrongPayment(amount, msg.value);
            return;
        }
        if (msg.value != 0) revert WrongPayment(0, msg.value);
        // `_pullToken`'s body, inline: an internal call here would cost every ordinary token booking its jumps.
        uint256 balanceBefore = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - balanceBefore;
        if (received != amount) revert TokenAmountMismatch(token, amount, received);
    }

    /// @dev Applies `permit` (unless its deadline is zero) and takes `amount` of `token` from `payer`. A permit that
    ///      fails is ignored: when someone front-ran it, the allowance it set still counts.
    function _collectWithPermit(address token, address payer, uint256 amount, Permit calldata permit) private {
        if (permit.deadline != 0) {
            try
                IERC20Permit(token).permit(
                    payer,
                    address(this),
                    permit.value,
                    permit.deadline,
                    permit.v,
                    permit.r,
                    permit.s
                )
            {} catch {
                // Applied by someone else already, or invalid: the allowance check below decides.
            }
        }
        uint256 allowance = IERC20(token).allowance(payer, address(this));
        if (allowance < amount) revert InsufficientAllowance(token, allowance, amount);
        _pullToken(token, payer, amount);
    }

    /// @dev Takes `amount` of `token` from `payer` by `transferFrom`, with a balance-delta check.
    function _pullToken(address token, address payer, uint256 amount) private {
        uint256 balanceBefore = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(payer, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - balanceBefore;
        if (received != amount) revert TokenAmountMismatch(token, amount, received);
    }

    /// @dev Takes `amount` of `token` by the customer's ERC-3009 authorization, with a balance-delta check. The
    ///      authorization's nonce is the intent's digest: the token accepts the customer's signature only for this
    ///      very intent, so nobody can spend it on another booking.
    function _receiveAuthorized(
        address token,
        BookingIntent calldata intent,
        uint256 amount,
        bytes calldata authorization
    ) private {
        bytes32 nonce = hashBookingIntent(intent);
        address customer = intent.customer;
        uint256 balanceBefore = IERC20(token).balanceOf(address(this));
        if (customer.code.length == 0) {
            // The (v, r, s) form: every ERC-3009 token has it, not only those that also take bytes.
            if (authorization.length != 65) revert InvalidBookingSignature(nonce, customer);
            IERC3009(token).receiveWithAuthorization(
                customer,
                address(this),
                amount,
                0,
                intent.deadline,
                nonce,
                uint8(authorization[64]),
                bytes32(authorization[0:32]),
                bytes32(authorization[32:64])
            );
        } else {
            IERC3009(token).receiveWithAuthorization(
                customer,
                address(this),
                amount,
                0,
                intent.deadline,
                nonce,
                authorization
            );
        }
        uint256 received = IERC20(token).balanceOf(address(this)) - balanceBefore;
        if (received != amount) revert TokenAmountMismatch(token, amount, received);
    }

    /// @dev Checks a signed booking's deadline, nonce and coupon, uses the nonce and books for the intent's customer.
    ///      The caller checks the signature and collects the payment.
    function _bookSigned(
        BookingIntent calldata intent,
        Coupon calldata coupon,
        bytes calldata couponSignature
    ) private returns (uint256 bookingId, address token, uint256 amount) {
        if (block.timestamp >= intent.deadline) revert BookingIntentExpired(intent.deadline, block.timestamp);
        address customer = intent.customer;
        bytes32 nonce = intent.nonce;
        if (_bookingNonces[customer][nonce]) revert BookingNonceUsed(customer, nonce);
        _bookingNonces[customer][nonce] = true;

        bytes32 submitted = couponSignature.length == 0 ? bytes32(0) : hashCoupon(coupon);
        if (submitted != intent.couponDigest) revert CouponNotSigned(intent.couponDigest, submitted);
        if (submitted == 0) {
            return _book(customer, intent.offeringId, intent.slotStart, intent.seats, intent.detailsHash, 0);
        }
        return
            _bookWithCoupon(
                customer,
                intent.offeringId,
                intent.slotStart,
                intent.seats,
                intent.detailsHash,
                coupon,
                couponSignature
            );
    }

    /// @dev Reverts unless `slotStart` is on the grid and inside the booking window now.
    function _requireBookableSlot(
        IOfferingRegistry.Offering storage offering,
        uint32 offeringId,
        uint40 slotStart
    ) private view {
        _requireOnGrid(offering, offeringId, slotStart);
        uint256 earliest = block.timestamp + offering.minLeadTime;
        uint256 latest = block.timestamp + offering.maxAdvance;
        if (slotStart < earliest || slotStart > latest) {
            revert SlotOutsideBookingWindow(offeringId, slotStart, earliest, latest);
        }
    }

    /// @dev Takes `seats` in the slot and numbers the booking, or reverts when the seats are not there.
    function _takeSeats(
        IOfferingRegistry.Offering storage offering,
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

    /// @dev Records a check-in open from `leadTime` before the slot's start until the slot ends.
    function _checkIn(
        uint256 bookingId,
        Booking memory booking,
        IOfferingRegistry.Offering storage offering,
        uint256 leadTime,
        bool customerSigned
    ) private {
        if (booking.checkedIn) revert AlreadyCheckedIn(bookingId);
        uint256 slotStart = _slotStartOf(bookingId);
        uint256 opensAt = slotStart - leadTime;
        uint256 closesAt = slotStart + offering.slotLength;
        if (block.timestamp < opensAt || block.timestamp >= closesAt) {
            revert CheckInClosed(bookingId, opensAt, closesAt);
        }

        _bookings[bookingId].checkedIn = true;
        emit CheckedIn(bookingId, msg.sender, customerSigned);
    }

    /// @dev Settles a booking whose time has come (for `settle` and `claim`): fulfilled if checked in, no-show
    ///      otherwise. A disputed booking's check-in state is the one it had when disputed (check-in is refused
    ///      from then on). The caller accrues the fee and pays the shares out.
    function _settleDue(
        uint256 bookingId,
        Booking memory booking,
        IOfferingRegistry.Offering storage offering
    ) private returns (uint256 refund, uint256 merchantShare, uint256 fee) {
        uint256 settlesAt = _settlesAt(bookingId, offering);
        if (block.timestamp < settlesAt) revert NotYetSettled(bookingId, settlesAt);
        if (booking.status == BookingStatus.Disputed) {
            uint256 deadline = settlesAt + offering.arbiterTimeout;
            if (block.timestamp < deadline) revert DisputeUnresolved(bookingId, deadline);
        }

        (BookingStatus outcome, uint256 refundBps) = booking.checkedIn
            ? (BookingStatus.Fulfilled, 0)
            : (BookingStatus.NoShow, uint256(offering.noShowRefundBps));
        return _settle(bookingId, booking, offering, outcome, refundBps);
    }

    /// @dev Records a booking's outcome and split. The caller accrues the fee and pays the shares out.
    function _settle(
        uint256 bookingId,
        Booking memory booking,
        IOfferingRegistry.Offering storage offering,
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
        IOfferingRegistry.Offering storage offering,
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

    // Each outcome loads its booking through the loader of the caller's role, which checks, in this order, that the
    // booking exists, that the caller holds the role and that the status allows the action. The checks live in the
    // loaders, not in one helper each: the optimizer inlines only branch-free functions, so a helper per check would
    // be a call of its own.

    /// @dev The booking, for its customer, while booked (open, undisputed). Reverts with `BookingNotFound`,
    ///      `NotCustomer` or `WrongStatus`.
    function _bookingForCustomer(uint256 bookingId) private view returns (Booking memory booking) {
        booking = _bookings[bookingId];
        if (booking.status == BookingStatus.None) revert BookingNotFound(bookingId);
        if (msg.sender != booking.customer) revert NotCustomer(bookingId, msg.sender);
        if (booking.status != BookingStatus.Booked) revert WrongStatus(bookingId, booking.status);
    }

    /// @dev The booking and its offering, for the offering's merchant or its staff holding `role`, while open
    ///      (booked or disputed). Reverts with `BookingNotFound`, `NotMerchantOrStaff` or `WrongStatus`.
    function _bookingForMerchant(
        uint256 bookingId,
        uint8 role
    ) private view returns (Booking memory booking, IOfferingRegistry.Offering storage offering) {
        offering = _offerings[_offeringIdOf(bookingId)];
        booking = _bookings[bookingId];
        if (booking.status == BookingStatus.None) revert BookingNotFound(bookingId);
        address merchant = offering.merchant;
        if (msg.sender != merchant && _staffRoles[merchant][msg.sender] & role == 0) {
            revert NotMerchantOrStaff(bookingId, msg.sender, role);
        }
        if (booking.status != BookingStatus.Booked && booking.status != BookingStatus.Disputed) {
            revert WrongStatus(bookingId, booking.status);
        }
    }

    /// @dev `_bookingForMerchant` for check-in staff, refusing a disputed booking: its check-in state is frozen.
    function _bookingForCheckIn(
        uint256 bookingId
    ) private view returns (Booking memory booking, IOfferingRegistry.Offering storage offering) {
        (booking, offering) = _bookingForMerchant(bookingId, StaffRoles.STAFF_CHECK_IN);
        if (booking.status != BookingStatus.Booked) revert WrongStatus(bookingId, booking.status);
    }

    /// @dev The booking and its offering, for the offering's arbiter, while disputed. Reverts with
    ///      `BookingNotFound`, `NotArbiter` or `WrongStatus`.
    function _bookingForArbiter(
        uint256 bookingId
    ) private view returns (Booking memory booking, IOfferingRegistry.Offering storage offering) {
        offering = _offerings[_offeringIdOf(bookingId)];
        booking = _bookings[bookingId];
        if (booking.status == BookingStatus.None) revert BookingNotFound(bookingId);
        if (msg.sender != offering.arbiter) revert NotArbiter(bookingId, msg.sender);
        if (booking.status != BookingStatus.Disputed) revert WrongStatus(bookingId, booking.status);
    }

    /// @dev When a booking can settle: its slot's end plus the dispute window.
    function _settlesAt(uint256 bookingId, IOfferingRegistry.Offering storage offering) private view returns (uint256) {
        return uint256(_slotStartOf(bookingId)) + offering.slotLength + offering.disputeWindow;
    }
}
