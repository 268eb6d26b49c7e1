// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice The cheatcodes these tests use. forge-std cannot be installed here, so the interface is declared by
///         hand; every function below is one Hardhat's EDR implements at the standard cheatcode address.
interface Vm {
    /// @dev A log captured by `recordLogs`.
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    function deal(address account, uint256 newBalance) external;
    function warp(uint256 newTimestamp) external;
    function roll(uint256 newHeight) external;
    function assume(bool condition) external pure;
    function expectRevert() external;
    function expectRevert(bytes calldata revertData) external;
    function expectRevert(bytes4 revertData) external;
    function addr(uint256 privateKey) external pure returns (address keyAddr);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function label(address account, string calldata newLabel) external;
    function toString(bytes calldata value) external pure returns (string memory);
    function recordLogs() external;
    function getRecordedLogs() external returns (Log[] memory logs);
    function snapshotState() external returns (uint256 snapshotId);
    function revertToStateAndDelete(uint256 snapshotId) external returns (bool success);
}

/// @notice The pieces of forge-std's `Test` these suites need: the cheatcode handle, `bound`, and assertions that
///         revert with the values involved, so a failing run says what differed rather than just "reverted".
abstract contract TestBase {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @dev Raised by the assertions; the label says which property broke, the values show how.
    error AssertionFailed(string label, uint256 left, uint256 right);
    error AssertionFailedAddress(string label, address left, address right);
    error AssertionFailedBool(string label);

    /// @dev Lets the runner pick up `IS_TEST` like forge-std, for tools that look for it.
    bool public IS_TEST = true;

    function assertEq(uint256 left, uint256 right, string memory label) internal pure {
        if (left != right) revert AssertionFailed(label, left, right);
    }

    function assertEq(address left, address right, string memory label) internal pure {
        if (left != right) revert AssertionFailedAddress(label, left, right);
    }

    function assertLe(uint256 left, uint256 right, string memory label) internal pure {
        if (left > right) revert AssertionFailed(label, left, right);
    }

    function assertGe(uint256 left, uint256 right, string memory label) internal pure {
        if (left < right) revert AssertionFailed(label, left, right);
    }

    function assertEq(bool left, bool right, string memory label) internal pure {
        if (left != right) revert AssertionFailedBool(label);
    }

    function assertTrue(bool condition, string memory label) internal pure {
        if (!condition) revert AssertionFailedBool(label);
    }

    /// @dev Maps any fuzzed value into [min, max] without discarding runs (a discard would waste the run, and a
    ///      modulo keeps the distribution close to uniform while the edges stay reachable).
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min + 1;
        if (size == 0) return x; // full uint256 range
        // Small raw values land on the low edge, values near 2^256 on the high edge, as in forge-std.
        if (x <= 3 && size > x) return min + x;
        if (x >= type(uint256).max - 3 && size > type(uint256).max - x) return max - (type(uint256).max - x);
        return min + (x % size);
    }
}
