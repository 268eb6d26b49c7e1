// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title SilentFallback
/// @notice A contract that accepts every call and returns nothing: what the auditor sees at an address that is not
///         the escrow but does not revert either (a proxy without an implementation, a catch-all wallet).
contract SilentFallback {
    /// @notice Accepts any call, with or without value, and returns no data.
    fallback() external payable {}
}
