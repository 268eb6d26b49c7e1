// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title BlocklistToken
/// @notice A token whose issuer can block addresses from sending or receiving, like USDC's blacklist.
contract BlocklistToken is ERC20 {
    /// @notice Whether an address may neither send nor receive.
    mapping(address account => bool blocked) public isBlocked;

    /// @notice The address is blocked.
    /// @param account The blocked address.
    error Blocked(address account);

    constructor() ERC20("Blocklist USD", "BUSD") {}

    /// @notice Mints `amount` to `to` (test token).
    /// @param to The recipient.
    /// @param amount The amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Blocks or unblocks `account` (test token: anyone may call it).
    /// @param account The address.
    /// @param blocked Whether it is blocked.
    function setBlocked(address account, bool blocked) external {
        isBlocked[account] = blocked;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (isBlocked[from]) revert Blocked(from);
        if (isBlocked[to]) revert Blocked(to);
        super._update(from, to, value);
    }
}
