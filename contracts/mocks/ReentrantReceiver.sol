// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ReentrantReceiver
/// @notice A contract account that, when paid ETH, calls back into the escrow with prepared calldata and records
///         whether the re-entry succeeded. Used to prove that every path that sends value is closed to re-entry.
contract ReentrantReceiver {
    /// @notice Calldata to send to the escrow when ETH arrives; empty for none.
    bytes public reentryData;
    /// @notice The escrow to re-enter.
    address public target;
    /// @notice How many re-entries were attempted.
    uint256 public attempts;
    /// @notice How many re-entries succeeded (must stay zero).
    uint256 public successes;
    /// @notice The revert data of the last failed re-entry.
    bytes public lastError;

    /// @notice Sets the call to make when paid.
    /// @param target_ The escrow.
    /// @param data The calldata.
    function setReentry(address target_, bytes calldata data) external {
        target = target_;
        reentryData = data;
    }

    /// @notice Calls `target_` with `data` and `msg.value`, bubbling any revert.
    /// @param target_ The contract to call.
    /// @param data The calldata.
    /// @return result The call's return data.
    function execute(address target_, bytes calldata data) external payable returns (bytes memory result) {
        bool ok;
        (ok, result) = target_.call{value: msg.value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
    }

    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        if (reentryData.length == 0) return;
        ++attempts;
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory result) = target.call(reentryData);
        if (ok) ++successes;
        else lastError = result;
    }
}
