// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IERC3009
/// @notice The part of ERC-3009 (transfer with authorization) the escrow uses, as Circle's USDC (FiatTokenV2_2)
///         implements it: the `(v, r, s)` form every ERC-3009 token has and the `bytes` form that checks contract
///         wallets by ERC-1271.
interface IERC3009 {
    /// @notice Receives a transfer the payer authorized; the caller must be the payee (`to`).
    /// @param from The payer.
    /// @param to The payee, the caller.
    /// @param value The amount.
    /// @param validAfter The authorization is valid after this time.
    /// @param validBefore The authorization is valid before this time.
    /// @param nonce The authorization's unique nonce.
    /// @param v Signature v.
    /// @param r Signature r.
    /// @param s Signature s.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice `receiveWithAuthorization` with the payer's signature as bytes (ERC-1271 for contract wallets).
    /// @param from The payer.
    /// @param to The payee, the caller.
    /// @param value The amount.
    /// @param validAfter The authorization is valid after this time.
    /// @param validBefore The authorization is valid before this time.
    /// @param nonce The authorization's unique nonce.
    /// @param signature The payer's signature.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;

    /// @notice Whether an authorization nonce of `authorizer` was used or cancelled.
    /// @param authorizer The payer.
    /// @param nonce The nonce.
    /// @return Whether it is used.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool);
}
