// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ICoupons} from "./interfaces/ICoupons.sol";

/// @title Coupons
/// @notice Merchant-signed EIP-712 coupons that customers redeem when booking.
/// @dev The signature covers the EIP-712 domain (chain id and this contract), so a coupon cannot be replayed on
///      another chain or escrow; redemptions are counted on-chain per coupon digest. Merchants that are contracts
///      sign through ERC-1271. Types, events and errors are declared in `ICoupons`.
abstract contract Coupons is EIP712, ICoupons {
    /// @inheritdoc ICoupons
    bytes32 public constant COUPON_TYPEHASH = keccak256(
        "Coupon(uint32 offeringId,uint96 discount,uint32 maxRedemptions,uint40 expiresAt,address customer,bytes32 salt)"
    );

    /// @inheritdoc ICoupons
    mapping(bytes32 couponDigest => uint256 redemptions) public couponRedemptions;

    /// @inheritdoc ICoupons
    function hashCoupon(Coupon calldata coupon) public view returns (bytes32) {
        return
            _hashTypedDataV4(
                keccak256(
                    abi.encode(
                        COUPON_TYPEHASH,
                        coupon.offeringId,
                        coupon.discount,
                        coupon.maxRedemptions,
                        coupon.expiresAt,
                        coupon.customer,
                        coupon.salt
                    )
                )
            );
    }

    /// @dev Checks `coupon` for a booking of `offeringId` by the caller and counts the redemption.
    /// @return couponDigest The coupon's digest.
    /// @return redemptions Redemptions so far, this one included.
    function _redeemCoupon(
        uint32 offeringId,
        address merchant,
        Coupon calldata coupon,
        bytes calldata signature
    ) internal returns (bytes32 couponDigest, uint256 redemptions) {
        couponDigest = hashCoupon(coupon);
        if (coupon.offeringId != offeringId) revert CouponWrongOffering(couponDigest, coupon.offeringId, offeringId);
        if (coupon.customer != address(0) && coupon.customer != msg.sender) {
            revert CouponWrongCustomer(couponDigest, coupon.customer, msg.sender);
        }
        if (block.timestamp > coupon.expiresAt) revert CouponExpired(couponDigest, coupon.expiresAt);
        redemptions = couponRedemptions[couponDigest] + 1;
        if (redemptions > coupon.maxRedemptions) revert CouponExhausted(couponDigest, coupon.maxRedemptions);
        if (!SignatureChecker.isValidSignatureNow(merchant, couponDigest, signature)) {
            revert InvalidCouponSignature(couponDigest, merchant);
        }
        couponRedemptions[couponDigest] = redemptions;
    }
}
