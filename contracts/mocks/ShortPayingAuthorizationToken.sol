// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ShortPayingAuthorizationToken
/// @notice An ERC-3009-style token whose `receiveWithAuthorization` delivers 1 % less than authorized (a fee taken on
///         the way, as a fee-on-transfer token does), so the escrow's balance-delta check must refuse the booking. It
///         checks only that the payee calls, not the signature: what it tests is what arrives.
contract ShortPayingAuthorizationToken is ERC20 {
    /// @notice `receiveWithAuthorization` must be called by its payee.
    /// @param caller The caller.
    /// @param payee The payee.
    error CallerMustBePayee(address caller, address payee);

    constructor() ERC20("Short USD", "SUSD") {}

    /// @notice Mints `amount` to `to` (test token).
    /// @param to The recipient.
    /// @param amount The amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Moves `value` less 1 % from `from` to the caller, burning the 1 %; the `(v, r, s)` form.
    /// @param from The payer.
    /// @param to The payee, the caller.
    /// @param value The amount authorized.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256,
        uint256,
        bytes32,
        uint8,
        bytes32,
        bytes32
    ) external {
        _receiveShort(from, to, value);
    }

    /// @notice Moves `value` less 1 % from `from` to the caller, burning the 1 %; the `bytes` form.
    /// @param from The payer.
    /// @param to The payee, the caller.
    /// @param value The amount authorized.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256,
        uint256,
        bytes32,
        bytes calldata
    ) external {
        _receiveShort(from, to, value);
    }

    function _receiveShort(address from, address to, uint256 value) private {
        if (msg.sender != to) revert CallerMustBePayee(msg.sender, to);
        uint256 fee = value / 100;
        _burn(from, fee);
        _transfer(from, to, value - fee);
    }
}
