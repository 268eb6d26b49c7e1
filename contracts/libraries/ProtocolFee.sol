// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ProtocolFee
/// @notice The hard cap on the protocol fee, shared by the escrow's constructor and the owner's `setFee`.
library ProtocolFee {
    /// @notice The highest protocol fee the owner can ever set, in basis points (10 %).
    uint16 internal constant MAX_FEE_BPS = 1_000;
}
