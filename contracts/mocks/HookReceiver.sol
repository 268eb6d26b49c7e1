// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title HookReceiver
/// @notice A contract account whose token hook (see `HookToken`) burns all the gas it is given, and that can act on
///         the escrow as a customer or merchant payout. Used to prove that one recipient's hook cannot make another
///         party's transaction expensive: without a bound, it burns whatever gas the transaction has.
contract HookReceiver {
    /// @notice Called by `HookToken` after a transfer to this account; burns all the gas it gets (the `invalid`
    ///         opcode consumes the whole frame's gas), so the transfer reverts.
    function onTokenReceived(address, uint256) external pure {
        assembly {
            invalid()
        }
    }

    /// @notice Calls `target` with `data` and `msg.value`, bubbling any revert.
    /// @param target The contract to call.
    /// @param data The calldata.
    /// @return result The call's return data.
    function execute(address target, bytes calldata data) external payable returns (bytes memory result) {
        bool ok;
        (ok, result) = target.call{value: msg.value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
    }
}
