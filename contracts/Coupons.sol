// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {StaffRoles} from "./libraries/StaffRoles.sol";
import {ICoupons} from "./interfaces/ICoupons.sol";
import {EscrowState} from "./EscrowState.sol";

/// @title Coupons
/// @notice EIP-712 coupons, signed by a merchant or its coupon staff, that customers redeem when booking.
/// @dev The signature covers the EIP-712 domain (chain id and this contract), so a coupon cannot be replayed on
///      another chain or escrow; redemptions are counted on-chain per coupon digest. Signers that are contracts
///      (a Safe) sign through ERC-1271. Types, events and errors are declared in `ICoupons`.
abstract contract Coupons is EscrowState, EIP712, ICoupons {
    /// @inheritdoc ICoupons
    bytes32 public constant COUPON_TYPEHASH = keccak256(
        "Coupon(uint32 offeringId,uint96 discount,uint32 maxRedemptions,uint40 expiresAt,address customer,"
        "bytes32 salt,address signer)"
    );

    /// @inheritdoc ICoupons
    function couponRedemptions(bytes32 couponDigest) external view returns (uint256) {
        return _couponRedemptions[couponDigest];
    }

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
                        coupon.salt,
                        coupon.signer
                    )
                )
            );
    }

    /// @dev Checks `coupon` for a booking of `offeringId` by `customer` and counts the redemption.
    /// @return couponDigest The coupon's digest.
    /// @return redemptions Redemptions so far, this one included.
    function _redeemCoupon(
        uint32 offeringId,
        address merchant,
        address customer,
        Coupon calldata coupon,
        bytes calldata signature
    ) internal returns (bytes32 couponDigest, uint256 redemptions) {
        couponDigest = hashCoupon(coupon);
        if (coupon.offeringId != offeringId) revert CouponWrongOffering(couponDigest, coupon.offeringId, offeringId);
        if (coupon.customer != address(0) && coupon.customer != customer) {
            revert CouponWrongCustomer(couponDigest, coupon.customer, customer);
        }
        if (block.timestamp > coupon.expiresAt) revert CouponExpired(couponDigest, coupon.expiresAt);
        redemptions = _couponRedemptions[couponDigest] + 1;
        if (redemptions > coupon.maxRedemptions) revert CouponExhausted(couponDigest, coupon.maxRedemptions);
        address signer = coupon.signer;
        if (signer != merchant && _staffRoles[merchant][signer] & StaffRoles.STAFF_COUPONS == 0) {
            revert CouponSignerNotAllowed(couponDigest, signer);
        }
        if (!SignatureChecker.isValidSignatureNow(signer, couponDigest, signature)) {
            revert InvalidCouponSignature(couponDigest, signer);
        }
        _couponRedemptions[couponDigest] = redemptions;
    }
}
