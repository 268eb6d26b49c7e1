// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title RevertingReceiver
/// @notice A contract account that refuses ETH unless told otherwise, and can act on the escrow as a customer
///         or merchant, to prove that a refusing recipient never blocks anyone else's settlement.
contract RevertingReceiver {
    /// @notice Whether incoming ETH is refused.
    bool public refuse = true;

    /// @notice The receiver refused ETH.
    error Refused();

    /// @notice Turns refusing on or off.
    /// @param refuse_ Whether to refuse.
    function setRefuse(bool refuse_) external {
        refuse = refuse_;
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

    receive() external payable {
        if (refuse) revert Refused();
    }
}
