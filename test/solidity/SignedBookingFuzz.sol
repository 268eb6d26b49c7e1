// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBookings} from "../../contracts/interfaces/IBookings.sol";
import {ICoupons} from "../../contracts/interfaces/ICoupons.sol";
import {IOfferingRegistry} from "../../contracts/interfaces/IOfferingRegistry.sol";
import {ISignedBookings} from "../../contracts/interfaces/ISignedBookings.sol";
import {MockUSDC} from "../../contracts/mocks/MockUSDC.sol";
import {EscrowFixture} from "./utils/EscrowFixture.sol";
import {TypedData} from "./utils/TypedData.sol";

/// @title SignedBookingFuzz
/// @notice Booking by signature (SPEC §2): the intent's digest is its EIP-712 digest, computed here from the SPEC's type
///         string field by field; a signature books only before its deadline (exactly at it, never), once, and only
///         the intent signed (any field changed makes it fail), on both the permit and the ERC-3009 path.
contract SignedBookingFuzzTest is EscrowFixture {
    uint256 internal constant CUSTOMER_KEY = 0xB00C;
    uint256 internal constant SECP256K1_N_MINUS_1 = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140;
    uint256 internal constant DEPOSIT = 10e6;

    address internal signer = vm.addr(CUSTOMER_KEY);
    address internal relayer = address(0x7E1A);
    MockUSDC internal usdc;
    uint32 internal usdcOffering;
    uint32 internal stablecoinOffering;

    function setUp() public override {
        super.setUp();
        usdc = new MockUSDC();
        vm.prank(owner);
        escrow.setTokenAllowed(address(usdc), true);
        usdcOffering = createOffering(defaultTerms(address(usdc)));
        stablecoinOffering = createOffering(defaultTerms(address(stablecoin)));
        usdc.mint(signer, 100 * DEPOSIT);
        stablecoin.mint(signer, 100 * DEPOSIT);
        vm.prank(signer);
        stablecoin.approve(address(escrow), type(uint256).max);
    }

    /// @dev One seat of `offeringId` two days ahead (a slot on the hourly grid), valid until `deadline`.
    function intentFor(
        uint32 offeringId,
        uint40 deadline,
        bytes32 nonce
    ) internal view returns (ISignedBookings.BookingIntent memory) {
        uint256 target = block.timestamp + 2 * DAY;
        return
            ISignedBookings.BookingIntent({
                customer: signer,
                offeringId: offeringId,
                slotStart: uint40(target - (target % HOUR)),
                seats: 1,
                detailsHash: keccak256("details"),
                couponDigest: bytes32(0),
                nonce: nonce,
                deadline: deadline
            });
    }

    function sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function noPermit() internal pure returns (IBookings.Permit memory) {
        return IBookings.Permit({value: 0, deadline: 0, v: 0, r: bytes32(0), s: bytes32(0)});
    }

    function noCoupon() internal pure returns (ICoupons.Coupon memory coupon) {}

    function bookWithSignature(ISignedBookings.BookingIntent memory intent, bytes memory signature) internal {
        vm.prank(relayer);
        escrow.bookWithSignature(intent, signature, noPermit(), noCoupon(), "");
    }

    function bookWithAuthorization(ISignedBookings.BookingIntent memory intent, bytes memory authorization) internal {
        vm.prank(relayer);
        escrow.bookWithAuthorization(intent, authorization, noCoupon(), "");
    }

    function testFuzz_hashBookingIntent_isTheEip712DigestOfEveryField(
        ISignedBookings.BookingIntent memory intent
    ) public view {
        assertEq(
            uint256(escrow.hashBookingIntent(intent)),
            uint256(TypedData.bookingIntentDigest(address(escrow), intent)),
            "hashBookingIntent is not the intent's EIP-712 digest"
        );
        assertEq(
            uint256(escrow.BOOKING_INTENT_TYPEHASH()),
            uint256(TypedData.BOOKING_INTENT_TYPEHASH),
            "the type hash is not the SPEC's"
        );
    }

    function testFuzz_bookWithSignature_succeedsOnlyBeforeTheDeadline(uint40 lifetime, uint256 at) public {
        uint40 deadline = uint40(block.timestamp + bound(lifetime, 1, DAY));
        ISignedBookings.BookingIntent memory intent = intentFor(stablecoinOffering, deadline, keccak256("permit"));
        bytes memory signature = sign(CUSTOMER_KEY, TypedData.bookingIntentDigest(address(escrow), intent));
        vm.warp(bound(at, block.timestamp, uint256(deadline) + 2));
        bool valid = block.timestamp < deadline;
        if (!valid) {
            vm.expectRevert(
                abi.encodeWithSelector(ISignedBookings.BookingIntentExpired.selector, deadline, block.timestamp)
            );
        }
        bookWithSignature(intent, signature);
        assertEq(escrow.bookingNonceUsed(signer, intent.nonce), valid, "the nonce's use does not match the booking");
        assertEq(stablecoin.balanceOf(address(escrow)), valid ? DEPOSIT : 0, "escrow balance");
    }

    function testFuzz_bookWithAuthorization_succeedsOnlyBeforeTheDeadline(uint40 lifetime, uint256 at) public {
        uint40 deadline = uint40(block.timestamp + bound(lifetime, 1, DAY));
        ISignedBookings.BookingIntent memory intent = intentFor(usdcOffering, deadline, keccak256("3009"));
        bytes memory authorization = sign(
            CUSTOMER_KEY,
            TypedData.bookingAuthorizationDigest(address(usdc), address(escrow), intent, DEPOSIT)
        );
        vm.warp(bound(at, block.timestamp, uint256(deadline) + 2));
        bool valid = block.timestamp < deadline;
        if (!valid) {
            vm.expectRevert(
                abi.encodeWithSelector(ISignedBookings.BookingIntentExpired.selector, deadline, block.timestamp)
            );
        }
        bookWithAuthorization(intent, authorization);
        assertEq(usdc.balanceOf(address(escrow)), valid ? DEPOSIT : 0, "escrow balance");
        if (!valid) return;
        // Once booked, neither path books it again.
        vm.expectRevert(abi.encodeWithSelector(ISignedBookings.BookingNonceUsed.selector, signer, intent.nonce));
        bookWithAuthorization(intent, authorization);
        bytes memory signature = sign(CUSTOMER_KEY, TypedData.bookingIntentDigest(address(escrow), intent));
        vm.expectRevert(abi.encodeWithSelector(ISignedBookings.BookingNonceUsed.selector, signer, intent.nonce));
        bookWithSignature(intent, signature);
    }

    /// @dev Changes one field of the signed intent by a random non-zero amount: the signature no longer matches.
    function testFuzz_bookWithSignature_reverts_whenAFieldDiffersFromTheSignedIntent(
        uint8 field,
        uint256 change
    ) public {
        ISignedBookings.BookingIntent memory intent = intentFor(
            stablecoinOffering,
            uint40(block.timestamp + DAY),
            keccak256("signed")
        );
        bytes memory signature = sign(CUSTOMER_KEY, TypedData.bookingIntentDigest(address(escrow), intent));
        ISignedBookings.BookingIntent memory changed = intent;
        uint256 delta = bound(change, 1, type(uint16).max);
        field = uint8(bound(field, 0, 7));
        if (field == 0) changed.customer = address(uint160(signer) ^ uint160(delta));
        else if (field == 1) changed.offeringId = usdcOffering;
        else if (field == 2) changed.slotStart += uint40(HOUR * delta);
        else if (field == 3) changed.seats += uint16(bound(delta, 1, 8));
        else if (field == 4) changed.detailsHash = bytes32(uint256(intent.detailsHash) ^ delta);
        else if (field == 5) changed.couponDigest = bytes32(delta);
        else if (field == 6) changed.nonce = bytes32(uint256(intent.nonce) ^ delta);
        else changed.deadline += uint40(delta);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISignedBookings.InvalidBookingSignature.selector,
                TypedData.bookingIntentDigest(address(escrow), changed),
                changed.customer
            )
        );
        bookWithSignature(changed, signature);
    }

    /// @dev Nobody but the customer can sign for the customer, on either path.
    function testFuzz_signedBooking_reverts_whenSignedByAnotherKey(uint256 key) public {
        key = bound(key, 1, SECP256K1_N_MINUS_1);
        if (key == CUSTOMER_KEY) ++key;
        ISignedBookings.BookingIntent memory intent = intentFor(usdcOffering, uint40(block.timestamp + DAY), "k");
        bytes32 intentDigest = TypedData.bookingIntentDigest(address(escrow), intent);
        vm.expectRevert(abi.encodeWithSelector(ISignedBookings.InvalidBookingSignature.selector, intentDigest, signer));
        bookWithSignature(intent, sign(key, intentDigest));
        bytes memory authorization = sign(
            key,
            TypedData.bookingAuthorizationDigest(address(usdc), address(escrow), intent, DEPOSIT)
        );
        vm.expectRevert(abi.encodeWithSelector(MockUSDC.InvalidSignature.selector, signer));
        bookWithAuthorization(intent, authorization);
        assertEq(usdc.balanceOf(signer), 100 * DEPOSIT, "the customer's funds moved");
    }

    /// @dev The authorization is for exactly the booking's amount: any other value is refused by the token.
    function testFuzz_bookWithAuthorization_reverts_whenTheAmountDiffers(uint256 value, uint16 seats) public {
        ISignedBookings.BookingIntent memory intent = intentFor(usdcOffering, uint40(block.timestamp + DAY), "v");
        intent.seats = uint16(bound(seats, 1, 10));
        uint256 amount = DEPOSIT * intent.seats;
        value = bound(value, 0, 100 * DEPOSIT);
        if (value == amount) ++value;
        bytes memory authorization = sign(
            CUSTOMER_KEY,
            TypedData.bookingAuthorizationDigest(address(usdc), address(escrow), intent, value)
        );
        vm.expectRevert(abi.encodeWithSelector(MockUSDC.InvalidSignature.selector, signer));
        bookWithAuthorization(intent, authorization);
        IOfferingRegistry.Offering memory offering = escrow.getOffering(usdcOffering);
        assertEq(escrow.seatsLeft(usdcOffering, intent.slotStart), offering.seatsPerSlot, "seats taken");
    }
}
