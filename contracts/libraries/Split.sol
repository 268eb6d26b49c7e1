// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Split
/// @notice How a booking's amount is divided between the customer, the merchant and the protocol.
/// @dev The merchant's share is what remains after the others, so the three always sum to the amount, to the wei.
library Split {
    /// @notice Basis points in a whole.
    uint16 internal constant BPS = 10_000;

    /// @notice Splits `amount`: the customer gets `customerBps` of it, the fee is `feeBps` of the rest.
    /// @dev Both shares round down; the rounding goes to the merchant. The fee never touches the customer's share.
    /// @param amount What the booking holds.
    /// @param customerBps The customer's share in basis points (at most `BPS`).
    /// @param feeBps The protocol fee on the merchant's gross share, in basis points (at most `BPS`).
    /// @return customerShare Paid to the customer.
    /// @return merchantShare Paid to the merchant.
    /// @return fee Owed to the protocol.
    function split(
        uint256 amount,
        uint256 customerBps,
        uint256 feeBps
    ) internal pure returns (uint256 customerShare, uint256 merchantShare, uint256 fee) {
        customerShare = (amount * customerBps) / BPS;
        uint256 merchantGross = amount - customerShare;
        fee = (merchantGross * feeBps) / BPS;
        merchantShare = merchantGross - fee;
    }
}
