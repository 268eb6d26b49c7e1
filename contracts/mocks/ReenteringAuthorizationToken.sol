// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ReenteringAuthorizationToken
/// @notice An ERC-3009-style token that, inside `receiveWithAuthorization`, calls its caller (the escrow) back with
///         calldata the test chose, records how that call ended, then pays the full amount. It stands for a hostile
///         or hooked token allow-listed by mistake; the signature is not checked, the re-entry is what it tests.
contract ReenteringAuthorizationToken is ERC20 {
    /// @notice What the token calls its caller with during `receiveWithAuthorization` (nothing when empty).
    bytes public reentryCalldata;

    /// @notice Whether the last re-entry succeeded.
    bool public reentrySucceeded;

    /// @notice What the last re-entry returned or reverted with.
    bytes public reentryResult;

    constructor() ERC20("Reentering USD", "RUSD") {}

    /// @notice Mints `amount` to `to` (test token).
    /// @param to The recipient.
    /// @param amount The amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Sets the calldata of the re-entry.
    /// @param data The calldata.
    function setReentry(bytes calldata data) external {
        reentryCalldata = data;
    }

    /// @notice Re-enters the caller, then moves `value` from `from` to `to`; the `(v, r, s)` form.
    /// @param from The payer.
    /// @param to The payee.
    /// @param value The amount.
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
        if (reentryCalldata.length != 0) {
            // solhint-disable-next-line avoid-low-level-calls
            (reentrySucceeded, reentryResult) = msg.sender.call(reentryCalldata);
        }
        _transfer(from, to, value);
    }
}
