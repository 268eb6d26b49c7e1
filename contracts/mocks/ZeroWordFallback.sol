// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ZeroWordFallback
/// @notice A contract that answers every call with one zero word, which decodes as zero, false or the zero address
///         for any single-word view: an address the auditor must not take for an empty escrow.
contract ZeroWordFallback {
    /// @notice Accepts any call and returns 32 zero bytes.
    /// @return A zero word.
    fallback(bytes calldata) external payable returns (bytes memory) {
        return new bytes(32);
    }
}
