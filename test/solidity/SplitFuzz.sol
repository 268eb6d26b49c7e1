// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Split} from "../../contracts/libraries/Split.sol";
import {TestBase} from "./utils/Vm.sol";

/// @notice Exposes the internal library as an external call, so an overflow can be caught with `expectRevert`.
contract SplitHarness {
    function split(
        uint256 amount,
        uint256 customerBps,
        uint256 feeBps
    ) external pure returns (uint256, uint256, uint256) {
        return Split.split(amount, customerBps, feeBps);
    }
}

/// @title SplitFuzz
/// @notice Every outcome of a booking is paid through `Split.split`, so "the split sums exactly to the amount"
///         (SPEC §2, invariant 2) and "the fee comes out of the merchant's share only" hold for the whole protocol
///         only if they hold here for every amount a booking can hold and every share and fee the code can pass.
contract SplitFuzzTest is TestBase {
    uint256 internal constant BPS = 10_000;
    /// @dev The fee cap of `ProtocolConfig.MAX_FEE_BPS`: the largest fee a booking can ever snapshot.
    uint256 internal constant MAX_FEE_BPS = 1_000;
    /// @dev The largest amount a booking can hold: `depositPerSeat` is a uint96 and `seats` a uint16.
    uint256 internal constant MAX_BOOKING_AMOUNT = uint256(type(uint96).max) * type(uint16).max;
    /// @dev The largest amount for which `amount * customerBps` cannot overflow whatever the share.
    uint256 internal constant MAX_SAFE_AMOUNT = type(uint256).max / BPS;

    SplitHarness internal harness;

    function setUp() public {
        harness = new SplitHarness();
    }

    /// @dev Nothing may be created or lost in rounding: a missing wei would strand funds in the escrow, an extra one
    ///      would be paid out of other bookings' deposits. Checked up to the overflow bound, far above any booking.
    function testFuzz_partsSumToAmount(uint256 amount, uint256 customerBps, uint256 feeBps) public pure {
        amount = bound(amount, 0, MAX_SAFE_AMOUNT);
        customerBps = bound(customerBps, 0, BPS);
        feeBps = bound(feeBps, 0, MAX_FEE_BPS);
        (uint256 customerShare, uint256 merchantShare, uint256 fee) = Split.split(amount, customerBps, feeBps);
        assertEq(customerShare + merchantShare + fee, amount, "customer + merchant + fee != amount");
    }

    /// @dev Same property on the amounts bookings actually hold, so the fuzzer spends its runs where the money is
    ///      (uniform sampling of the wider range almost never draws a realistic deposit).
    function testFuzz_partsSumToAmount_whenAmountFitsABooking(
        uint256 amount,
        uint256 customerBps,
        uint256 feeBps
    ) public pure {
        amount = bound(amount, 0, MAX_BOOKING_AMOUNT);
        customerBps = bound(customerBps, 0, BPS);
        feeBps = bound(feeBps, 0, MAX_FEE_BPS);
        (uint256 customerShare, uint256 merchantShare, uint256 fee) = Split.split(amount, customerBps, feeBps);
        assertEq(customerShare + merchantShare + fee, amount, "customer + merchant + fee != amount");
    }

    /// @dev The customer's share is the published rule `amount * bps / 10000` rounded down, no more and no less:
    ///      the merchant, not the customer, keeps the rounding, and a customer can compute the refund off-chain.
    function testFuzz_customerShareIsFlooredBps(uint128 amount128, uint256 customerBps, uint256 feeBps) public pure {
        uint256 amount = amount128;
        customerBps = bound(customerBps, 0, BPS);
        feeBps = bound(feeBps, 0, MAX_FEE_BPS);
        (uint256 customerShare, , ) = Split.split(amount, customerBps, feeBps);
        assertEq(customerShare, (amount * customerBps) / BPS, "customer share != floor(amount * bps / 10000)");
        // Stated again without the same expression: the share is the largest integer with share * 10000 <= amount * bps.
        assertLe(customerShare * BPS, amount * customerBps, "customer share rounds up");
        assertTrue((customerShare + 1) * BPS > amount * customerBps, "customer share rounds down by more than 1 wei");
    }

    /// @dev The owner's fee is capped at 10 % of the merchant's gross share; a fee computed on the whole amount or
    ///      rounded up would take more than the cap promises merchants.
    function testFuzz_feeAtMostCapOfMerchantGross(uint256 amount, uint256 customerBps, uint256 feeBps) public pure {
        amount = bound(amount, 0, MAX_SAFE_AMOUNT);
        customerBps = bound(customerBps, 0, BPS);
        feeBps = bound(feeBps, 0, MAX_FEE_BPS);
        (uint256 customerShare, uint256 merchantShare, uint256 fee) = Split.split(amount, customerBps, feeBps);
        uint256 merchantGross = amount - customerShare;
        assertEq(merchantShare + fee, merchantGross, "merchant share + fee != merchant gross");
        assertLe(fee, (merchantGross * MAX_FEE_BPS) / BPS, "fee above 10 % of the merchant gross");
        assertLe(fee, (merchantGross * feeBps) / BPS, "fee above its own rate");
    }

    /// @dev SPEC §2: the fee comes out of the merchant's share only. Whatever the fee, the customer gets exactly what
    ///      a fee-free split gives, so the owner raising the fee can never shrink a refund.
    function testFuzz_feeNeverReducesCustomerShare(
        uint256 amount,
        uint256 customerBps,
        uint256 feeBps,
        uint256 otherFeeBps
    ) public pure {
        amount = bound(amount, 0, MAX_SAFE_AMOUNT);
        customerBps = bound(customerBps, 0, BPS);
        feeBps = bound(feeBps, 0, MAX_FEE_BPS);
        otherFeeBps = bound(otherFeeBps, 0, MAX_FEE_BPS);
        (uint256 withFee, , ) = Split.split(amount, customerBps, feeBps);
        (uint256 withOtherFee, , ) = Split.split(amount, customerBps, otherFeeBps);
        (uint256 feeFree, uint256 merchantFeeFree, uint256 zeroFee) = Split.split(amount, customerBps, 0);
        assertEq(withFee, feeFree, "fee changed the customer share");
        assertEq(withOtherFee, feeFree, "another fee changed the customer share");
        assertEq(zeroFee, 0, "zero fee rate charged a fee");
        assertEq(merchantFeeFree, amount - feeFree, "fee-free merchant share is not the rest");
    }

    /// @dev The edges the outcomes use: a full refund (merchant cancellation) leaves nothing for merchant or fee, a
    ///      zero refund (check-in) gives the customer nothing; a wrong edge would pay a fee on a full refund.
    function testFuzz_edgeSharesGoWhollyToOneSide(uint256 amount, uint256 feeBps) public pure {
        amount = bound(amount, 0, MAX_BOOKING_AMOUNT);
        feeBps = bound(feeBps, 0, MAX_FEE_BPS);
        (uint256 c, uint256 m, uint256 f) = Split.split(amount, BPS, feeBps);
        assertEq(c, amount, "full refund: customer");
        assertEq(m + f, 0, "full refund: merchant or fee got something");
        (c, m, f) = Split.split(amount, 0, feeBps);
        assertEq(c, 0, "no refund: customer");
        assertEq(f, (amount * feeBps) / BPS, "no refund: fee");
    }

    /// @dev A larger refund share never pays the customer less and never pays the merchant or protocol more: the
    ///      cancellation tiers and arbiter rulings rely on bps being monotonic in money.
    function testFuzz_sharesMonotonicInCustomerBps(
        uint256 amount,
        uint256 lowBps,
        uint256 highBps,
        uint256 feeBps
    ) public pure {
        amount = bound(amount, 0, MAX_BOOKING_AMOUNT);
        lowBps = bound(lowBps, 0, BPS);
        highBps = bound(highBps, lowBps, BPS);
        feeBps = bound(feeBps, 0, MAX_FEE_BPS);
        (uint256 cLow, uint256 mLow, uint256 fLow) = Split.split(amount, lowBps, feeBps);
        (uint256 cHigh, uint256 mHigh, uint256 fHigh) = Split.split(amount, highBps, feeBps);
        assertLe(cLow, cHigh, "higher bps paid the customer less");
        assertGe(mLow, mHigh, "higher bps paid the merchant more");
        assertGe(fLow, fHigh, "higher bps charged a larger fee");
    }

    /// @dev The largest booking (max deposit per seat times max seats) at the fee cap is exact and cannot overflow:
    ///      the packing limits of the offering and booking structs must stay inside what `split` can handle.
    function test_succeeds_whenAmountIsTheLargestBooking() public pure {
        (uint256 c, uint256 m, uint256 f) = Split.split(MAX_BOOKING_AMOUNT, 3_333, MAX_FEE_BPS);
        assertEq(c + m + f, MAX_BOOKING_AMOUNT, "largest booking does not split exactly");
        assertEq(c, (MAX_BOOKING_AMOUNT * 3_333) / BPS, "largest booking: customer share");
    }

    /// @dev Documents the real overflow bound so nobody widens the amount types past it: above
    ///      `type(uint256).max / 10000` a non-zero share overflows (checked arithmetic reverts, it never wraps).
    function testFuzz_reverts_whenAmountOverflowsProduct(uint256 amount, uint256 customerBps) public {
        // From 2 bps: with 1 bps the product cannot overflow a uint256 amount at all.
        customerBps = bound(customerBps, 2, BPS);
        amount = bound(amount, type(uint256).max / customerBps + 1, type(uint256).max);
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x11));
        harness.split(amount, customerBps, 0);
    }
}
