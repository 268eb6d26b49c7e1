// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {HookReceiver} from "./HookReceiver.sol";

/// @title HookToken
/// @notice A token with recipient hooks, as ERC-777 and ERC-1363 tokens have: after every transfer to an account that
///         registered a hook, it calls the recipient's `onTokenReceived` with all the gas it has, and reverts when the
///         hook does. Whoever pays a hooked account in this token pays for the hook.
contract HookToken is ERC20 {
    /// @notice Whether an account registered a hook (as ERC-1820 lets an account name its own implementer).
    mapping(address account => bool registered) public hasHook;

    constructor() ERC20("Hook Token", "HOOK") {}

    /// @notice Mints `amount` to `to` (test token).
    /// @param to The recipient.
    /// @param amount The amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Registers or removes the caller's hook.
    /// @param registered Whether transfers to the caller call its hook.
    function setHook(bool registered) external {
        hasHook[msg.sender] = registered;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (hasHook[to]) HookReceiver(to).onTokenReceived(from, value);
    }
}
