// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IOfferingRegistry} from "../../contracts/interfaces/IOfferingRegistry.sol";
import {CancellationPolicy} from "../../contracts/libraries/CancellationPolicy.sol";
import {EscrowFixture} from "./utils/EscrowFixture.sol";

/// @title CancellationPolicyFuzz
/// @notice The cancellation policy is the rule customers read before paying (SPEC §2). These properties pin the
///         rule itself (first matching tier, monotonic, zero when nothing matches) and that the escrow only ever
///         stores tier lists for which that rule is well defined.
contract CancellationPolicyFuzzTest is EscrowFixture {
    uint256 internal constant MAX_TIERS = 5;

    // ------------------------------------------------------------------------------------------------------
    // Tier generation
    // ------------------------------------------------------------------------------------------------------

    /// @dev Shapes arbitrary fuzz input into a valid policy: `secondsBeforeStart` strictly decreasing (sorted, then
    ///      ties pushed one second down), `refundBps` capped at 100 % and sorted non-increasing. Shaping instead of
    ///      `assume` keeps every run useful.
    function shapeTiers(
        uint32[] memory secs,
        uint16[] memory bps,
        uint32 maxSeconds
    ) internal pure returns (CancellationPolicy.Tier[] memory tiers) {
        uint256 n = secs.length;
        for (uint256 i; i < n; ++i) {
            secs[i] = uint32(bound(secs[i], 0, maxSeconds));
            bps[i] = uint16(bound(bps[i], 0, 10_000));
        }
        sortDescending32(secs);
        sortDescending16(bps);
        // Tier i needs room for the n - 1 - i distinct values below it; the bounds decrease, so order is kept.
        for (uint256 i; i < n; ++i) {
            if (secs[i] < n - 1 - i) secs[i] = uint32(n - 1 - i);
        }
        for (uint256 i = 1; i < n; ++i) {
            if (secs[i] >= secs[i - 1]) secs[i] = secs[i - 1] - 1;
        }
        tiers = new CancellationPolicy.Tier[](n);
        for (uint256 i; i < n; ++i) {
            tiers[i] = CancellationPolicy.Tier({secondsBeforeStart: secs[i], refundBps: bps[i]});
        }
    }

    function fuzzedTiers(
        uint32[5] memory secsIn,
        uint16[5] memory bpsIn,
        uint256 count,
        uint32 maxSeconds
    ) internal pure returns (CancellationPolicy.Tier[] memory) {
        count = bound(count, 0, MAX_TIERS);
        uint32[] memory secs = new uint32[](count);
        uint16[] memory bps = new uint16[](count);
        for (uint256 i; i < count; ++i) {
            secs[i] = secsIn[i];
            bps[i] = bpsIn[i];
        }
        return shapeTiers(secs, bps, maxSeconds);
    }

    function sortDescending32(uint32[] memory a) internal pure {
        for (uint256 i = 1; i < a.length; ++i) {
            uint32 v = a[i];
            uint256 j = i;
            while (j > 0 && a[j - 1] < v) {
                a[j] = a[j - 1];
                --j;
            }
            a[j] = v;
        }
    }

    function sortDescending16(uint16[] memory a) internal pure {
        for (uint256 i = 1; i < a.length; ++i) {
            uint16 v = a[i];
            uint256 j = i;
            while (j > 0 && a[j - 1] < v) {
                a[j] = a[j - 1];
                --j;
            }
            a[j] = v;
        }
    }

    /// @dev The rule restated independently of the library's loop: the tier with the largest threshold the
    ///      remaining time still reaches applies (scanning from the shortest notice upwards), else nothing.
    function expectedRefundBps(
        CancellationPolicy.Tier[] memory tiers,
        uint256 secondsLeft
    ) internal pure returns (uint256 bps) {
        for (uint256 i = tiers.length; i > 0; --i) {
            if (secondsLeft < tiers[i - 1].secondsBeforeStart) break;
            bps = tiers[i - 1].refundBps;
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // The rule
    // ------------------------------------------------------------------------------------------------------

    /// @dev The refund a customer is promised is the first matching tier's; any other tier (an earlier, more
    ///      generous one, or a later one) would pay out a different amount than the policy shown before booking.
    function testFuzz_refundBpsIsFirstMatchingTier(
        uint32[5] memory secs,
        uint16[5] memory bps,
        uint256 count,
        uint256 secondsLeft
    ) public pure {
        CancellationPolicy.Tier[] memory tiers = fuzzedTiers(secs, bps, count, type(uint32).max);
        secondsLeft = bound(secondsLeft, 0, uint256(type(uint32).max) + 1);
        assertEq(
            CancellationPolicy.refundBps(tiers, secondsLeft),
            expectedRefundBps(tiers, secondsLeft),
            "refund share is not the first matching tier's"
        );
    }

    /// @dev Random times rarely land on a threshold, where off-by-one errors live: at exactly `secondsBeforeStart`
    ///      the tier applies (SPEC: "at least"), one second later (less notice) the next one does.
    function testFuzz_tierBoundariesAreInclusive(
        uint32[5] memory secs,
        uint16[5] memory bps,
        uint256 count
    ) public pure {
        CancellationPolicy.Tier[] memory tiers = fuzzedTiers(secs, bps, count, type(uint32).max);
        for (uint256 i; i < tiers.length; ++i) {
            uint256 threshold = tiers[i].secondsBeforeStart;
            assertEq(CancellationPolicy.refundBps(tiers, threshold), tiers[i].refundBps, "at the threshold");
            if (threshold == 0) continue;
            uint256 below = i + 1 < tiers.length ? tiers[i + 1].refundBps : 0;
            assertEq(CancellationPolicy.refundBps(tiers, threshold - 1), below, "one second after the threshold");
        }
    }

    /// @dev Waiting longer must never earn a larger refund; otherwise a customer could profit from cancelling later.
    function testFuzz_refundBpsMonotonicAsStartApproaches(
        uint32[5] memory secs,
        uint16[5] memory bps,
        uint256 count,
        uint256 earlier,
        uint256 later
    ) public pure {
        CancellationPolicy.Tier[] memory tiers = fuzzedTiers(secs, bps, count, type(uint32).max);
        // `earlier` leaves more time before the start than `later`.
        earlier = bound(earlier, 0, uint256(type(uint32).max) + 1);
        later = bound(later, 0, earlier);
        assertLe(
            CancellationPolicy.refundBps(tiers, later),
            CancellationPolicy.refundBps(tiers, earlier),
            "cancelling later refunds more"
        );
    }

    /// @dev SPEC: "no matching tier means no refund" (including a policy with no tiers at all).
    function testFuzz_refundBpsIsZeroWhenNoTierMatches(
        uint32[5] memory secs,
        uint16[5] memory bps,
        uint256 count,
        uint256 secondsLeft
    ) public pure {
        CancellationPolicy.Tier[] memory tiers = fuzzedTiers(secs, bps, count, type(uint32).max);
        uint256 smallest = tiers.length == 0 ? type(uint256).max : tiers[tiers.length - 1].secondsBeforeStart;
        if (smallest == 0) return; // a zero threshold matches every time left; nothing to check
        secondsLeft = bound(secondsLeft, 0, smallest == type(uint256).max ? type(uint256).max : smallest - 1);
        assertEq(CancellationPolicy.refundBps(tiers, secondsLeft), 0, "refund with no matching tier");
    }

    // ------------------------------------------------------------------------------------------------------
    // Validation at createOffering
    // ------------------------------------------------------------------------------------------------------

    /// @dev The validation restated: the error the escrow must raise for `tiers`, or empty when they are valid.
    function expectedTierError(CancellationPolicy.Tier[] memory tiers) internal pure returns (bytes memory) {
        if (tiers.length > MAX_TIERS) {
            return abi.encodeWithSelector(IOfferingRegistry.TooManyTiers.selector, tiers.length, MAX_TIERS);
        }
        for (uint256 i; i < tiers.length; ++i) {
            if (tiers[i].refundBps > 10_000) {
                return abi.encodeWithSelector(IOfferingRegistry.ShareAboveWhole.selector, uint256(tiers[i].refundBps));
            }
            if (i == 0) continue;
            bool secondsNotDecreasing = tiers[i].secondsBeforeStart >= tiers[i - 1].secondsBeforeStart;
            bool bpsIncreasing = tiers[i].refundBps > tiers[i - 1].refundBps;
            if (secondsNotDecreasing || bpsIncreasing) {
                return abi.encodeWithSelector(IOfferingRegistry.TierOutOfOrder.selector, i, tiers[i], tiers[i - 1]);
            }
        }
        return "";
    }

    /// @dev The rule is only well defined on ordered tiers, so the escrow must accept exactly the valid lists and
    ///      name the first defect of an invalid one. Inputs are shaped valid about half the time and then sometimes
    ///      broken in one field, so both sides of every check get exercised (raw random lists are almost never valid).
    function testFuzz_createOfferingAcceptsExactlyValidTiers(
        uint32[7] memory secsIn,
        uint16[7] memory bpsIn,
        uint256 count,
        uint256 mode,
        uint256 breakAt,
        uint32 breakValue
    ) public {
        count = bound(count, 0, 7);
        uint32[] memory secs = new uint32[](count);
        uint16[] memory bps = new uint16[](count);
        for (uint256 i; i < count; ++i) {
            secs[i] = secsIn[i];
            bps[i] = bpsIn[i];
        }
        CancellationPolicy.Tier[] memory tiers;
        if (mode % 2 == 0) {
            tiers = new CancellationPolicy.Tier[](count);
            for (uint256 i; i < count; ++i) {
                tiers[i] = CancellationPolicy.Tier({secondsBeforeStart: secs[i], refundBps: bps[i]});
            }
        } else {
            tiers = shapeTiers(secs, bps, type(uint32).max);
        }
        // Occasionally break one field of one tier: a duplicate threshold, a rising share, or a share above 100 %.
        if (count != 0 && (mode / 2) % 3 != 0) {
            uint256 i = bound(breakAt, 0, count - 1);
            uint256 how = (mode / 6) % 3;
            if (how == 0 && i > 0) tiers[i].secondsBeforeStart = tiers[i - 1].secondsBeforeStart;
            else if (how == 1 && i > 0)
                tiers[i].refundBps = uint16(bound(breakValue, tiers[i - 1].refundBps, type(uint16).max));
            else if (how == 2) tiers[i].refundBps = uint16(bound(breakValue, 10_001, type(uint16).max));
            else tiers[i].secondsBeforeStart = breakValue;
        }

        IOfferingRegistry.OfferingTerms memory terms = defaultTerms(address(0));
        terms.cancellationTiers = tiers;
        bytes memory expectedError = expectedTierError(tiers);
        if (expectedError.length != 0) {
            vm.expectRevert(expectedError);
            createOffering(terms);
            return;
        }
        uint32 offeringId = createOffering(terms);
        CancellationPolicy.Tier[] memory stored = escrow.getOffering(offeringId).cancellationTiers;
        assertEq(stored.length, tiers.length, "stored tier count");
        for (uint256 i; i < tiers.length; ++i) {
            assertEq(stored[i].secondsBeforeStart, tiers[i].secondsBeforeStart, "stored secondsBeforeStart");
            assertEq(stored[i].refundBps, tiers[i].refundBps, "stored refundBps");
        }
    }

    /// @dev A policy longer than the cap is refused even if perfectly ordered: the cap bounds the gas of every
    ///      cancellation, which walks the tiers.
    function testFuzz_reverts_whenMoreThanMaxTiers(uint32[5] memory secs, uint16[5] memory bps, uint256 extra) public {
        uint256 n = MAX_TIERS + bound(extra, 1, 20);
        uint32[] memory s = new uint32[](n);
        uint16[] memory b = new uint16[](n);
        for (uint256 i; i < n; ++i) {
            s[i] = secs[i % 5];
            b[i] = bps[i % 5];
        }
        IOfferingRegistry.OfferingTerms memory terms = defaultTerms(address(0));
        terms.cancellationTiers = shapeTiers(s, b, type(uint32).max);
        vm.expectRevert(abi.encodeWithSelector(IOfferingRegistry.TooManyTiers.selector, n, MAX_TIERS));
        createOffering(terms);
    }

    // ------------------------------------------------------------------------------------------------------
    // The rule as the escrow applies it
    // ------------------------------------------------------------------------------------------------------

    /// @dev The library being right is not enough: the escrow must feed it the time left before the booked slot
    ///      and pay exactly that share of the deposit, both in the `refundAt` preview and in the actual cancel.
    function testFuzz_cancelRefundsPolicyShare(
        uint32[5] memory secs,
        uint16[5] memory bps,
        uint256 count,
        uint256 slotIndex,
        uint256 waited,
        uint16 seats
    ) public {
        IOfferingRegistry.OfferingTerms memory terms = defaultTerms(address(0));
        terms.maxAdvance = uint32(60 * DAY);
        terms.cancellationTiers = fuzzedTiers(secs, bps, count, uint32(60 * DAY));
        uint32 offeringId = createOffering(terms);
        seats = uint16(bound(seats, 1, terms.seatsPerSlot));

        // A grid slot inside the booking window [now + 1 h, now + 60 days].
        uint256 firstBookable = terms.firstSlotStart + 2 * HOUR;
        uint40 slotStart = uint40(firstBookable + bound(slotIndex, 0, 60 * 24 - 3) * HOUR);
        uint256 bookingId = bookAs(customer, offeringId, slotStart, seats);
        uint256 amount = uint256(terms.depositPerSeat) * seats;

        vm.warp(bound(waited, block.timestamp, slotStart - 1));
        uint256 shareBps = expectedRefundBps(terms.cancellationTiers, slotStart - block.timestamp);
        uint256 expectedRefund = (amount * shareBps) / 10_000;
        assertEq(escrow.refundAt(bookingId, block.timestamp), expectedRefund, "refundAt preview");

        uint256 before = customer.balance;
        vm.prank(customer);
        escrow.cancel(bookingId);
        assertEq(customer.balance - before, expectedRefund, "refund paid on cancel");
    }
}
