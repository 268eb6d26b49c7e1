// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Multicall3 (aggregate3 and getEthBalance only)
/// @notice For local chains, which lack the Multicall3 that public chains have: the dApp batches its reads through
///         `aggregate3` everywhere (viem's multicall), so a page makes the same few requests on every chain, and
///         viem reads ETH balances through `getEthBalance` when batching is on. Same interface as Multicall3's;
///         never deployed to a public chain.
contract Multicall3 {
    /// @notice One call.
    struct Call3 {
        /// @dev The contract to call.
        address target;
        /// @dev Whether a revert of this call is returned instead of reverting the batch.
        bool allowFailure;
        /// @dev The calldata.
        bytes callData;
    }

    /// @notice One call's outcome.
    struct Result {
        /// @dev Whether the call succeeded.
        bool success;
        /// @dev What it returned (or its revert data).
        bytes returnData;
    }

    /// @notice A call that was not allowed to fail reverted.
    /// @param index The call's position in the batch.
    error CallFailed(uint256 index);

    /// @notice Makes each call in order and returns every outcome.
    /// @param calls The calls.
    /// @return results Their outcomes, in order.
    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory results) {
        results = new Result[](calls.length);
        for (uint256 i; i < calls.length; ++i) {
            // solhint-disable-next-line avoid-low-level-calls
            (bool success, bytes memory returnData) = calls[i].target.call(calls[i].callData);
            if (!success && !calls[i].allowFailure) revert CallFailed(i);
            results[i] = Result(success, returnData);
        }
    }

    /// @notice An account's ETH balance (viem's `getBalance` asks this when multicall batching is on).
    /// @param addr The account.
    /// @return balance Its balance in wei.
    function getEthBalance(address addr) external view returns (uint256 balance) {
        balance = addr.balance;
    }
}
