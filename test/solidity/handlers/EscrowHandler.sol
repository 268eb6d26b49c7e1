// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBookings} from "../../../contracts/interfaces/IBookings.sol";
import {ICoupons} from "../../../contracts/interfaces/ICoupons.sol";
import {IEscrowViews} from "../../../contracts/interfaces/IEscrowViews.sol";
import {IMerchantRegistry} from "../../../contracts/interfaces/IMerchantRegistry.sol";
import {IOfferingRegistry} from "../../../contracts/interfaces/IOfferingRegistry.sol";
import {IPayouts} from "../../../contracts/interfaces/IPayouts.sol";
import {IProtocolConfig} from "../../../contracts/interfaces/IProtocolConfig.sol";
import {ISignedBookings} from "../../../contracts/interfaces/ISignedBookings.sol";
import {IStaff} from "../../../contracts/interfaces/IStaff.sol";
import {CancellationPolicy} from "../../../contracts/libraries/CancellationPolicy.sol";
import {TypedData} from "../utils/TypedData.sol";
import {Vm} from "../utils/Vm.sol";
import {ACTION_COUNT, EscrowModel} from "./EscrowModel.sol";

/// @title EscrowHandler
/// @notice Drives the escrow through bounded, mostly legal actions for the invariant campaign: every role (customer,
///         merchant, staff, arbiter, owner, stranger) does what it may and tries what it may not, and the model of
///         `EscrowModel` predicts each outcome (success or the first named error) before the call.
/// @dev Every action counts any disagreement instead of reverting (a reverting call would be silently discarded).
contract EscrowHandler is EscrowModel {
    constructor() {
        // Two registered merchants (the second one's payout refuses pushes) with a token offering on the merchant's
        // word and an ETH offering that counts only the customer's signature, both with disputes, so bookings,
        // check-ins, disputes and credits are reachable from the first calls. The third merchant is left for
        // `registerMerchant`.
        _register(0);
        _register(1);
        _publish(_setupOffering(0, address(token), 25e6, 4, 1 hours, false), _setupTiers());
        _publish(_setupOffering(1, ETH, 0.05 ether, 3, 2 hours, true), _setupTiers());
        // And some staff already at work, so staff paths are reachable from the first calls too.
        _grant(0, 0, STAFF_CHECK_IN | STAFF_COUPONS);
        _grant(1, 1, STAFF_CHECK_IN | STAFF_CANCEL);
        // The setup is not part of the campaign's call summary.
        successes[uint256(Action.CreateOffering)] = 0;
    }

    function _grant(uint256 m, uint256 s, uint8 roles) internal {
        vm.prank(merchants[m]);
        escrow.setStaffRoles(staff[s], roles);
        ghostRoles[m][s] = roles;
    }

    function _setupOffering(
        uint8 m,
        address t,
        uint96 deposit,
        uint16 seats,
        uint32 slotLength,
        bool customerSignatureOnly
    ) internal view returns (OfferingGhost memory o) {
        o.merchantIndex = m;
        o.token = t;
        o.depositPerSeat = deposit;
        o.seatsPerSlot = seats;
        o.slotLength = slotLength;
        o.firstSlotStart = uint40(ghostNow - (ghostNow % slotLength));
        o.maxAdvance = 2 days;
        o.noShowRefundBps = 2_000;
        o.disputeWindow = 12 hours;
        o.arbiter = arbiter;
        o.arbiterTimeout = 1 days;
        o.customerSignatureOnly = customerSignatureOnly;
        o.maxFeeBps = MAX_FEE_BPS;
    }

    /// @dev The SPEC's example: 48 h -> 100 %, 24 h -> 50 %, else nothing.
    function _setupTiers() internal pure returns (CancellationPolicy.Tier[] memory tiers) {
        tiers = new CancellationPolicy.Tier[](2);
        tiers[0] = CancellationPolicy.Tier({secondsBeforeStart: 48 hours, refundBps: 10_000});
        tiers[1] = CancellationPolicy.Tier({secondsBeforeStart: 24 hours, refundBps: 5_000});
    }

    /// @dev For the call summary, in `Action` order.
    function actionNames() external pure returns (string[ACTION_COUNT] memory) {
        return
            [
                "registerMerchant",
                "updateMerchant",
                "createOffering",
                "setOfferingActive",
                "setStaffRoles",
                "book",
                "bookWithCoupon",
                "cancel",
                "cancelByMerchant",
                "cancelByMerchant (staff)",
                "checkIn",
                "checkIn (staff)",
                "checkInWithSignature",
                "checkInWithSignature (staff)",
                "dispute",
                "resolve",
                "settle",
                "claim",
                "claim (staff)",
                "merchant actions (staff)",
                "withdraw",
                "withdrawFees",
                "setFee",
                "setPaused",
                "setTokenAllowed",
                "setFeeRecipient",
                "warp",
                "sendUnsolicited",
                "ownerTriesToMoveFunds",
                "bookWithSignature"
            ];
    }

    // ------------------------------------------------------------------------------------------------------
    // Merchants, offerings and staff
    // ------------------------------------------------------------------------------------------------------

    function registerMerchant(uint256 merchantSeed) external {
        _begin();
        uint256 m = merchantSeed % 3;
        bytes4 expected = registered[m] ? IMerchantRegistry.MerchantAlreadyRegistered.selector : bytes4(0);
        vm.prank(merchants[m]);
        try escrow.registerMerchant(payouts[m], "Merchant") {
            _expect(Action.RegisterMerchant, expected, "", "registerMerchant");
            registered[m] = true;
        } catch (bytes memory err) {
            _expect(Action.RegisterMerchant, expected, err, "registerMerchant");
        }
    }

    /// @dev A merchant re-sets its payout address or, when it named the arbiter in one of its offerings, tries to
    ///      make the arbiter its payout, which must be refused: the arbiter stays independent for the offering's life.
    ///      (Other new payouts are left out: the model keeps each merchant's payout fixed.)
    function updateMerchant(uint256 merchantSeed, bool toArbiter) external {
        _begin();
        uint256 m = merchantSeed % 3;
        address payout = toArbiter && namedArbiter[m] ? arbiter : payouts[m];
        bytes4 expected;
        if (!registered[m]) expected = IMerchantRegistry.MerchantNotRegistered.selector;
        else if (payout == arbiter) expected = IMerchantRegistry.PayoutIsArbiter.selector;
        vm.prank(merchants[m]);
        try escrow.updateMerchant(payout, "Merchant") {
            _expect(Action.UpdateMerchant, expected, "", "updateMerchant");
        } catch (bytes memory err) {
            _expect(Action.UpdateMerchant, expected, err, "updateMerchant");
        }
        if (registered[m] && escrow.getMerchant(merchants[m]).payout != payouts[m]) _mismatch("payout address moved");
    }

    function _register(uint256 m) internal {
        vm.prank(merchants[m]);
        escrow.registerMerchant(payouts[m], "Merchant");
        registered[m] = true;
    }

    function createOffering(
        uint256 merchantSeed,
        uint256 tokenSeed,
        uint256 depositSeed,
        uint256 shapeSeed,
        uint256 windowSeed,
        uint256 policySeed,
        uint256 arbiterSeed,
        uint256 tierSeed
    ) external {
        _begin();
        if (offerings.length >= 8) return; // enough variety; keeps the per-call invariant checks cheap
        OfferingGhost memory o;
        o.merchantIndex = uint8(merchantSeed % 3);
        o.token = tokenSeed % 2 == 0 ? ETH : address(token);
        // Mostly everyday deposits; one in eight at the top of the uint96 range to stress the sums.
        if (depositSeed % 8 == 7) o.depositPerSeat = uint96(bound(depositSeed, 1, type(uint96).max));
        else if (o.token == ETH) o.depositPerSeat = uint96(bound(depositSeed, 1, 100 ether));
        else o.depositPerSeat = uint96(bound(depositSeed, 1, 1e12));
        // Few seats so that slots fill up and `SlotFull` is exercised.
        o.seatsPerSlot = uint16(bound(shapeSeed, 1, 6));
        uint32[4] memory lengths = [uint32(30 minutes), uint32(1 hours), uint32(2 hours), uint32(1 days)];
        o.slotLength = lengths[(shapeSeed >> 8) % 4];
        o.firstSlotStart = uint40(ghostNow - (ghostNow % o.slotLength) - o.slotLength * ((shapeSeed >> 16) % 3));
        o.minLeadTime = uint32(bound(windowSeed, 0, 6 hours));
        o.maxAdvance = uint32(bound(windowSeed >> 32, o.minLeadTime + o.slotLength, 3 days));
        o.noShowRefundBps = uint16(bound(policySeed, 0, BPS));
        o.disputeWindow = uint32(bound(policySeed >> 32, 0, 1 days));
        o.customerSignatureOnly = (policySeed >> 96) % 3 == 0;
        // Half accept any fee the owner may set, half only up to a random level the owner's `setFee` may cross.
        o.maxFeeBps = (policySeed >> 100) % 2 == 0 ? MAX_FEE_BPS : uint16(bound(policySeed >> 104, 0, MAX_FEE_BPS));
        if (arbiterSeed % 16 >= 5) {
            o.arbiter = arbiter;
            o.arbiterTimeout = uint32(bound(arbiterSeed >> 8, 1, 1 days));
            // One in sixteen names the merchant or its payout address, which must be refused.
            if (arbiterSeed % 16 == 15)
                o.arbiter = (arbiterSeed >> 4) % 2 == 0 ? merchants[o.merchantIndex] : payouts[o.merchantIndex];
        }
        // One in sixteen longer than the SPEC's 30 days, which must be refused.
        if ((shapeSeed >> 24) % 16 == 0)
            o.slotLength = uint32(bound(shapeSeed >> 32, MAX_SLOT_LENGTH + 1, type(uint32).max));
        _publish(o, _tiers(tierSeed));
    }

    function _terms(
        OfferingGhost memory o,
        CancellationPolicy.Tier[] memory tiers
    ) internal pure returns (IOfferingRegistry.OfferingTerms memory) {
        return
            IOfferingRegistry.OfferingTerms({
                token: o.token,
                depositPerSeat: o.depositPerSeat,
                seatsPerSlot: o.seatsPerSlot,
                slotLength: o.slotLength,
                firstSlotStart: o.firstSlotStart,
                minLeadTime: o.minLeadTime,
                maxAdvance: o.maxAdvance,
                noShowRefundBps: o.noShowRefundBps,
                disputeWindow: o.disputeWindow,
                arbiter: o.arbiter,
                arbiterTimeout: o.arbiterTimeout,
                checkInRule: o.customerSignatureOnly
                    ? IOfferingRegistry.CheckInRule.CustomerSignature
                    : IOfferingRegistry.CheckInRule.MerchantWord,
                maxFeeBps: o.maxFeeBps,
                cancellationTiers: tiers,
                metadata: "Invariant offering; UTC"
            });
    }

    function _publish(OfferingGhost memory o, CancellationPolicy.Tier[] memory tiers) internal {
        uint256 m = o.merchantIndex;
        bytes4 expected;
        if (!registered[m]) expected = IMerchantRegistry.MerchantNotRegistered.selector;
        else if (o.token != ETH && !ghostTokenAllowed) expected = IProtocolConfig.TokenNotAllowed.selector;
        else if (o.slotLength > MAX_SLOT_LENGTH) expected = IOfferingRegistry.SlotTooLong.selector;
        else if (o.arbiter == merchants[m] || o.arbiter == payouts[m]) {
            expected = IOfferingRegistry.ArbiterNotIndependent.selector;
        }

        vm.prank(merchants[m]);
        try escrow.createOffering(_terms(o, tiers)) returns (uint32 offeringId) {
            _expect(Action.CreateOffering, expected, "", "createOffering");
            if (offeringId != offerings.length + 1) _mismatch("offering ids are not sequential");
            IOfferingRegistry.Offering memory stored = escrow.getOffering(offeringId);
            bool signatureOnly = stored.checkInRule == IOfferingRegistry.CheckInRule.CustomerSignature;
            if (signatureOnly != o.customerSignatureOnly || stored.maxFeeBps != o.maxFeeBps) {
                _mismatch("stored check-in rule or fee maximum differs from the terms");
            }
            o.id = offeringId;
            o.active = true;
            if (o.arbiter == arbiter) namedArbiter[m] = true;
            offerings.push(o);
            for (uint256 i; i < tiers.length; ++i) tiersOf[offeringId].push(tiers[i]);
        } catch (bytes memory err) {
            _expect(Action.CreateOffering, expected, err, "createOffering");
        }
    }

    /// @dev Zero to three valid tiers within three days: strictly decreasing seconds, non-increasing shares.
    function _tiers(uint256 seed) internal pure returns (CancellationPolicy.Tier[] memory tiers) {
        uint256 n = seed % 4;
        tiers = new CancellationPolicy.Tier[](n);
        uint256 secondsBefore = 3 days + 1;
        uint256 bps = BPS;
        for (uint256 i; i < n; ++i) {
            seed = uint256(keccak256(abi.encode(seed)));
            secondsBefore = bound(seed, n - i - 1, secondsBefore - 1);
            bps = bound(seed >> 64, 0, bps);
            tiers[i] = CancellationPolicy.Tier({secondsBeforeStart: uint32(secondsBefore), refundBps: uint16(bps)});
        }
    }

    function setOfferingActive(uint256 offeringSeed, bool active) external {
        _begin();
        if (offerings.length == 0) return;
        OfferingGhost storage o = offerings[offeringSeed % offerings.length];
        // Mostly re-open, so closed offerings do not starve bookings.
        if (offeringSeed % 4 != 0) active = true;
        vm.prank(merchants[o.merchantIndex]);
        try escrow.setOfferingActive(o.id, active) {
            _expect(Action.SetOfferingActive, bytes4(0), "", "setOfferingActive");
            o.active = active;
        } catch (bytes memory err) {
            _expect(Action.SetOfferingActive, bytes4(0), err, "setOfferingActive");
        }
    }

    /// @dev A merchant grants, changes or revokes (one time in four) a staff member's roles; sometimes for itself or
    ///      the zero address, or with bits that are not roles, which must be refused.
    function setStaffRoles(uint256 merchantSeed, uint256 staffSeed, uint256 rolesSeed) external {
        _begin();
        uint256 m = merchantSeed % 3;
        uint256 s = staffSeed % 3;
        address who = staff[s];
        uint256 odd = (staffSeed >> 8) % 16;
        if (odd == 0) who = address(0);
        else if (odd == 1) who = merchants[m];
        uint8 roles;
        if (rolesSeed % 16 == 0) roles = uint8(bound(rolesSeed >> 8, 8, type(uint8).max));
        else if ((rolesSeed >> 8) % 4 != 0) roles = uint8((rolesSeed >> 16) % 8);
        bytes4 expected;
        if (!registered[m]) expected = IMerchantRegistry.MerchantNotRegistered.selector;
        else if (who == address(0) || who == merchants[m]) expected = IStaff.InvalidStaff.selector;
        else if (roles > 7) expected = IStaff.UnknownStaffRoles.selector;

        vm.prank(merchants[m]);
        try escrow.setStaffRoles(who, roles) {
            _expect(Action.SetStaffRoles, expected, "", "setStaffRoles");
            ghostRoles[m][s] = roles;
            if (escrow.staffRoles(merchants[m], who) != roles) _mismatch("staffRoles differs from the grant");
        } catch (bytes memory err) {
            _expect(Action.SetStaffRoles, expected, err, "setStaffRoles");
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Booking
    // ------------------------------------------------------------------------------------------------------

    struct BookRequest {
        uint256 offeringIndex;
        address customer;
        uint40 slotStart;
        uint16 seats;
        uint256 deposit;
        uint256 discount;
        bool withCoupon;
        uint256 couponIndex;
        /// @dev Signed by the customer and submitted by the stranger (`bookWithSignature`, on an allowance).
        bool signed;
    }

    /// @dev A signed booking as its customer signed it, kept so that a later call can submit it again.
    struct SignedGhost {
        BookRequest request;
        ISignedBookings.BookingIntent intent;
        bytes signature;
    }

    /// @dev The last signed booking submitted, whether it booked or not.
    SignedGhost internal lastSigned;
    /// @dev Booking nonces the model saw used, per customer.
    mapping(address customer => mapping(bytes32 nonce => bool used)) internal ghostBookingNonces;

    /// @dev One to three customers book the same offering one after another, so there are enough bookings for the
    ///      other actions and their slots are contested.
    function book(uint256 actorSeed, uint256 offeringSeed, uint256 slotSeed, uint256 seatsSeed) external {
        _begin();
        uint256 count = 1 + ((actorSeed >> 128) % 3);
        for (uint256 i; i < count; ++i) {
            // Each booking counts as a call of its own in the summary.
            if (i != 0) ++totalCalls;
            // A fresh customer, slot and seat count each (from the seeds, so a run replays exactly).
            uint256 seed = i == 0 ? actorSeed : uint256(keccak256(abi.encode(actorSeed, i)));
            (bool ok, BookRequest memory r) = _bookRequest(seed, offeringSeed, slotSeed ^ i, seatsSeed >> (8 * i));
            if (ok) _book(r);
        }
    }

    function bookWithCoupon(
        uint256 actorSeed,
        uint256 offeringSeed,
        uint256 slotSeed,
        uint256 seatsSeed,
        uint256 couponSeed
    ) external {
        _begin();
        (bool ok, BookRequest memory r) = _bookRequest(actorSeed, offeringSeed, slotSeed, seatsSeed);
        if (!ok) return;
        r.withCoupon = true;
        // Half the time reuse a coupon already issued (possibly exhausted, expired, for someone else, or signed by
        // staff whose coupon role has changed since).
        if (coupons.length != 0 && couponSeed % 2 == 0) {
            r.couponIndex = (couponSeed >> 8) % coupons.length;
            ICoupons.Coupon memory c = coupons[r.couponIndex].coupon;
            // Only coupons of the chosen offering: a coupon for another offering is a different request.
            if (c.offeringId != offerings[r.offeringIndex].id) r.couponIndex = _issueCoupon(r, couponSeed);
        } else {
            r.couponIndex = _issueCoupon(r, couponSeed);
        }
        r.discount = coupons[r.couponIndex].coupon.discount;
        _book(r);
    }

    /// @dev A customer signs a booking (one to 2 h valid) and the stranger submits it on the customer's allowance; one
    ///      call in four submits the last signed booking again instead (a replay, or one that has expired since). An
    ///      ETH offering has no allowance: refused with PermitForNativeToken once the ordinary checks pass.
    function bookWithSignature(
        uint256 actorSeed,
        uint256 offeringSeed,
        uint256 slotSeed,
        uint256 seatsSeed,
        uint256 replaySeed
    ) external {
        _begin();
        if (replaySeed % 4 == 0 && lastSigned.signature.length != 0) {
            _book(lastSigned.request);
            return;
        }
        (bool ok, BookRequest memory r) = _bookRequest(actorSeed, offeringSeed, slotSeed, seatsSeed);
        if (!ok || signingKey[r.customer] == 0) return;
        r.signed = true;
        ISignedBookings.BookingIntent memory intent = ISignedBookings.BookingIntent({
            customer: r.customer,
            offeringId: offerings[r.offeringIndex].id,
            slotStart: r.slotStart,
            seats: r.seats,
            detailsHash: keccak256(abi.encode("details", totalCalls)),
            couponDigest: bytes32(0),
            // Now and then a nonce this customer used before.
            nonce: keccak256(abi.encode("nonce", (replaySeed >> 8) % 8 == 0 ? 0 : totalCalls)),
            deadline: uint40(ghostNow + bound(replaySeed >> 16, 1, 2 hours))
        });
        lastSigned.request = r;
        lastSigned.intent = intent;
        lastSigned.signature = _sign(signingKey[r.customer], TypedData.bookingIntentDigest(address(escrow), intent));
        _book(r);
    }

    /// @dev What a signed booking is refused with: its deadline and nonce first, then the ordinary checks.
    function _expectedSignedBookError(BookRequest memory r) internal view returns (bytes4) {
        ISignedBookings.BookingIntent storage intent = lastSigned.intent;
        if (ghostNow >= intent.deadline) return ISignedBookings.BookingIntentExpired.selector;
        if (ghostBookingNonces[intent.customer][intent.nonce]) return ISignedBookings.BookingNonceUsed.selector;
        bytes4 expected = _expectedBookError(r);
        if (expected == bytes4(0) && offerings[r.offeringIndex].token == ETH) {
            return IBookings.PermitForNativeToken.selector;
        }
        return expected;
    }

    /// @dev The stranger submits the last signed booking.
    function _submitSigned() internal returns (bool ok, uint256 bookingId, bytes memory err) {
        IBookings.Permit memory noPermit;
        ICoupons.Coupon memory noCoupon;
        vm.prank(stranger);
        try escrow.bookWithSignature(lastSigned.intent, lastSigned.signature, noPermit, noCoupon, "") returns (
            uint256 id
        ) {
            (ok, bookingId) = (true, id);
            ghostBookingNonces[lastSigned.intent.customer][lastSigned.intent.nonce] = true;
        } catch (bytes memory e) {
            err = e;
        }
    }

    /// @dev A request on the offering's grid inside its booking window now, on one of the first few slots so that
    ///      bookings collide and capacity is actually contested. One customer in sixteen is the arbiter, who may book
    ///      any offering but those it arbitrates.
    function _bookRequest(
        uint256 actorSeed,
        uint256 offeringSeed,
        uint256 slotSeed,
        uint256 seatsSeed
    ) internal view returns (bool ok, BookRequest memory r) {
        if (offerings.length == 0) return (false, r);
        r.offeringIndex = offeringSeed % offerings.length;
        OfferingGhost storage o = offerings[r.offeringIndex];
        uint256 earliest = ghostNow + o.minLeadTime;
        uint256 latest = ghostNow + o.maxAdvance;
        uint256 first = o.firstSlotStart;
        uint256 k0 = earliest <= first ? 0 : (earliest - first + o.slotLength - 1) / o.slotLength;
        if (latest < first) return (false, r);
        uint256 kMax = (latest - first) / o.slotLength;
        if (k0 > kMax) return (false, r);
        uint256 span = kMax - k0 + 1;
        if (span > 4) span = 4;
        r.slotStart = uint40(first + (k0 + (slotSeed % span)) * o.slotLength);
        r.seats = uint16(bound(seatsSeed, 1, o.seatsPerSlot));
        r.customer = actorSeed % 16 == 15 ? arbiter : customers[(actorSeed >> 4) % customers.length];
        r.deposit = uint256(o.depositPerSeat) * r.seats;
        ok = true;
    }

    /// @dev Mostly the merchant's coupons; a quarter signed by a staff member for itself (valid only while it holds
    ///      the coupon role; mostly one that holds it now), one in eight naming the merchant as signer but signed by
    ///      staff (a forgery).
    function _issueCoupon(BookRequest memory r, uint256 seed) internal returns (uint256 index) {
        OfferingGhost storage o = offerings[r.offeringIndex];
        uint256 kind = (seed >> 160) % 8;
        uint256 staffIndex = _staffFor(o.merchantIndex, seed >> 168, STAFF_COUPONS);
        ICoupons.Coupon memory c = ICoupons.Coupon({
            offeringId: o.id,
            // At most one seat's deposit, so it never exceeds the booking (any booking has at least one seat).
            discount: uint96(bound(seed >> 16, 1, o.depositPerSeat)),
            maxRedemptions: uint32(bound(seed >> 48, 1, 3)),
            expiresAt: uint40(ghostNow + bound(seed >> 80, 0, 2 days)),
            customer: (seed >> 120) % 2 == 0 ? address(0) : r.customer,
            salt: keccak256(abi.encode(seed, coupons.length)),
            signer: kind == 5 || kind == 6 ? staff[staffIndex] : merchants[o.merchantIndex]
        });
        bytes32 digest = TypedData.couponDigest(address(escrow), c);
        uint256 key = kind >= 5 ? signingKey[staff[staffIndex]] : merchantKeys[o.merchantIndex];
        coupons.push(
            IssuedCoupon({coupon: c, signature: _sign(key, digest), digest: digest, signedBySigner: kind != 7})
        );
        index = coupons.length - 1;
    }

    function _expectedBookError(BookRequest memory r) internal view returns (bytes4) {
        OfferingGhost storage o = offerings[r.offeringIndex];
        if (r.withCoupon) {
            IssuedCoupon storage ic = coupons[r.couponIndex];
            if (ic.coupon.customer != address(0) && ic.coupon.customer != r.customer) {
                return ICoupons.CouponWrongCustomer.selector;
            }
            if (ghostNow > ic.coupon.expiresAt) return ICoupons.CouponExpired.selector;
            if (ghostRedemptions[ic.digest] + 1 > ic.coupon.maxRedemptions) return ICoupons.CouponExhausted.selector;
            address signer = ic.coupon.signer;
            uint256 s = staffIndexPlusOne[signer];
            bool allowed =
                signer == merchants[o.merchantIndex] ||
                    (s != 0 && ghostRoles[o.merchantIndex][s - 1] & STAFF_COUPONS != 0);
            if (!allowed) return ICoupons.CouponSignerNotAllowed.selector;
            if (!ic.signedBySigner) return ICoupons.InvalidCouponSignature.selector;
        }
        if (ghostPaused) return IBookings.BookingsPaused.selector;
        if (!o.active) return IBookings.OfferingInactive.selector;
        if (ghostFeeBps > o.maxFeeBps) return IBookings.FeeAboveOfferingMaximum.selector;
        if (r.customer == o.arbiter) return IBookings.ArbiterCannotBook.selector;
        if (o.token != ETH && !ghostTokenAllowed) return IProtocolConfig.TokenNotAllowed.selector;
        if (ghostSeatsHeld[_slotKey(o.id, r.slotStart)] + r.seats > o.seatsPerSlot) return IBookings.SlotFull.selector;
        return bytes4(0);
    }

    function _book(BookRequest memory r) internal {
        OfferingGhost storage o = offerings[r.offeringIndex];
        Action action =
            r.signed
                ? Action.BookWithSignature
                : r.withCoupon
                    ? Action.BookWithCoupon
                    : Action.Book;
        uint256 amount = r.deposit - r.discount;
        bytes4 expected = r.signed ? _expectedSignedBookError(r) : _expectedBookError(r);
        bytes32 details = keccak256(abi.encode("details", totalCalls));

        // Fund the customer with exactly what it pays; the model counts the funding as the wallet's own money.
        uint256 value;
        if (o.token == ETH) {
            // A signed booking sends no ETH; nothing to fund.
            if (r.signed) amount = 0;
            vm.deal(r.customer, r.customer.balance + amount);
            value = amount;
        } else {
            token.mint(r.customer, amount);
            vm.prank(r.customer);
            token.approve(address(escrow), amount);
        }
        expectedWallet[o.token][r.customer] += amount;

        bool ok;
        bytes memory err;
        uint256 bookingId;
        if (r.signed) {
            (ok, bookingId, err) = _submitSigned();
        } else if (r.withCoupon) {
            vm.prank(r.customer);
            IssuedCoupon storage ic = coupons[r.couponIndex];
            try
                escrow.bookWithCoupon{value: value}(o.id, r.slotStart, r.seats, details, ic.coupon, ic.signature)
            returns (uint256 id) {
                (ok, bookingId) = (true, id);
            } catch (bytes memory e) {
                err = e;
            }
        } else {
            vm.prank(r.customer);
            try escrow.book{value: value}(o.id, r.slotStart, r.seats, details) returns (uint256 id) {
                (ok, bookingId) = (true, id);
            } catch (bytes memory e) {
                err = e;
            }
        }
        _expect(
            action,
            expected,
            err,
            r.signed
                ? "bookWithSignature"
                : r.withCoupon
                    ? "bookWithCoupon"
                    : "book"
        );

        uint256 key = _slotKey(o.id, r.slotStart);
        // A refused booking takes nothing: the funding stays in the wallet.
        if (!ok) return;
        if (ghostSeatsHeld[key] + r.seats > o.seatsPerSlot) {
            ++capacityViolations;
            lastProblem = "a booking beyond the slot's capacity was accepted";
        }
        if (r.withCoupon) ++ghostRedemptions[coupons[r.couponIndex].digest];

        uint256 n = ++ghostSlotBookings[key];
        if (bookingId != ((uint256(o.id) << 72) | (uint256(r.slotStart) << 32) | n)) _mismatch("booking id layout");
        IEscrowViews.BookingView memory v = escrow.getBooking(bookingId);
        if (v.amount != amount) _mismatch("stored amount != deposit - discount");
        if (v.feeBps != ghostFeeBps) _mismatch("fee snapshot != fee at booking time");
        if (v.slotStart != r.slotStart || v.offeringId != o.id) _mismatch("slot or offering from id");

        if (!slotSeen[key]) {
            slotSeen[key] = true;
            slotKeys.push(key);
            slotCapacity[key] = o.seatsPerSlot;
        }
        ghostSeatsHeld[key] += r.seats;
        bookingIds.push(bookingId);
        bookings[bookingId] = BookingGhost({
            id: bookingId,
            token: o.token,
            offeringIndex: uint32(r.offeringIndex),
            customer: r.customer,
            seats: r.seats,
            feeBps: ghostFeeBps,
            status: IBookings.BookingStatus.Booked,
            checkedIn: false,
            settleCount: 0,
            slotStart: r.slotStart,
            amount: amount,
            customerShare: 0,
            merchantShare: 0,
            fee: 0
        });
        ghostHeld[o.token] += amount;
        totalIn[o.token] += amount;
        expectedWallet[o.token][r.customer] -= amount;
    }

    // ------------------------------------------------------------------------------------------------------
    // Outcomes
    // ------------------------------------------------------------------------------------------------------

    function cancel(uint256 bookingSeed) external {
        _begin();
        (bool found, uint256 id) = _pick(bookingSeed, _cancelError);
        if (!found) return;
        BookingGhost storage b = bookings[id];
        bytes4 expected = _cancelError(id);
        if (expected == bytes4(0)) {
            _expectSettlement(
                id,
                IBookings.BookingStatus.CustomerCancelled,
                _policyBps(offerings[b.offeringIndex].id, b.slotStart - ghostNow)
            );
        }
        vm.recordLogs();
        vm.prank(b.customer);
        bool ok;
        try escrow.cancel(id) {
            ok = true;
            _expect(Action.Cancel, expected, "", "cancel");
        } catch (bytes memory err) {
            _expect(Action.Cancel, expected, err, "cancel");
        }
        _applySettlements(ok, expected == bytes4(0) ? 1 : 0, false);
    }

    /// @dev The merchant half the time, otherwise one of the staff (mostly one holding the cancel role): a full
    ///      refund to the customer, nothing to anyone else.
    function cancelByMerchant(uint256 bookingSeed, uint256 callerSeed) external {
        _begin();
        (bool found, uint256 id) = _pick(bookingSeed, _cancelByMerchantError);
        if (!found) return;
        BookingGhost storage b = bookings[id];
        (address caller, bool isStaff, bool allowed) = _callerFor(b, callerSeed, STAFF_CANCEL);
        bytes4 expected = allowed ? _cancelByMerchantError(id) : IBookings.NotMerchantOrStaff.selector;
        if (expected == bytes4(0)) _expectSettlement(id, IBookings.BookingStatus.MerchantCancelled, BPS);
        Action action = isStaff ? Action.StaffCancel : Action.CancelByMerchant;
        uint256[] memory before = isStaff ? _fundsSnapshot() : new uint256[](0);
        vm.recordLogs();
        vm.prank(caller);
        bool ok;
        try escrow.cancelByMerchant(id) {
            ok = true;
            _expect(action, expected, "", "cancelByMerchant");
        } catch (bytes memory err) {
            _expect(action, expected, err, "cancelByMerchant");
        }
        _applySettlements(ok, expected == bytes4(0) ? 1 : 0, false);
        if (isStaff) _requireOnlyCustomerGained(before, b.customer, "cancelByMerchant");
    }

    /// @dev The merchant's word, by the merchant or staff. When no booking can be checked in now, half the calls
    ///      first jump into an open booking's slot.
    function checkIn(uint256 bookingSeed, uint256 callerSeed) external {
        _begin();
        if (bookingSeed % 2 == 1 && !_anyLegal(_checkInError)) _skipToCheckIn(bookingSeed, 0);
        (bool found, uint256 id) = _pick(bookingSeed, _checkInError);
        if (!found) return;
        BookingGhost storage b = bookings[id];
        (address caller, bool isStaff, bool allowed) = _callerFor(b, callerSeed, STAFF_CHECK_IN);
        bytes4 expected = allowed ? _checkInError(id) : IBookings.NotMerchantOrStaff.selector;
        Action action = isStaff ? Action.StaffCheckIn : Action.CheckIn;
        uint256[] memory before = isStaff ? _fundsSnapshot() : new uint256[](0);
        vm.recordLogs();
        vm.prank(caller);
        bool ok;
        try escrow.checkIn(id) {
            ok = true;
            _expect(action, expected, "", "checkIn");
            b.checkedIn = true;
        } catch (bytes memory err) {
            _expect(action, expected, err, "checkIn");
        }
        _requireCheckedInEvent(ok, id, caller, false);
        if (isStaff) _requireOnlyCustomerGained(before, b.customer, "checkIn");
    }

    /// @dev The customer's signed check-in, submitted by the merchant or staff: mostly a valid signature, sometimes
    ///      the merchant's own, one for another booking, or one under the first version's domain (all refused). When
    ///      no booking can be checked in now, half the calls first jump into an open booking's check-in window
    ///      (from an hour before the slot).
    function checkInWithSignature(uint256 bookingSeed, uint256 callerSeed, uint256 signatureSeed) external {
        _begin();
        if (bookingSeed % 2 == 1 && !_anyLegal(_signedCheckInError)) {
            _skipToCheckIn(bookingSeed, CHECK_IN_OPENS_BEFORE_START);
        }
        (bool found, uint256 id) = _pick(bookingSeed, _signedCheckInError);
        if (!found) return;
        BookingGhost storage b = bookings[id];
        (address caller, bool isStaff, bool allowed) = _callerFor(b, callerSeed, STAFF_CHECK_IN);
        (bytes memory signature, bool valid) = _checkInSignature(id, signatureSeed);
        bytes4 expected = allowed ? _signedCheckInErrorFor(id, valid) : IBookings.NotMerchantOrStaff.selector;
        Action action = isStaff ? Action.StaffCheckInWithSignature : Action.CheckInWithSignature;
        uint256[] memory before = isStaff ? _fundsSnapshot() : new uint256[](0);
        vm.recordLogs();
        vm.prank(caller);
        bool ok;
        try escrow.checkInWithSignature(id, signature) {
            ok = true;
            _expect(action, expected, "", "checkInWithSignature");
            b.checkedIn = true;
        } catch (bytes memory err) {
            _expect(action, expected, err, "checkInWithSignature");
        }
        _requireCheckedInEvent(ok, id, caller, true);
        if (isStaff) _requireOnlyCustomerGained(before, b.customer, "checkInWithSignature");
    }

    function _checkInSignature(uint256 id, uint256 seed) internal view returns (bytes memory signature, bool valid) {
        BookingGhost storage b = bookings[id];
        uint256 key = signingKey[b.customer];
        uint256 kind = seed % 8;
        if (kind == 0) {
            return (_sign(merchantKeys[offerings[b.offeringIndex].merchantIndex], _checkInDigest(id)), false);
        }
        if (kind == 1) {
            uint256 other = bookingIds[(seed >> 8) % bookingIds.length];
            if (other == id) other = id ^ 1;
            return (_sign(key, _checkInDigest(other)), false);
        }
        if (kind == 2) return (_sign(key, TypedData.oldDomainCheckInDigest(address(escrow), id)), false);
        return (_sign(key, _checkInDigest(id)), true);
    }

    function _checkInDigest(uint256 id) internal view returns (bytes32) {
        return TypedData.checkInDigest(address(escrow), id);
    }

    /// @dev A successful check-in announces exactly itself: the booking, who submitted it, and its kind.
    function _requireCheckedInEvent(bool callSucceeded, uint256 id, address by, bool customerSigned) internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        if (!callSucceeded) return;
        uint256 seen;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(escrow) || logs[i].topics[0] != IBookings.CheckedIn.selector) continue;
            ++seen;
            bool signedFlag = abi.decode(logs[i].data, (bool));
            if (
                uint256(logs[i].topics[1]) != id ||
                address(uint160(uint256(logs[i].topics[2]))) != by ||
                signedFlag != customerSigned
            ) _mismatch("CheckedIn names the wrong booking, submitter or kind");
        }
        if (seen != 1) _mismatch("number of CheckedIn events");
    }

    /// @dev Disputes need the clock inside a narrow window; when no booking can be disputed now, half the calls first
    ///      jump into an open booking's dispute window (time only moves forward), so disputes and rulings happen
    ///      often enough to matter. Reasons are random in length, sometimes just at or over the limit.
    function dispute(uint256 bookingSeed, uint256 reasonSeed) external {
        _begin();
        if (bookingSeed % 2 == 1 && !_anyLegal(_disputeError)) _skipToDispute(bookingSeed);
        (bool found, uint256 id) = _pick(bookingSeed, _disputeError);
        if (!found) return;
        BookingGhost storage b = bookings[id];
        uint256 length;
        if (reasonSeed % 16 == 0) length = bound(reasonSeed >> 8, MAX_DISPUTE_REASON_BYTES + 1, 600);
        else if (reasonSeed % 16 == 1) length = MAX_DISPUTE_REASON_BYTES + ((reasonSeed >> 8) % 2);
        else length = bound(reasonSeed >> 8, 0, MAX_DISPUTE_REASON_BYTES);
        bytes memory reason = new bytes(length);
        for (uint256 i; i < length; ++i) reason[i] = bytes1(uint8(97 + (((reasonSeed % 26) + i) % 26)));
        bytes4 expected = _disputeErrorFor(id, length);
        vm.recordLogs();
        vm.prank(b.customer);
        bool ok;
        try escrow.dispute(id, string(reason)) {
            ok = true;
            _expect(Action.Dispute, expected, "", "dispute");
            b.status = IBookings.BookingStatus.Disputed;
        } catch (bytes memory err) {
            _expect(Action.Dispute, expected, err, "dispute");
        }
        Vm.Log[] memory logs = vm.getRecordedLogs();
        if (!ok) return;
        uint256 seen;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(escrow) || logs[i].topics[0] != IBookings.Disputed.selector) continue;
            ++seen;
            if (
                uint256(logs[i].topics[1]) != id ||
                keccak256(bytes(abi.decode(logs[i].data, (string)))) != keccak256(reason)
            ) {
                _mismatch("Disputed does not carry the booking and the customer's reason");
            }
        }
        if (seen != 1) _mismatch("number of Disputed events");
    }

    function resolve(uint256 bookingSeed, uint256 bpsSeed) external {
        _begin();
        (bool found, uint256 id) = _pick(bookingSeed, _resolveError);
        if (!found) return;
        // One ruling in sixteen above 100 %, which must be refused.
        uint256 bps = bpsSeed % 16 == 0 ? bound(bpsSeed >> 8, BPS + 1, type(uint16).max) : bound(bpsSeed >> 8, 0, BPS);
        bytes4 expected = _resolveError(id);
        if (expected == bytes4(0) && bps > BPS) expected = IOfferingRegistry.ShareAboveWhole.selector;
        if (expected == bytes4(0)) _expectSettlement(id, IBookings.BookingStatus.Resolved, bps);
        vm.recordLogs();
        vm.prank(arbiter);
        bool ok;
        try escrow.resolve(id, uint16(bps)) {
            ok = true;
            _expect(Action.Resolve, expected, "", "resolve");
        } catch (bytes memory err) {
            _expect(Action.Resolve, expected, err, "resolve");
        }
        _applySettlements(ok, expected == bytes4(0) ? 1 : 0, false);
    }

    /// @dev Anyone but the merchant and its staff settles a booking whose time has come: the customer, a stranger,
    ///      the arbiter or the owner. When no booking can settle now, half the calls first jump to (or a second
    ///      before) a booking's settlement time, where off-by-one errors live.
    function settle(uint256 bookingSeed, uint256 callerSeed) external {
        _begin();
        if (bookingSeed % 2 == 1 && !_anyLegal(_settleError)) _skipToSettlement(bookingSeed);
        (bool found, uint256 id) = _pick(bookingSeed, _settleError);
        if (!found) return;
        BookingGhost storage b = bookings[id];
        bytes4 expected = _settleError(id);
        if (expected == bytes4(0)) {
            (IBookings.BookingStatus outcome, uint256 bps) = _timeOutcome(id);
            _expectSettlement(id, outcome, bps);
        }
        address caller = _anyone(b, callerSeed);
        vm.recordLogs();
        vm.prank(caller);
        bool ok;
        try escrow.settle(id) {
            ok = true;
            _expect(Action.Settle, expected, "", "settle");
        } catch (bytes memory err) {
            _expect(Action.Settle, expected, err, "settle");
        }
        _applySettlements(ok, expected == bytes4(0) ? 1 : 0, true);
    }

    /// @dev Claims a random batch of one merchant's settleable bookings, in random order. One claim in four also
    ///      carries a random booking of any status or merchant (possibly one already in the batch): an open booking
    ///      that cannot settle, or another merchant's, must fail the whole batch with its error; a settled one
    ///      (before or earlier in the batch) is skipped, so a front-run `settle` cannot fail a claim.
    function claim(uint256 merchantSeed, uint256 pickSeed) external {
        _begin();
        uint256 m = merchantSeed % 3;
        uint256[] memory candidates = new uint256[](bookingIds.length);
        uint256 count;
        // Walk to a merchant with something to claim, if any, so claims are not starved.
        for (uint256 step; step < 3 && count == 0; ++step) {
            m = ((merchantSeed % 3) + step) % 3;
            for (uint256 i; i < bookingIds.length; ++i) {
                uint256 id = bookingIds[i];
                if (offerings[bookings[id].offeringIndex].merchantIndex == m && _settleError(id) == bytes4(0)) {
                    candidates[count++] = id;
                }
            }
        }
        bool withExtra = pickSeed % 4 == 0 && bookingIds.length != 0;
        if (count == 0 && !withExtra) return;
        if (count == 0) m = merchantSeed % 3;
        uint256 size = count == 0 ? 0 : bound(pickSeed >> 2, 1, count < 6 ? count : 6);
        uint256[] memory batch = new uint256[](withExtra ? size + 1 : size);
        for (uint256 i; i < size; ++i) {
            uint256 j = i + (uint256(keccak256(abi.encode(pickSeed, i))) % (count - i));
            (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
            batch[i] = candidates[i];
        }
        bytes4 expected;
        uint256 settling = size;
        if (withExtra) {
            batch[size] = bookingIds[(pickSeed >> 32) % bookingIds.length];
            bool skipped;
            (expected, skipped) = _claimExtraError(batch, size, m);
            if (!skipped) ++settling;
        }
        if (expected != bytes4(0)) settling = 0;
        for (uint256 i; i < settling; ++i) {
            (IBookings.BookingStatus outcome, uint256 bps) = _timeOutcome(batch[i]);
            _expectSettlement(batch[i], outcome, bps);
        }
        vm.recordLogs();
        vm.prank(merchants[m]);
        bool ok;
        try escrow.claim(batch) {
            ok = true;
            _expect(Action.Claim, expected, "", "claim");
        } catch (bytes memory err) {
            _expect(Action.Claim, expected, err, "claim");
        }
        _applySettlements(ok, settling, true);
    }

    /// @dev The error for the booking appended at `index`, after the valid ones before it have settled, and whether
    ///      the escrow skips it (settled already, or earlier in this batch).
    function _claimExtraError(
        uint256[] memory batch,
        uint256 index,
        uint256 m
    ) internal view returns (bytes4 error, bool skipped) {
        uint256 id = batch[index];
        for (uint256 i; i < index; ++i) {
            if (batch[i] == id) return (bytes4(0), true);
        }
        BookingGhost storage b = bookings[id];
        if (!_isOpen(b)) return (bytes4(0), true);
        if (offerings[b.offeringIndex].merchantIndex != m) return (IBookings.NotMerchantOrStaff.selector, false);
        return (_settleError(id), false);
    }

    // ------------------------------------------------------------------------------------------------------
    // Staff acting beyond their roles
    // ------------------------------------------------------------------------------------------------------

    /// @dev Staff never claim: a batch with any open booking of the merchant it works for is refused (a batch of
    ///      settled bookings only is a no-op for anyone). Nobody may gain from it.
    function staffClaim(uint256 staffSeed, uint256 pickSeed) external {
        _begin();
        uint256 s = staffSeed % 3;
        uint256 m = (staffSeed >> 8) % 3;
        // Prefer a merchant that granted this staff member something.
        for (uint256 i; i < 3; ++i) {
            if (ghostRoles[(m + i) % 3][s] != 0) {
                m = (m + i) % 3;
                break;
            }
        }
        uint256[] memory batch = _merchantBatch(m, pickSeed);
        if (batch.length == 0) return;
        bytes4 expected;
        for (uint256 i; i < batch.length && expected == bytes4(0); ++i) {
            if (_isOpen(bookings[batch[i]])) expected = IBookings.NotMerchantOrStaff.selector;
        }
        uint256[] memory before = _fundsSnapshot();
        vm.recordLogs();
        vm.prank(staff[s]);
        bool ok;
        try escrow.claim(batch) {
            ok = true;
            _expect(Action.StaffClaim, expected, "", "claim by staff");
        } catch (bytes memory err) {
            _expect(Action.StaffClaim, expected, err, "claim by staff");
        }
        _applySettlements(ok, 0, true);
        _requireOnlyCustomerGained(before, address(0), "claim");
    }

    /// @dev Up to three of a merchant's bookings: those that could settle now first (the tempting ones), then other
    ///      open ones, then settled ones.
    function _merchantBatch(uint256 m, uint256 seed) internal view returns (uint256[] memory batch) {
        uint256 n = bookingIds.length;
        uint256[3] memory picked;
        uint256 count;
        for (uint256 rank; rank < 3; ++rank) {
            for (uint256 i; i < n && count < 3; ++i) {
                uint256 id = bookingIds[((seed % n) + i) % n];
                if (offerings[bookings[id].offeringIndex].merchantIndex != m) continue;
                uint256 r =
                    _settleError(id) == bytes4(0)
                        ? 0
                        : _isOpen(bookings[id])
                            ? 1
                            : 2;
                if (r == rank) picked[count++] = id;
            }
        }
        batch = new uint256[](count);
        for (uint256 i; i < count; ++i) batch[i] = picked[i];
    }

    /// @dev Staff act for themselves, never for the merchant: they cannot open or close its offerings, change its
    ///      payout, publish offerings or grant roles (they are not registered merchants). Nothing of the merchant's
    ///      may change and nobody may gain.
    function staffTriesMerchantActions(uint256 staffSeed, uint256 offeringSeed, uint256 whichSeed) external {
        _begin();
        if (offerings.length == 0) return;
        address s = staff[staffSeed % 3];
        OfferingGhost storage o = offerings[offeringSeed % offerings.length];
        uint256 m = o.merchantIndex;
        uint256[] memory before = _fundsSnapshot();
        uint256 which = whichSeed % 4;
        bytes4 expected =
            which == 0
                ? IOfferingRegistry.NotOfferingMerchant.selector
                : IMerchantRegistry.MerchantNotRegistered.selector;
        IOfferingRegistry.OfferingTerms memory terms = _terms(o, tiersOf[o.id]);
        bytes memory err;
        vm.prank(s);
        if (which == 0) {
            try escrow.setOfferingActive(o.id, !o.active) {} catch (bytes memory e) {
                err = e;
            }
        } else if (which == 1) {
            try escrow.updateMerchant(s, "Staff") {} catch (bytes memory e) {
                err = e;
            }
        } else if (which == 2) {
            try escrow.createOffering(terms) returns (uint32) {} catch (bytes memory e) {
                err = e;
            }
        } else {
            try escrow.setStaffRoles(staff[((staffSeed % 3) + 1) % 3], 7) {} catch (bytes memory e) {
                err = e;
            }
        }
        _expect(Action.StaffTriesMerchantActions, expected, err, "a merchant action by staff");
        bool untouched =
            escrow.getOffering(o.id).active == o.active &&
                escrow.offeringCount() == offerings.length &&
                (!registered[m] || escrow.getMerchant(merchants[m]).payout == payouts[m]);
        for (uint256 j; j < 3; ++j)
            untouched = untouched && escrow.staffRoles(merchants[m], staff[j]) == ghostRoles[m][j];
        if (!untouched) {
            ++staffViolations;
            lastProblem = "staff changed the merchant's offerings, payout or staff";
        }
        _requireOnlyCustomerGained(before, address(0), "a merchant action");
    }

    // ------------------------------------------------------------------------------------------------------
    // Credits and fees
    // ------------------------------------------------------------------------------------------------------

    /// @dev An account with a credit withdraws it to itself or, when it refuses the token, to another account
    ///      (sometimes to a refusing one, which must fail and keep the credit). A recipient whose hook is merely
    ///      dear takes a withdrawal: it carries all the caller's gas.
    function withdraw(uint256 actorSeed, uint256 tokenSeed, uint256 toSeed) external {
        _begin();
        address t = tokenSeed % 2 == 0 ? ETH : address(token);
        // Prefer the token in which someone holds a credit.
        if (ghostCreditsTotal[t] == 0 && tokenSeed % 8 != 0) t = t == ETH ? address(token) : ETH;
        address account = actors[actorSeed % actors.length];
        // Prefer an account that has a credit.
        for (uint256 i; i < actors.length && ghostCredits[t][account] == 0; ++i) {
            account = actors[((actorSeed % actors.length) + i) % actors.length];
        }
        address to = account;
        if (toSeed % 4 == 0 || refusal[t][account] == Refusal.Reverts) to = actors[toSeed % actors.length];
        uint256 amount = ghostCredits[t][account];
        bytes4 expected;
        if (amount == 0) expected = IPayouts.NothingToWithdraw.selector;
        else if (refusal[t][to] == Refusal.Reverts) expected = IPayouts.TransferFailed.selector;

        vm.prank(account);
        try escrow.withdraw(t, to) {
            _expect(Action.Withdraw, expected, "", "withdraw");
            if (expected == bytes4(0)) {
                ghostCredits[t][account] = 0;
                ghostCreditsTotal[t] -= amount;
                expectedWallet[t][to] += amount;
                outCreditWithdrawal[t] += amount;
            }
        } catch (bytes memory err) {
            _expect(Action.Withdraw, expected, err, "withdraw");
        }
    }

    /// @dev Anyone may trigger it; the fees go only to the fee recipient, or become its credit when it refuses them.
    function withdrawFees(uint256 tokenSeed) external {
        _begin();
        address t = tokenSeed % 2 == 0 ? ETH : address(token);
        uint256 amount = ghostFeesOwed[t];
        bytes4 expected = amount == 0 ? IPayouts.NothingToWithdraw.selector : bytes4(0);
        address recipient = feeRecipients[ghostFeeRecipientIndex];
        vm.prank(stranger);
        try escrow.withdrawFees(t) {
            _expect(Action.WithdrawFees, expected, "", "withdrawFees");
            if (expected == bytes4(0)) {
                ghostFeesOwed[t] = 0;
                if (_pushRefused(t, recipient)) {
                    _credit(t, recipient, amount);
                } else {
                    expectedWallet[t][recipient] += amount;
                    outFee[t] += amount;
                }
            }
        } catch (bytes memory err) {
            _expect(Action.WithdrawFees, expected, err, "withdrawFees");
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Owner
    // ------------------------------------------------------------------------------------------------------

    /// @dev Moves the fee under open offerings; bookings of offerings that accept less must then be refused.
    function setFee(uint256 feeSeed) external {
        _begin();
        // One in eight above the cap, which must be refused.
        uint256 fee =
            feeSeed % 8 == 0
                ? bound(feeSeed >> 8, MAX_FEE_BPS + 1, type(uint16).max)
                : bound(feeSeed >> 8, 0, MAX_FEE_BPS);
        bytes4 expected = fee > MAX_FEE_BPS ? IProtocolConfig.FeeTooHigh.selector : bytes4(0);
        bytes32 before = _stateHash();
        vm.prank(owner);
        try escrow.setFee(uint16(fee)) {
            _expect(Action.SetFee, expected, "", "setFee");
            if (expected == bytes4(0)) ghostFeeBps = uint16(fee);
        } catch (bytes memory err) {
            _expect(Action.SetFee, expected, err, "setFee");
        }
        _requireUnchanged(before, "setFee");
    }

    function setPaused(uint256 seed) external {
        _begin();
        // Paused one time in eight, so the pause is exercised without starving bookings.
        bool paused = seed % 8 == 0;
        bytes32 before = _stateHash();
        vm.prank(owner);
        try escrow.setPaused(paused) {
            _expect(Action.SetPaused, bytes4(0), "", "setPaused");
            ghostPaused = paused;
        } catch (bytes memory err) {
            _expect(Action.SetPaused, bytes4(0), err, "setPaused");
        }
        _requireUnchanged(before, "setPaused");
    }

    function setTokenAllowed(uint256 seed) external {
        _begin();
        // Disallowed one time in eight, for the same reason.
        bool allowed = seed % 8 != 0;
        bytes32 before = _stateHash();
        vm.prank(owner);
        try escrow.setTokenAllowed(address(token), allowed) {
            _expect(Action.SetTokenAllowed, bytes4(0), "", "setTokenAllowed");
            ghostTokenAllowed = allowed;
        } catch (bytes memory err) {
            _expect(Action.SetTokenAllowed, bytes4(0), err, "setTokenAllowed");
        }
        _requireUnchanged(before, "setTokenAllowed");
    }

    function setFeeRecipient(uint256 recipientSeed) external {
        _begin();
        uint8 index = uint8(recipientSeed % 2);
        bytes32 before = _stateHash();
        vm.prank(owner);
        try escrow.setFeeRecipient(feeRecipients[index]) {
            _expect(Action.SetFeeRecipient, bytes4(0), "", "setFeeRecipient");
            ghostFeeRecipientIndex = index;
        } catch (bytes memory err) {
            _expect(Action.SetFeeRecipient, bytes4(0), err, "setFeeRecipient");
        }
        _requireUnchanged(before, "setFeeRecipient");
    }

    /// @dev SPEC invariant 5: the owner holds no key to deposits. Every entry point of the customer, merchant, staff
    ///      and arbiter must leave everything as it was when the owner calls it (a claim of settled bookings is a
    ///      no-op for anyone). The owner's `settle` is `settle`'s business: anyone may settle.
    function ownerTriesToMoveFunds(uint256 bookingSeed) external {
        _begin();
        if (bookingIds.length == 0) return;
        uint256 id = bookingIds[bookingSeed % bookingIds.length];
        bytes32 before = _stateHash();
        uint256[] memory ids = new uint256[](1);
        ids[0] = id;
        bytes memory ownerSignature = _sign(signingKey[owner], _checkInDigest(id));
        vm.startPrank(owner);
        try escrow.cancel(id) {} catch {}
        try escrow.cancelByMerchant(id) {} catch {}
        try escrow.checkIn(id) {} catch {}
        try escrow.checkInWithSignature(id, ownerSignature) {} catch {}
        try escrow.dispute(id, "owner") {} catch {}
        try escrow.resolve(id, uint16(BPS)) {} catch {}
        try escrow.claim(ids) {} catch {}
        try escrow.withdraw(ETH, owner) {} catch {}
        try escrow.withdraw(address(token), owner) {} catch {}
        vm.stopPrank();
        uint256 violationsBefore = adminViolations;
        _requireUnchanged(before, "the owner's settlement attempts");
        if (adminViolations == violationsBefore) ++successes[uint256(Action.OwnerTriesToMoveFunds)];
    }

    // ------------------------------------------------------------------------------------------------------
    // Time and the outside world
    // ------------------------------------------------------------------------------------------------------

    /// @dev Short steps (inside a slot, around check-in and cancellation tiers) and long ones (past dispute windows
    ///      and arbiter timeouts), so every time-gated outcome is reachable within one run.
    function warp(uint256 secondsSeed) external {
        _begin();
        uint256 step =
            secondsSeed % 3 == 0 ? bound(secondsSeed >> 8, 1 days, 4 days) : bound(secondsSeed >> 8, 1, 6 hours);
        ghostNow += step;
        vm.warp(ghostNow);
        ++successes[uint256(Action.Warp)];
    }

    /// @dev Someone sends funds the escrow did not ask for: a token transfer, or ETH forced in (selfdestruct or a
    ///      block reward; simulated with `deal`, the escrow has no `receive`). It must only ever show up as surplus.
    function sendUnsolicited(uint256 tokenSeed, uint256 amountSeed) external {
        _begin();
        uint256 amount = bound(amountSeed, 1, 10 ether);
        if (tokenSeed % 2 == 0) {
            vm.deal(address(escrow), address(escrow).balance + amount);
            ghostSurplus[ETH] += amount;
        } else {
            token.mint(stranger, amount);
            vm.prank(stranger);
            bool sent = token.transfer(address(escrow), amount);
            if (!sent) return;
            ghostSurplus[address(token)] += amount;
        }
        ++successes[uint256(Action.Unsolicited)];
    }

    /// @dev Jumps into the check-in window (from `lead` before the slot until it ends) of an open booking not yet
    ///      checked in, if there is one still ahead; for the merchant's word (no lead), only where it counts.
    function _skipToCheckIn(uint256 seed, uint256 lead) internal {
        uint256 n = bookingIds.length;
        for (uint256 i; i < n; ++i) {
            uint256 id = bookingIds[((seed % n) + i) % n];
            BookingGhost storage b = bookings[id];
            if (b.status != IBookings.BookingStatus.Booked || b.checkedIn) continue;
            if (lead == 0 && offerings[b.offeringIndex].customerSignatureOnly) continue;
            if (_warpInto(b.slotStart - lead, _slotEnd(id), seed >> 16)) return;
        }
    }

    /// @dev Jumps into the dispute window of an open booking of an offering with an arbiter.
    function _skipToDispute(uint256 seed) internal {
        uint256 n = bookingIds.length;
        for (uint256 i; i < n; ++i) {
            uint256 id = bookingIds[((seed % n) + i) % n];
            BookingGhost storage b = bookings[id];
            if (b.status != IBookings.BookingStatus.Booked || offerings[b.offeringIndex].arbiter == address(0)) {
                continue;
            }
            if (_warpInto(b.slotStart, _settlesAt(id), seed >> 16)) return;
        }
    }

    /// @dev Jumps to the moment an open booking can settle (its ruling deadline when disputed), or a second before.
    function _skipToSettlement(uint256 seed) internal {
        uint256 n = bookingIds.length;
        for (uint256 i; i < n; ++i) {
            uint256 id = bookingIds[((seed % n) + i) % n];
            BookingGhost storage b = bookings[id];
            if (!_isOpen(b)) continue;
            uint256 at = b.status == IBookings.BookingStatus.Disputed ? _rulingDeadline(id) : _settlesAt(id);
            if (ghostNow >= at) continue;
            ghostNow = at - ((seed >> 16) % 2);
            vm.warp(ghostNow);
            return;
        }
    }

    /// @dev Moves the clock to a random time in [opensAt, closesAt) not before now; false when the window has passed.
    function _warpInto(uint256 opensAt, uint256 closesAt, uint256 seed) internal returns (bool) {
        if (ghostNow >= closesAt) return false;
        uint256 from = ghostNow > opensAt ? ghostNow : opensAt;
        ghostNow = from + (seed % (closesAt - from));
        vm.warp(ghostNow);
        return true;
    }

    // ------------------------------------------------------------------------------------------------------
    // Callers
    // ------------------------------------------------------------------------------------------------------

    /// @dev The booking's merchant half the time, otherwise one of the staff (see `_staffFor`), so granted roles are
    ///      used and not only refused.
    function _callerFor(
        BookingGhost storage b,
        uint256 seed,
        uint8 role
    ) internal view returns (address caller, bool isStaff, bool allowed) {
        uint256 m = offerings[b.offeringIndex].merchantIndex;
        if (seed % 2 == 0) return (merchants[m], false, true);
        uint256 s = _staffFor(m, seed >> 8, role);
        return (staff[s], true, ghostRoles[m][s] & role != 0);
    }

    /// @dev A random staff member, three times in four one holding `role` for merchant `m` (if any).
    function _staffFor(uint256 m, uint256 seed, uint8 role) internal view returns (uint256 s) {
        s = seed % 3;
        if ((seed >> 8) % 4 == 0) return s;
        for (uint256 i; i < 3; ++i) {
            if (ghostRoles[m][(s + i) % 3] & role != 0) return (s + i) % 3;
        }
    }

    /// @dev Someone who is neither the booking's merchant nor its staff.
    function _anyone(BookingGhost storage b, uint256 seed) internal view returns (address) {
        address[4] memory anyone = [b.customer, stranger, arbiter, owner];
        return anyone[seed % 4];
    }

    // ------------------------------------------------------------------------------------------------------
    // SPEC invariant 6
    // ------------------------------------------------------------------------------------------------------

    enum Step {
        Cancel,
        Resolve,
        Settle
    }

    /// @notice Drives every open booking to its outcome without any transaction of a merchant or its staff, and
    ///         checks that the funds land where the rules say. Meant to run on a state snapshot that the caller
    ///         reverts afterwards: it changes the escrow, not the model.
    /// @dev Now, every other customer who still may cancels, and the arbiter rules every other dispute it still
    ///      may; then the clock jumps to the last moment any remaining booking becomes settleable (so at least one
    ///      settles exactly at its boundary) and the customer, a stranger, the arbiter or the owner settles each.
    ///      Afterwards the escrow may hold nothing but credits, fees owed and unsolicited surplus.
    /// @return failures How many bookings did not reach their outcome as the SPEC says (or 1 for funds left held).
    /// @return why The first failure.
    function driveEveryBookingToItsOutcome() external returns (uint256 failures, string memory why) {
        vm.warp(ghostNow);
        uint256 n = bookingIds.length;
        bool[] memory done = new bool[](n);
        uint256 last = ghostNow;
        for (uint256 i; i < n; ++i) {
            uint256 id = bookingIds[i];
            BookingGhost storage b = bookings[id];
            string memory problem;
            if (!_isOpen(b)) {
                done[i] = true;
                continue;
            } else if (i % 2 == 0 && _cancelError(id) == bytes4(0)) {
                uint256 bps = _policyBps(offerings[b.offeringIndex].id, b.slotStart - ghostNow);
                problem = _drive(b.customer, id, Step.Cancel, IBookings.BookingStatus.CustomerCancelled, bps);
            } else if (i % 2 == 0 && _resolveError(id) == bytes4(0)) {
                uint256 bps = uint256(keccak256(abi.encode(id))) % (BPS + 1);
                problem = _drive(arbiter, id, Step.Resolve, IBookings.BookingStatus.Resolved, bps);
            } else {
                uint256 at = b.status == IBookings.BookingStatus.Disputed ? _rulingDeadline(id) : _settlesAt(id);
                if (at > last) last = at;
                continue;
            }
            done[i] = true;
            if (bytes(problem).length != 0) (failures, why) = _fail(failures, why, problem);
        }
        vm.warp(last);
        for (uint256 i; i < n; ++i) {
            if (done[i]) continue;
            uint256 id = bookingIds[i];
            (IBookings.BookingStatus outcome, uint256 bps) = _timeOutcome(id);
            string memory problem = _drive(_anyone(bookings[id], i), id, Step.Settle, outcome, bps);
            if (bytes(problem).length != 0) (failures, why) = _fail(failures, why, problem);
        }
        address[2] memory list = tokens();
        for (uint256 t; t < 2; ++t) {
            uint256 kept = escrow.feesOwed(list[t]);
            for (uint256 a; a < actors.length; ++a) kept += escrow.credits(list[t], actors[a]);
            if (_balance(list[t], address(escrow)) != kept + ghostSurplus[list[t]]) {
                string memory problem = "invariant 6: deposits left held after every booking reached its outcome";
                (failures, why) = _fail(failures, why, problem);
            }
        }
    }

    /// @dev Counts a failure of the drive and keeps the first one's reason: later ones tend to be its consequences.
    function _fail(
        uint256 failures,
        string memory why,
        string memory problem
    ) internal pure returns (uint256, string memory) {
        return (failures + 1, failures == 0 ? problem : why);
    }

    /// @dev One step of the drive: the call must succeed, record `outcome`, and move exactly the split of `bps` to the
    ///      customer (wallet or credit), the merchant's payout address (wallet or credit) and the fees owed.
    function _drive(
        address caller,
        uint256 id,
        Step step,
        IBookings.BookingStatus outcome,
        uint256 bps
    ) internal returns (string memory problem) {
        BookingGhost storage b = bookings[id];
        address t = b.token;
        address payout = payouts[offerings[b.offeringIndex].merchantIndex];
        uint256[3] memory before = [_holding(t, b.customer), _holding(t, payout), escrow.feesOwed(t)];
        {
            (bool ok, bytes memory err) = _driveCall(caller, id, step, bps);
            if (!ok) return string.concat("invariant 6: a booking could not reach its outcome: ", vm.toString(err));
        }
        if (escrow.getBooking(id).status != outcome) return "invariant 6: wrong outcome";
        uint256[3] memory split;
        (split[0], split[1], split[2]) = _split(b.amount, bps, b.feeBps);
        if (_holding(t, b.customer) != before[0] + split[0]) return "invariant 6: the customer did not get its share";
        if (_holding(t, payout) != before[1] + split[1]) return "invariant 6: the payout address did not get its share";
        if (escrow.feesOwed(t) != before[2] + split[2]) return "invariant 6: the fee owed did not grow by the fee";
        return "";
    }

    function _driveCall(
        address caller,
        uint256 id,
        Step step,
        uint256 bps
    ) internal returns (bool ok, bytes memory err) {
        vm.prank(caller);
        if (step == Step.Cancel) {
            try escrow.cancel(id) {
                ok = true;
            } catch (bytes memory e) {
                err = e;
            }
        } else if (step == Step.Resolve) {
            try escrow.resolve(id, uint16(bps)) {
                ok = true;
            } catch (bytes memory e) {
                err = e;
            }
        } else {
            try escrow.settle(id) {
                ok = true;
            } catch (bytes memory e) {
                err = e;
            }
        }
    }

    /// @dev What an account holds in a token: its wallet plus its credit in the escrow.
    function _holding(address t, address account) internal view returns (uint256) {
        return _balance(t, account) + escrow.credits(t, account);
    }

    function _balance(address t, address account) internal view returns (uint256) {
        return t == ETH ? account.balance : token.balanceOf(account);
    }
}
