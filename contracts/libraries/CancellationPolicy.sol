// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title CancellationPolicy
/// @notice The refund tiers of an offering and the rule that picks the one that applies.
/// @dev Tiers are ordered by strictly decreasing `secondsBeforeStart` and non-increasing `refundBps`;
///      the first tier whose `secondsBeforeStart` the remaining time reaches wins, and no match refunds nothing.
library CancellationPolicy {
    /// @notice One step of a cancellation policy, e.g. "48 h or more before the start: 100 %".
    struct Tier {
        /// @dev The tier applies when the customer cancels at least this many seconds before the slot starts.
        uint32 secondsBeforeStart;
        /// @dev Share of the deposit refunded in this tier, in basis points (10,000 = everything).
        uint16 refundBps;
    }

    /// @notice The refund share for a cancellation made `secondsBeforeStart` seconds before the slot starts.
    /// @param tiers The offering's tiers, validated at creation.
    /// @param secondsBeforeStart Time left until the slot starts.
    /// @return The refund in basis points: the first matching tier's share, or zero when no tier matches.
    function refundBps(Tier[] memory tiers, uint256 secondsBeforeStart) internal pure returns (uint16) {
        for (uint256 i; i < tiers.length; ++i) {
            if (secondsBeforeStart >= tiers[i].secondsBeforeStart) return tiers[i].refundBps;
        }
        return 0;
    }
}
