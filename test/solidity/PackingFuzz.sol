// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EarnestEscrow} from "../../contracts/EarnestEscrow.sol";
import {IBookings} from "../../contracts/interfaces/IBookings.sol";
import {IEscrowViews} from "../../contracts/interfaces/IEscrowViews.sol";
import {IOfferingRegistry} from "../../contracts/interfaces/IOfferingRegistry.sol";
import {IProtocolConfig} from "../../contracts/interfaces/IProtocolConfig.sol";
import {CancellationPolicy} from "../../contracts/libraries/CancellationPolicy.sol";
import {EscrowFixture} from "./utils/EscrowFixture.sol";

/// @title PackingFuzz
/// @notice The escrow packs a booking into one storage word and derives its start, offering and amount from the id
///         and the offering (`offeringId << 72 | slotStart << 32 | n`). Packing bugs truncate silently, so these
///         properties drive every field to the edge of its type through the real escrow and read it back.
contract PackingFuzzTest is EscrowFixture {
    /// @dev Books `seats` in `slotStart` as `who`, funding them first in the offering's token or ETH.
    function fundAndBook(address who, uint32 offeringId, uint40 slotStart, uint16 seats) internal returns (uint256) {
        return bookAs(who, offeringId, slotStart, seats);
    }

    /// @dev The stored amount is recomputed as `depositPerSeat * seats` on every read: it must equal what was paid,
    ///      to the wei, at the largest deposit and seat count the types allow, in ETH and in a token.
    function testFuzz_amountIsDepositTimesSeats(
        uint96 depositPerSeat,
        uint16 seatsPerSlot,
        uint16 seats,
        bool useToken
    ) public {
        IOfferingRegistry.OfferingTerms memory terms = defaultTerms(useToken ? address(stablecoin) : address(0));
        terms.depositPerSeat = uint96(bound(depositPerSeat, 1, type(uint96).max));
        terms.seatsPerSlot = uint16(bound(seatsPerSlot, 1, type(uint16).max));
        seats = uint16(bound(seats, 1, terms.seatsPerSlot));
        uint32 offeringId = createOffering(terms);
        uint40 slotStart = uint40(terms.firstSlotStart + 3 * HOUR);

        uint256 escrowBefore = useToken ? stablecoin.balanceOf(address(escrow)) : address(escrow).balance;
        uint256 bookingId = fundAndBook(customer, offeringId, slotStart, seats);
        uint256 escrowAfter = useToken ? stablecoin.balanceOf(address(escrow)) : address(escrow).balance;

        uint256 expected = uint256(terms.depositPerSeat) * seats;
        IEscrowViews.BookingView memory b = escrow.getBooking(bookingId);
        assertEq(b.amount, expected, "stored amount != depositPerSeat * seats");
        assertEq(escrowAfter - escrowBefore, expected, "paid amount != depositPerSeat * seats");
        assertEq(b.seats, seats, "stored seats");
        assertEq(b.customer, customer, "stored customer");
        assertEq(escrow.seatsLeft(offeringId, slotStart), terms.seatsPerSlot - seats, "seats left");
    }

    /// @dev The slot start lives only in the id. Any start on the grid, up to the last one a uint40 holds, must come
    ///      back unchanged with its offering, and the id must have the documented layout (the dApp and the auditor
    ///      decode it without calling the contract).
    function testFuzz_bookingIdRoundTripsSlotAndOffering(
        uint40 firstSlotStart,
        uint32 slotLength,
        uint256 k,
        uint8 extraOfferings,
        uint8 earlierBookings
    ) public {
        // Some offerings first, so the offering id is not always 1.
        extraOfferings = uint8(bound(extraOfferings, 0, 4));
        for (uint256 i; i < extraOfferings; ++i) createOffering(defaultTerms(address(0)));

        IOfferingRegistry.OfferingTerms memory terms = defaultTerms(address(0));
        terms.firstSlotStart = uint40(bound(firstSlotStart, 0, type(uint40).max));
        terms.slotLength = uint32(bound(slotLength, 1, 30 * DAY)); // SPEC: a slot is at most 30 days
        terms.seatsPerSlot = 300;
        terms.minLeadTime = 0;
        terms.maxAdvance = 0; // book at exactly the slot's start
        uint32 offeringId = createOffering(terms);

        uint256 maxK = (uint256(type(uint40).max) - terms.firstSlotStart) / terms.slotLength;
        k = bound(k, 0, maxK);
        uint40 slotStart = uint40(terms.firstSlotStart + k * terms.slotLength);
        vm.warp(slotStart);

        earlierBookings = uint8(bound(earlierBookings, 0, 20));
        for (uint256 i; i < earlierBookings; ++i) fundAndBook(address(uint160(0x1000 + i)), offeringId, slotStart, 1);
        uint256 bookingId = fundAndBook(customer, offeringId, slotStart, 1);

        uint256 n = uint256(earlierBookings) + 1;
        assertEq(bookingId, (uint256(offeringId) << 72) | (uint256(slotStart) << 32) | n, "id layout");
        IEscrowViews.BookingView memory b = escrow.getBooking(bookingId);
        assertEq(b.slotStart, slotStart, "slotStart from id");
        assertEq(b.offeringId, offeringId, "offeringId from id");
        assertEq(b.bookingId, bookingId, "bookingId echoed");
        assertEq(uint8(b.status), uint8(IBookings.BookingStatus.Booked), "status");
    }

    /// @dev A start that is not on the grid must be refused, or a second booking a second later would sit in a
    ///      different capacity bucket and overbook the real slot.
    function testFuzz_reverts_whenSlotOffGrid(uint32 slotLength, uint256 k, uint256 offset) public {
        IOfferingRegistry.OfferingTerms memory terms = defaultTerms(address(0));
        terms.slotLength = uint32(bound(slotLength, 2, 7 * DAY));
        terms.maxAdvance = type(uint32).max;
        uint32 offeringId = createOffering(terms);
        k = bound(k, 1, 1000);
        offset = bound(offset, 1, terms.slotLength - 1);
        uint40 slotStart = uint40(terms.firstSlotStart + k * terms.slotLength + offset);
        vm.deal(customer, terms.depositPerSeat);
        vm.expectRevert(
            abi.encodeWithSelector(
                IBookings.SlotOffGrid.selector,
                offeringId,
                slotStart,
                terms.firstSlotStart,
                terms.slotLength
            )
        );
        vm.prank(customer);
        escrow.book{value: terms.depositPerSeat}(offeringId, slotStart, 1, bytes32(0));
    }

    /// @dev SPEC invariant 3: capacity is enforced on-chain. A run of bookings of random sizes into one slot succeeds
    ///      exactly while the total fits, fails with `SlotFull` naming the seats left otherwise, and cancellations
    ///      give seats back; `seatsLeft` tracks the model throughout.
    function testFuzz_seatsNeverExceedSeatsPerSlot(
        uint16 seatsPerSlot,
        uint16[10] memory requests,
        uint256 cancelMask
    ) public {
        IOfferingRegistry.OfferingTerms memory terms = defaultTerms(address(0));
        terms.seatsPerSlot = uint16(bound(seatsPerSlot, 1, type(uint16).max));
        terms.depositPerSeat = 1;
        uint32 offeringId = createOffering(terms);
        uint40 slotStart = uint40(terms.firstSlotStart + 72 * HOUR);

        uint256 held;
        uint256[10] memory ids;
        uint16[10] memory sizes;
        for (uint256 i; i < requests.length; ++i) {
            // Mostly sizes near what is left, so both outcomes happen; sometimes any uint16.
            uint256 nearLeft = terms.seatsPerSlot - held + (i % 3);
            if (nearLeft == 0) nearLeft = 1;
            if (nearLeft > type(uint16).max) nearLeft = type(uint16).max;
            uint16 want = i % 3 == 2 ? requests[i] : uint16(bound(requests[i], 1, nearLeft));
            if (want == 0) want = 1;
            address who = address(uint160(0x2000 + i));
            vm.deal(who, want);
            if (held + want > terms.seatsPerSlot) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IBookings.SlotFull.selector,
                        offeringId,
                        slotStart,
                        terms.seatsPerSlot - held,
                        want
                    )
                );
                vm.prank(who);
                escrow.book{value: want}(offeringId, slotStart, want, bytes32(0));
            } else {
                vm.prank(who);
                ids[i] = escrow.book{value: want}(offeringId, slotStart, want, bytes32(0));
                sizes[i] = want;
                held += want;
                // Cancel some right away: freed seats must be bookable again.
                if ((cancelMask >> i) & 1 == 1) {
                    vm.prank(who);
                    escrow.cancel(ids[i]);
                    held -= want;
                }
            }
            assertLe(held, terms.seatsPerSlot, "model over capacity");
            assertEq(escrow.seatsLeft(offeringId, slotStart), terms.seatsPerSlot - held, "seatsLeft != model");
        }
    }

    /// @dev The fee is snapshotted at booking time (SPEC §2): for any fee up to the cap the booking records exactly
    ///      the fee in force, and a later change by the owner leaves it alone.
    function testFuzz_feeSnapshotEqualsConfigAtBooking(uint16 feeBps, uint16 laterFeeBps) public {
        feeBps = uint16(bound(feeBps, 0, escrow.MAX_FEE_BPS()));
        laterFeeBps = uint16(bound(laterFeeBps, 0, escrow.MAX_FEE_BPS()));
        vm.prank(owner);
        escrow.setFee(feeBps);
        assertEq(escrow.config().feeBps, feeBps, "config fee");
        uint32 offeringId = createOffering(defaultTerms(address(stablecoin)));
        uint40 slotStart = uint40(defaultTerms(address(0)).firstSlotStart + 5 * HOUR);
        uint256 bookingId = fundAndBook(customer, offeringId, slotStart, 2);
        assertEq(escrow.getBooking(bookingId).feeBps, feeBps, "snapshot != fee at booking time");

        vm.prank(owner);
        escrow.setFee(laterFeeBps);
        assertEq(escrow.getBooking(bookingId).feeBps, feeBps, "snapshot moved with a later fee change");
        uint256 nextId = fundAndBook(customer, offeringId, slotStart, 1);
        assertEq(escrow.getBooking(nextId).feeBps, laterFeeBps, "new booking did not take the new fee");
    }

    /// @dev The cap is the owner's only promise about fees; any value above it must be refused and leave the fee.
    function testFuzz_reverts_whenFeeAboveCap(uint16 feeBps) public {
        feeBps = uint16(bound(feeBps, uint256(escrow.MAX_FEE_BPS()) + 1, type(uint16).max));
        vm.expectRevert(abi.encodeWithSelector(IProtocolConfig.FeeTooHigh.selector, feeBps, escrow.MAX_FEE_BPS()));
        vm.prank(owner);
        escrow.setFee(feeBps);
        assertEq(escrow.config().feeBps, FEE_BPS, "fee changed by a refused call");
    }

    /// @dev The cap also binds at deployment, where there is no owner check to lean on.
    function testFuzz_reverts_whenDeployedWithFeeAboveCap(uint16 feeBps) public {
        feeBps = uint16(bound(feeBps, 1_001, type(uint16).max));
        vm.expectRevert(abi.encodeWithSelector(IProtocolConfig.FeeTooHigh.selector, feeBps, uint16(1_000)));
        new EarnestEscrow(owner, feeRecipient, feeBps);
    }

    /// @dev The first word of a stored offering packs eleven fields into exactly 256 bits, with the check-in rule, the
    ///      highest fee accepted and the arbiter's 24-bit tag beside the booking window: every field must come back
    ///      unchanged at any value its type and the SPEC allow, and the tag must be the arbiter's low 24 bits.
    function testFuzz_offeringTermsRoundTrip(uint256[10] memory seeds) public {
        IOfferingRegistry.OfferingTerms memory terms = defaultTerms(address(stablecoin));
        terms.seatsPerSlot = uint16(bound(seeds[0], 1, type(uint16).max));
        terms.slotLength = uint32(bound(seeds[1], 1, 30 * DAY)); // SPEC: a slot is at most 30 days
        terms.firstSlotStart = uint40(seeds[2]);
        terms.minLeadTime = uint32(seeds[3]);
        terms.maxAdvance = uint32(bound(seeds[4], terms.minLeadTime, type(uint32).max));
        terms.disputeWindow = uint32(bound(seeds[5], 0, 30 * DAY));
        terms.noShowRefundBps = uint16(bound(seeds[6], 0, 10_000));
        terms.maxFeeBps = uint16(seeds[7]);
        terms.checkInRule = IOfferingRegistry.CheckInRule(seeds[8] % 2);
        terms.arbiter = address(uint160(bound(seeds[9], 1, type(uint160).max)));
        if (terms.arbiter == merchant || terms.arbiter == payout) terms.arbiter = arbiter;
        terms.arbiterTimeout = uint32(bound(seeds[9] >> 160, 1, 30 * DAY));
        uint32 offeringId = createOffering(terms);

        IOfferingRegistry.Offering memory o = escrow.getOffering(offeringId);
        assertEq(o.seatsPerSlot, terms.seatsPerSlot, "seatsPerSlot");
        assertEq(o.slotLength, terms.slotLength, "slotLength");
        assertEq(o.firstSlotStart, terms.firstSlotStart, "firstSlotStart");
        assertEq(o.minLeadTime, terms.minLeadTime, "minLeadTime");
        assertEq(o.maxAdvance, terms.maxAdvance, "maxAdvance");
        assertEq(o.disputeWindow, terms.disputeWindow, "disputeWindow");
        assertEq(o.noShowRefundBps, terms.noShowRefundBps, "noShowRefundBps");
        assertTrue(o.active, "active");
        assertEq(o.maxFeeBps, terms.maxFeeBps, "maxFeeBps");
        assertEq(uint8(o.checkInRule), uint8(terms.checkInRule), "checkInRule");
        assertEq(o.arbiterTag, uint160(terms.arbiter) & 0xFFFFFF, "arbiterTag != the arbiter's low 24 bits");
        assertEq(o.token, terms.token, "token");
        assertEq(o.depositPerSeat, terms.depositPerSeat, "depositPerSeat");
        assertEq(o.merchant, merchant, "merchant");
        assertEq(o.arbiterTimeout, terms.arbiterTimeout, "arbiterTimeout");
        assertEq(o.arbiter, terms.arbiter, "arbiter");
    }

    /// @dev SPEC: a slot is at most 30 days, so no booking's check-in window or settlement can be put off for longer.
    function testFuzz_reverts_whenSlotLongerThan30Days(uint32 slotLength) public {
        IOfferingRegistry.OfferingTerms memory terms = defaultTerms(address(0));
        terms.slotLength = uint32(bound(slotLength, 30 * DAY + 1, type(uint32).max));
        vm.expectRevert(
            abi.encodeWithSelector(IOfferingRegistry.SlotTooLong.selector, terms.slotLength, uint32(30 * DAY))
        );
        createOffering(terms);
    }

    /// @dev The tiers array is stored after the two words a booking reads; an offering with the maximum tier count
    ///      must still book and read back its amount and tiers unchanged.
    function test_succeeds_whenOfferingHasMaxTiers() public {
        IOfferingRegistry.OfferingTerms memory terms = defaultTerms(address(0));
        CancellationPolicy.Tier[] memory tiers = new CancellationPolicy.Tier[](5);
        for (uint256 i; i < 5; ++i) {
            tiers[i] = CancellationPolicy.Tier({
                secondsBeforeStart: uint32((5 - i) * DAY),
                refundBps: uint16(10_000 - i * 2_000)
            });
        }
        terms.cancellationTiers = tiers;
        uint32 offeringId = createOffering(terms);
        uint256 bookingId = fundAndBook(customer, offeringId, uint40(terms.firstSlotStart + 24 * HOUR), 1);
        assertEq(escrow.getBooking(bookingId).amount, terms.depositPerSeat, "amount");
        assertEq(escrow.getOffering(offeringId).cancellationTiers.length, 5, "tiers stored");
    }
}
