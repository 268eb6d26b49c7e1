// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FalseReturningToken
/// @notice A token whose `transferFrom` returns false without moving anything, as some old tokens signal failure.
contract FalseReturningToken is ERC20 {
    constructor() ERC20("False Returning", "FALSE") {}

    /// @notice Mints `amount` to `to` (test token).
    /// @param to The recipient.
    /// @param amount The amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Moves nothing and reports failure.
    /// @return Always false.
    function transferFrom(address, address, uint256) public pure override returns (bool) {
        return false;
    }
}
