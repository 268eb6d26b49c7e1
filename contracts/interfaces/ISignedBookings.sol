// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBookings} from "./IBookings.sol";
import {ICoupons} from "./ICoupons.sol";

/// @title ISignedBookings
/// @notice Bookings the customer signs and anyone submits (a relayer pays the gas), paid in an ERC-20 token by an
///         EIP-2612 permit or by an ERC-3009 `receiveWithAuthorization` (USDC's), so a customer who holds only a
///         stablecoin needs no ETH. The booking is the signer's; a signature books once, only before its deadline,
///         and only exactly what it says.
/// @dev Implemented by `EarnestEscrow` itself. With ERC-3009 the customer signs one thing: the token's
///      `ReceiveWithAuthorization` whose nonce is `hashBookingIntent(intent)`, whose `to` is the escrow, whose value
///      is the booking's amount, whose `validAfter` is 0 and whose `validBefore` is the intent's deadline. Only the
///      escrow can execute such an authorization (`receiveWithAuthorization` requires the payee as caller), and only
///      for the intent whose digest it is, so a front-run authorization can neither strand the funds nor book
///      anything else. With a permit the customer signs the intent (EIP-712 in the escrow's domain, ERC-1271 for
///      contract wallets) and the permit; a permit already applied by someone else still counts.
interface ISignedBookings {
    /// @notice What a customer signs to book (EIP-712 `BookingIntent`, the escrow's domain).
    struct BookingIntent {
        /// @dev Who books and pays: the signer.
        address customer;
        /// @dev The offering.
        uint32 offeringId;
        /// @dev Start of the slot.
        uint40 slotStart;
        /// @dev Seats.
        uint16 seats;
        /// @dev Commitment to the off-chain details (name, contact, notes) and a random salt.
        bytes32 detailsHash;
        /// @dev The coupon's EIP-712 digest (`hashCoupon`), or zero for none.
        bytes32 couponDigest;
        /// @dev Any value not used before by this customer; tells apart intents whose other fields are equal.
        bytes32 nonce;
        /// @dev The intent is valid while `block.timestamp < deadline` (ERC-3009's `validBefore`).
        uint40 deadline;
    }

    /// @notice A booking intent's signature is not the customer's.
    /// @param intentDigest The intent's EIP-712 digest.
    /// @param customer The customer named in the intent.
    error InvalidBookingSignature(bytes32 intentDigest, address customer);

    /// @notice The intent's deadline has passed.
    /// @param deadline The deadline.
    /// @param timestamp The block's time.
    error BookingIntentExpired(uint40 deadline, uint256 timestamp);

    /// @notice The customer's nonce was used by an earlier signed booking.
    /// @param customer The customer.
    /// @param nonce The nonce.
    error BookingNonceUsed(address customer, bytes32 nonce);

    /// @notice The coupon submitted is not the one the customer signed for.
    /// @param signed The coupon digest in the intent (zero: none).
    /// @param submitted The digest of the coupon submitted (zero: none).
    error CouponNotSigned(bytes32 signed, bytes32 submitted);

    /// @notice An ERC-3009 authorization was given for an offering paid in native ETH.
    /// @param offeringId The offering.
    error AuthorizationForNativeToken(uint32 offeringId);

    /// @notice The EIP-712 type of `BookingIntent`.
    /// @return The type hash.
    // solhint-disable-next-line func-name-mixedcase
    function BOOKING_INTENT_TYPEHASH() external view returns (bytes32);

    /// @notice Books as `intent.customer` signed it, paid from the customer's allowance after applying `permit`
    ///         (skipped when its deadline is zero; ignored when it fails because someone applied it already).
    ///         Anyone may submit it; the caller pays only the gas.
    /// @param intent What the customer signed.
    /// @param signature The customer's EIP-712 signature of `intent` (ERC-1271 for contract wallets).
    /// @param permit The customer's EIP-2612 permit to the escrow, or a zero deadline to use the allowance as is.
    /// @param coupon The coupon whose digest the intent names (any value when it names none).
    /// @param couponSignature The coupon's signature (empty when the intent names no coupon).
    /// @return bookingId The new booking.
    function bookWithSignature(
        BookingIntent calldata intent,
        bytes calldata signature,
        IBookings.Permit calldata permit,
        ICoupons.Coupon calldata coupon,
        bytes calldata couponSignature
    ) external returns (uint256 bookingId);

    /// @notice Books as `intent.customer` authorized it, paid by the token's ERC-3009 `receiveWithAuthorization`
    ///         from the customer to the escrow (nonce: `hashBookingIntent(intent)`, value: the booking's amount,
    ///         valid from 0 until `intent.deadline`). Anyone may submit it; the caller pays only the gas.
    /// @param intent What the customer authorized.
    /// @param authorization The customer's `ReceiveWithAuthorization` signature in the token's domain: 65 bytes for
    ///        an account without code, or whatever the token checks by ERC-1271 for a contract wallet.
    /// @param coupon The coupon whose digest the intent names (any value when it names none).
    /// @param couponSignature The coupon's signature (empty when the intent names no coupon).
    /// @return bookingId The new booking.
    function bookWithAuthorization(
        BookingIntent calldata intent,
        bytes calldata authorization,
        ICoupons.Coupon calldata coupon,
        bytes calldata couponSignature
    ) external returns (uint256 bookingId);

    /// @notice The EIP-712 digest of a booking intent in this escrow's domain (and an ERC-3009 nonce).
    /// @param intent The intent.
    /// @return The digest.
    function hashBookingIntent(BookingIntent calldata intent) external view returns (bytes32);

    /// @notice Whether `customer` has used `nonce` in a signed booking.
    /// @param customer The customer.
    /// @param nonce The nonce.
    /// @return Whether it is used.
    function bookingNonceUsed(address customer, bytes32 nonce) external view returns (bool);
}
