// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBookings} from "../../contracts/interfaces/IBookings.sol";
import {IOfferingRegistry} from "../../contracts/interfaces/IOfferingRegistry.sol";
import {EscrowFixture} from "./utils/EscrowFixture.sol";
import {TypedData} from "./utils/TypedData.sol";

/// @title CheckInWindowFuzz
/// @notice The two kinds of check-in and their windows (SPEC §2, Check-in): the merchant's word counts only from the
///         slot's start until it ends, so it can never take away a cancellation the policy still offers; the
///         customer's signature counts from an hour before the start, and the customer who gives it gives up
///         cancelling. Random slot lengths (up to the SPEC's 30 days) and random times around both edges.
contract CheckInWindowFuzzTest is EscrowFixture {
    /// @dev SPEC: the customer's signature counts from a short, bounded time before the start (one hour).
    uint256 internal constant OPENS_BEFORE_START = 1 hours;
    uint256 internal constant CUSTOMER_KEY = 0xC0571;

    address internal signer = vm.addr(CUSTOMER_KEY);

    /// @dev Books one seat of a fresh offering whose first slot starts two days from now, as the key-holding customer.
    function bookSlot(
        uint32 slotLength,
        bool signatureOnly
    ) internal returns (uint256 bookingId, uint256 slotStart, uint256 slotEnd) {
        IOfferingRegistry.OfferingTerms memory terms = defaultTerms(address(0));
        terms.slotLength = uint32(bound(slotLength, 1, 30 * DAY));
        terms.firstSlotStart = uint40(START + 2 * DAY);
        terms.minLeadTime = 0;
        terms.maxAdvance = uint32(3 * DAY);
        if (signatureOnly) terms.checkInRule = IOfferingRegistry.CheckInRule.CustomerSignature;
        uint32 offeringId = createOffering(terms);
        slotStart = terms.firstSlotStart;
        slotEnd = slotStart + terms.slotLength;
        bookingId = bookAs(signer, offeringId, uint40(slotStart), 1);
    }

    function customerSignature(uint256 key, uint256 bookingId) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, TypedData.checkInDigest(address(escrow), bookingId));
        return abi.encodePacked(r, s, v);
    }

    /// @dev A time from two hours before the slot to an hour after it ends, edges included now and then.
    function around(uint256 at, uint256 slotStart, uint256 slotEnd) internal pure returns (uint256) {
        return bound(at, slotStart - 2 hours, slotEnd + 1 hours);
    }

    function testFuzz_checkIn_succeedsOnlyDuringTheSlot(uint32 slotLength, uint256 at) public {
        (uint256 bookingId, uint256 slotStart, uint256 slotEnd) = bookSlot(slotLength, false);
        vm.warp(around(at, slotStart, slotEnd));
        if (block.timestamp < slotStart || block.timestamp >= slotEnd) {
            vm.expectRevert(abi.encodeWithSelector(IBookings.CheckInClosed.selector, bookingId, slotStart, slotEnd));
        }
        vm.prank(merchant);
        escrow.checkIn(bookingId);
        bool open = block.timestamp >= slotStart && block.timestamp < slotEnd;
        assertEq(escrow.getBooking(bookingId).checkedIn, open, "checked in outside the slot, or not inside it");
    }

    function testFuzz_checkInWithSignature_succeedsFromAnHourBeforeTheSlot(
        uint32 slotLength,
        uint256 at,
        bool signatureOnly
    ) public {
        (uint256 bookingId, uint256 slotStart, uint256 slotEnd) = bookSlot(slotLength, signatureOnly);
        uint256 opensAt = slotStart - OPENS_BEFORE_START;
        vm.warp(around(at, slotStart, slotEnd));
        bool open = block.timestamp >= opensAt && block.timestamp < slotEnd;
        if (!open)
            vm.expectRevert(abi.encodeWithSelector(IBookings.CheckInClosed.selector, bookingId, opensAt, slotEnd));
        bytes memory signature = customerSignature(CUSTOMER_KEY, bookingId);
        vm.prank(merchant);
        escrow.checkInWithSignature(bookingId, signature);
        assertEq(escrow.getBooking(bookingId).checkedIn, open, "signed check-in outside its window, or not inside it");
    }

    /// @dev The customer chose to check in early, so the cancellation tiers no longer apply to them.
    function testFuzz_cancel_reverts_whenCheckedInWithSignatureBeforeStart(uint32 slotLength, uint256 at) public {
        (uint256 bookingId, uint256 slotStart, ) = bookSlot(slotLength, false);
        vm.warp(bound(at, slotStart - OPENS_BEFORE_START, slotStart - 1));
        vm.prank(merchant);
        escrow.checkInWithSignature(bookingId, customerSignature(CUSTOMER_KEY, bookingId));
        vm.expectRevert(abi.encodeWithSelector(IBookings.AlreadyCheckedIn.selector, bookingId));
        vm.prank(signer);
        escrow.cancel(bookingId);
    }

    /// @dev Nobody but the customer (the merchant included) can sign the customer in.
    function testFuzz_checkInWithSignature_reverts_whenSignedByAnotherKey(uint256 key, uint256 at) public {
        // Any valid secp256k1 key but the customer's.
        key = bound(key, 1, 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140);
        if (key == CUSTOMER_KEY) ++key;
        (uint256 bookingId, uint256 slotStart, uint256 slotEnd) = bookSlot(uint32(HOUR), false);
        vm.warp(bound(at, slotStart - OPENS_BEFORE_START, slotEnd - 1));
        bytes memory signature = customerSignature(key, bookingId);
        vm.expectRevert(abi.encodeWithSelector(IBookings.InvalidCheckInSignature.selector, bookingId, signer));
        vm.prank(merchant);
        escrow.checkInWithSignature(bookingId, signature);
    }

    /// @dev Where only the customer's signature proves attendance, the merchant's word never counts, at any time.
    function testFuzz_checkIn_reverts_whenOfferingTakesOnlyTheCustomerSignature(uint32 slotLength, uint256 at) public {
        (uint256 bookingId, uint256 slotStart, uint256 slotEnd) = bookSlot(slotLength, true);
        vm.warp(around(at, slotStart, slotEnd));
        vm.expectRevert(
            abi.encodeWithSelector(
                IBookings.CustomerSignatureRequired.selector,
                escrow.getBooking(bookingId).offeringId
            )
        );
        vm.prank(merchant);
        escrow.checkIn(bookingId);
    }
}
