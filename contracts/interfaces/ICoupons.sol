// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ICoupons
/// @notice EIP-712 coupons, signed by a merchant or its coupon staff, that customers redeem when booking.
/// @dev The signature covers the EIP-712 domain (chain id and this contract), so a coupon cannot be replayed on
///      another chain or escrow; redemptions are counted on-chain per coupon digest. Merchants that are contracts
///      sign through ERC-1271. Implemented by `EarnestEscrow`.
interface ICoupons {
    /// @notice A discount a merchant grants on one of its offerings.
    struct Coupon {
        /// @dev The only offering it applies to.
        uint32 offeringId;
        /// @dev Taken off the booking's total deposit, in the offering's token units.
        uint96 discount;
        /// @dev How many bookings may redeem it in total.
        uint32 maxRedemptions;
        /// @dev Unix time after which it can no longer be redeemed.
        uint40 expiresAt;
        /// @dev The only customer who may redeem it; the zero address lets anyone.
        address customer;
        /// @dev Any value; tells apart coupons whose other fields are equal.
        bytes32 salt;
        /// @dev Who signed it: the offering's merchant, or its staff holding the coupon role when it is redeemed.
        address signer;
    }

    /// @notice A coupon was redeemed by a booking.
    /// @param couponDigest The coupon's EIP-712 digest.
    /// @param bookingId The booking that redeemed it.
    /// @param discount The discount applied.
    /// @param redemptions Redemptions so far, this one included.
    event CouponRedeemed(
        bytes32 indexed couponDigest,
        uint256 indexed bookingId,
        uint256 discount,
        uint256 redemptions
    );

    /// @notice The coupon is for another offering.
    /// @param couponDigest The coupon.
    /// @param couponOfferingId The offering it is for.
    /// @param offeringId The offering being booked.
    error CouponWrongOffering(bytes32 couponDigest, uint32 couponOfferingId, uint32 offeringId);

    /// @notice The coupon is reserved for another customer.
    /// @param couponDigest The coupon.
    /// @param customer The customer it is for.
    /// @param caller Who books: the caller, or the customer who signed a signed booking.
    error CouponWrongCustomer(bytes32 couponDigest, address customer, address caller);

    /// @notice The coupon has expired.
    /// @param couponDigest The coupon.
    /// @param expiresAt When it expired.
    error CouponExpired(bytes32 couponDigest, uint40 expiresAt);

    /// @notice The coupon has been redeemed as often as it may be.
    /// @param couponDigest The coupon.
    /// @param maxRedemptions Its redemption limit.
    error CouponExhausted(bytes32 couponDigest, uint32 maxRedemptions);

    /// @notice The signature is not the coupon signer's over this coupon, chain and contract.
    /// @param couponDigest The coupon.
    /// @param signer The signer whose signature was expected.
    error InvalidCouponSignature(bytes32 couponDigest, address signer);

    /// @notice The coupon's signer is neither the offering's merchant nor its staff with the coupon role.
    /// @param couponDigest The coupon.
    /// @param signer The signer named in the coupon.
    error CouponSignerNotAllowed(bytes32 couponDigest, address signer);

    /// @notice The EIP-712 digest a merchant signs for `coupon`; also its id for redemption counts.
    /// @param coupon The coupon.
    /// @return The digest, bound to this chain and this contract.
    function hashCoupon(Coupon calldata coupon) external view returns (bytes32);

    /// @notice Redemptions so far, by the coupon's EIP-712 digest.
    /// @param couponDigest The coupon's digest.
    /// @return redemptions The count.
    function couponRedemptions(bytes32 couponDigest) external view returns (uint256 redemptions);

    /// @notice The EIP-712 type hash of `Coupon`.
    /// @return The type hash.
    // solhint-disable-next-line func-name-mixedcase
    function COUPON_TYPEHASH() external view returns (bytes32);
}
