// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICoupons} from "../../../contracts/interfaces/ICoupons.sol";
import {ISignedBookings} from "../../../contracts/interfaces/ISignedBookings.sol";

/// @notice The escrow's EIP-712 digests, computed here from the SPEC's domain ("Earnest", "2", chain, escrow) and type
///         strings rather than by asking the escrow, so a wrong domain or type hash in the contract makes every
///         signature these tests produce fail.
library TypedData {
    bytes32 internal constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 internal constant CHECK_IN_TYPEHASH = keccak256("CheckIn(uint256 bookingId)");
    bytes32 internal constant COUPON_TYPEHASH = keccak256(
        "Coupon(uint32 offeringId,uint96 discount,uint32 maxRedemptions,uint40 expiresAt,address customer,bytes32 salt,address signer)"
    );

    bytes32 internal constant BOOKING_INTENT_TYPEHASH = keccak256(
        "BookingIntent(address customer,uint32 offeringId,uint40 slotStart,uint16 seats,bytes32 detailsHash,bytes32 couponDigest,bytes32 nonce,uint40 deadline)"
    );
    /// @dev ERC-3009's receive type, as USDC defines it.
    bytes32 internal constant RECEIVE_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );

    function domainSeparator(address escrow, string memory version) internal view returns (bytes32) {
        return
            keccak256(
                abi.encode(DOMAIN_TYPEHASH, keccak256("Earnest"), keccak256(bytes(version)), block.chainid, escrow)
            );
    }

    /// @dev What a customer signs to check in ("I am here").
    function checkInDigest(address escrow, uint256 bookingId) internal view returns (bytes32) {
        return _digest(domainSeparator(escrow, "2"), keccak256(abi.encode(CHECK_IN_TYPEHASH, bookingId)));
    }

    /// @dev The same check-in under the first version's domain: a signature over it must not count.
    function oldDomainCheckInDigest(address escrow, uint256 bookingId) internal view returns (bytes32) {
        return _digest(domainSeparator(escrow, "1"), keccak256(abi.encode(CHECK_IN_TYPEHASH, bookingId)));
    }

    function couponDigest(address escrow, ICoupons.Coupon memory c) internal view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(
                COUPON_TYPEHASH,
                c.offeringId,
                c.discount,
                c.maxRedemptions,
                c.expiresAt,
                c.customer,
                c.salt,
                c.signer
            )
        );
        return _digest(domainSeparator(escrow, "2"), structHash);
    }

    /// @dev What a customer signs to book by signature, field by field as EIP-712 encodes it.
    function bookingIntentDigest(
        address escrow,
        ISignedBookings.BookingIntent memory i
    ) internal view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(
                BOOKING_INTENT_TYPEHASH,
                i.customer,
                i.offeringId,
                i.slotStart,
                i.seats,
                i.detailsHash,
                i.couponDigest,
                i.nonce,
                i.deadline
            )
        );
        return _digest(domainSeparator(escrow, "2"), structHash);
    }

    /// @dev The ERC-3009 authorization that pays for `i` in USDC's domain ("USD Coin", "2") at `token`: from the
    ///      customer to the escrow, `value`, valid from 0 until the deadline, nonced by the intent's digest.
    function bookingAuthorizationDigest(
        address token,
        address escrow,
        ISignedBookings.BookingIntent memory i,
        uint256 value
    ) internal view returns (bytes32) {
        bytes32 separator = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("USD Coin"), keccak256("2"), block.chainid, token)
        );
        bytes32 structHash = keccak256(
            abi.encode(
                RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
                i.customer,
                escrow,
                value,
                0,
                i.deadline,
                bookingIntentDigest(escrow, i)
            )
        );
        return _digest(separator, structHash);
    }

    function _digest(bytes32 separator, bytes32 structHash) private pure returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", separator, structHash));
    }
}
