// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICoupons} from "../../../contracts/interfaces/ICoupons.sol";

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

    function _digest(bytes32 separator, bytes32 structHash) private pure returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", separator, structHash));
    }
}
