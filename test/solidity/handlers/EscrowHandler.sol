// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EarnestEscrow} from "../../../contracts/EarnestEscrow.sol";
import {IBookings} from "../../../contracts/interfaces/IBookings.sol";
import {IEscrowViews} from "../../../contracts/interfaces/IEscrowViews.sol";
import {IEarnestEscrow} from "../../../contracts/interfaces/IEarnestEscrow.sol";
import {ICoupons} from "../../../contracts/interfaces/ICoupons.sol";
import {IMerchantRegistry} from "../../../contracts/interfaces/IMerchantRegistry.sol";
import {IOfferingRegistry} from "../../../contracts/interfaces/IOfferingRegistry.sol";
import {IPayouts} from "../../../contracts/interfaces/IPayouts.sol";
import {IProtocolConfig} from "../../../contracts/interfaces/IProtocolConfig.sol";
import {CancellationPolicy} from "../../../contracts/libraries/CancellationPolicy.sol";
import {MockStablecoin} from "../../../contracts/mocks/MockStablecoin.sol";
import {RevertingReceiver} from "../../../contracts/mocks/RevertingReceiver.sol";
import {TestBase, Vm} from "../utils/Vm.sol";

/// @title EscrowHandler
/// @notice Drives the escrow through bounded, mostly legal actions for the invariant campaign, and keeps its own
///         model of where every wei should be. The model is written from the SPEC, not read back from the escrow,
///         so the invariants compare two independent accounts of the same history.
/// @dev Every action predicts its own outcome (success or the first named error) before calling, and counts any
///      disagreement; a reverting action would be silently discarded by the campaign, so the handler never reverts
///      on the escrow's account and records problems in counters the invariants read instead.
contract EscrowHandler is TestBase {
    address internal constant ETH = address(0);
    uint256 internal constant BPS = 10_000;

    // ------------------------------------------------------------------------------------------------------
    // The world
    // ------------------------------------------------------------------------------------------------------

    IEarnestEscrow public escrow;
    MockStablecoin public token;

    address public owner;
    address[2] public feeRecipients;
    uint256[3] internal merchantKeys;
    address[3] public merchants;
    address[3] public payouts;
    bool[3] public registered;
    /// @dev The last customer is a contract that refuses ETH, so refunds to it become credits.
    address[5] public customers;
    address public arbiter;
    /// @dev Sends unsolicited funds; never a recipient of anything.
    address public stranger;
    /// @dev Everyone whose balance the model tracks.
    address[] public actors;
    mapping(address account => bool refuses) public refusesEth;

    /// @dev The model's clock; re-applied before every action so a warp is never lost between calls.
    uint256 public ghostNow;

    // ------------------------------------------------------------------------------------------------------
    // Ghost model
    // ------------------------------------------------------------------------------------------------------

    struct OfferingGhost {
        uint32 id;
        uint8 merchantIndex;
        address token;
        uint96 depositPerSeat;
        uint16 seatsPerSlot;
        uint32 slotLength;
        uint40 firstSlotStart;
        uint32 minLeadTime;
        uint32 maxAdvance;
        uint16 noShowRefundBps;
        uint32 disputeWindow;
        address arbiter;
        uint32 arbiterTimeout;
        bool active;
    }

    struct BookingGhost {
        uint256 id;
        address token;
        uint32 offeringIndex;
        address customer;
        uint16 seats;
        uint16 feeBps;
        IBookings.BookingStatus status;
        bool checkedIn;
        uint8 settleCount;
        uint40 slotStart;
        uint256 amount;
        uint256 customerShare;
        uint256 merchantShare;
        uint256 fee;
    }

    struct IssuedCoupon {
        ICoupons.Coupon coupon;
        bytes signature;
        bytes32 digest;
    }

    OfferingGhost[] internal offerings;
    mapping(uint32 offeringId => CancellationPolicy.Tier[] tiers) internal tiersOf;

    uint256[] public bookingIds;
    mapping(uint256 bookingId => BookingGhost booking) internal bookings;

    /// @dev Seats held per slot by the model (`offeringId << 40 | slotStart`), and the slot's booking counter.
    uint256[] public slotKeys;
    mapping(uint256 slotKey => bool seen) internal slotSeen;
    mapping(uint256 slotKey => uint256 seats) public ghostSeatsHeld;
    mapping(uint256 slotKey => uint256 count) internal ghostSlotBookings;
    mapping(uint256 slotKey => uint16 capacity) public slotCapacity;

    IssuedCoupon[] internal coupons;
    mapping(bytes32 digest => uint256 redemptions) internal ghostRedemptions;

    uint16 public ghostFeeBps;
    bool public ghostPaused;
    bool public ghostTokenAllowed;
    uint8 public ghostFeeRecipientIndex;

    /// @dev Per token (zero = ETH): deposits of open bookings, credits, fees owed, unsolicited surplus.
    mapping(address token => uint256 amount) public ghostHeld;
    mapping(address token => uint256 amount) public ghostFeesOwed;
    mapping(address token => uint256 amount) public ghostSurplus;
    mapping(address token => mapping(address account => uint256 amount)) public ghostCredits;
    mapping(address token => uint256 amount) public ghostCreditsTotal;
    /// @dev What each tracked account's wallet should hold, from funding, payments and the allowed flows only.
    mapping(address token => mapping(address account => uint256 amount)) public expectedWallet;

    /// @dev Totals in and out of the escrow by category, per token.
    mapping(address token => uint256 amount) public totalIn;
    mapping(address token => uint256 amount) public outRefund;
    mapping(address token => uint256 amount) public outPayout;
    mapping(address token => uint256 amount) public outFee;
    mapping(address token => uint256 amount) public outCreditWithdrawal;

    /// @dev Broken properties, counted where the handler observes them, with the last reason for the report.
    uint256 public modelMismatches;
    uint256 public splitViolations;
    uint256 public doubleSettlements;
    uint256 public capacityViolations;
    uint256 public adminViolations;
    string public lastProblem;

    /// @dev Per-call expectations for the `Settled` events of the action in flight.
    mapping(uint256 bookingId => uint256 plusOne) internal expectedBpsPlusOne;
    mapping(uint256 bookingId => IBookings.BookingStatus outcome) internal expectedOutcome;

    // ------------------------------------------------------------------------------------------------------
    // Call summary
    // ------------------------------------------------------------------------------------------------------

    enum Action {
        RegisterMerchant,
        CreateOffering,
        SetOfferingActive,
        Book,
        BookWithCoupon,
        Cancel,
        CancelByMerchant,
        CheckIn,
        Dispute,
        Resolve,
        Claim,
        Withdraw,
        WithdrawFees,
        SetFee,
        SetPaused,
        SetTokenAllowed,
        SetFeeRecipient,
        Warp,
        Unsolicited,
        OwnerTriesToMoveFunds
    }

    uint256 public constant ACTION_COUNT = 20;
    /// @dev Calls that did what the action is for (an accepted booking, a settled claim, ...).
    uint256[20] public successes;
    /// @dev Calls whose predicted refusal the escrow confirmed (exercising the named errors).
    uint256[20] public expectedRefusals;
    uint256 public totalCalls;

    function successCount(Action action) external view returns (uint256) {
        return successes[uint256(action)];
    }

    // ------------------------------------------------------------------------------------------------------
    // Setup
    // ------------------------------------------------------------------------------------------------------

    constructor() {
        ghostNow = block.timestamp;
        owner = _actor(0xA11CE, "owner");
        feeRecipients[0] = _actor(0xFEE1, "feeRecipient0");
        feeRecipients[1] = _actor(0xFEE2, "feeRecipient1");
        for (uint256 i; i < 3; ++i) {
            merchantKeys[i] = 0x3E7C00 + i;
            merchants[i] = _actor(merchantKeys[i], "merchant");
        }
        payouts[0] = _actor(0x9A100, "payout0");
        RevertingReceiver refusingPayout = new RevertingReceiver();
        payouts[1] = address(refusingPayout);
        _track(payouts[1], "payout1 (refuses ETH)");
        refusesEth[payouts[1]] = true;
        payouts[2] = _actor(0x9A102, "payout2");
        for (uint256 i; i < 4; ++i) customers[i] = _actor(0xC05700 + i, "customer");
        RevertingReceiver refusingCustomer = new RevertingReceiver();
        customers[4] = address(refusingCustomer);
        _track(customers[4], "customer4 (refuses ETH)");
        refusesEth[customers[4]] = true;
        arbiter = _actor(0xA7B1, "arbiter");
        stranger = _actor(0x57A, "stranger");

        ghostFeeBps = 250;
        escrow = IEarnestEscrow(address(new EarnestEscrow(owner, feeRecipients[0], ghostFeeBps)));
        token = new MockStablecoin();
        vm.label(address(escrow), "escrow");
        vm.label(address(token), "mUSD");
        vm.prank(owner);
        escrow.setTokenAllowed(address(token), true);
        ghostTokenAllowed = true;

        // Two registered merchants (the second one's payout refuses ETH) with a token and an ETH offering that
        // both take disputes, so bookings, disputes and credits are reachable from the first calls. The third
        // merchant is left for `registerMerchant`.
        _register(0);
        _register(1);
        _publish(_setupOffering(0, address(token), 25e6, 4, 1 hours), _setupTiers());
        _publish(_setupOffering(1, ETH, 0.05 ether, 3, 2 hours), _setupTiers());
        // The setup is not part of the campaign's call summary.
        successes[uint256(Action.CreateOffering)] = 0;
    }

    function _setupOffering(
        uint8 m,
        address t,
        uint96 deposit,
        uint16 seats,
        uint32 slotLength
    ) internal view returns (OfferingGhost memory o) {
        o.merchantIndex = m;
        o.token = t;
        o.depositPerSeat = deposit;
        o.seatsPerSlot = seats;
        o.slotLength = slotLength;
        o.firstSlotStart = uint40(ghostNow - (ghostNow % slotLength));
        o.minLeadTime = 0;
        o.maxAdvance = 2 days;
        o.noShowRefundBps = 2_000;
        o.disputeWindow = 12 hours;
        o.arbiter = arbiter;
        o.arbiterTimeout = 1 days;
    }

    /// @dev The SPEC's example: 48 h -> 100 %, 24 h -> 50 %, else nothing.
    function _setupTiers() internal pure returns (CancellationPolicy.Tier[] memory tiers) {
        tiers = new CancellationPolicy.Tier[](2);
        tiers[0] = CancellationPolicy.Tier({secondsBeforeStart: 48 hours, refundBps: 10_000});
        tiers[1] = CancellationPolicy.Tier({secondsBeforeStart: 24 hours, refundBps: 5_000});
    }

    function _actor(uint256 key, string memory name) internal returns (address a) {
        a = vm.addr(key);
        _track(a, name);
    }

    function _track(address a, string memory name) internal {
        actors.push(a);
        vm.label(a, name);
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function bookingCount() external view returns (uint256) {
        return bookingIds.length;
    }

    function slotCount() external view returns (uint256) {
        return slotKeys.length;
    }

    function offeringCount() external view returns (uint256) {
        return offerings.length;
    }

    function bookingGhost(uint256 bookingId) external view returns (BookingGhost memory) {
        return bookings[bookingId];
    }

    // Batched views: the invariants run after every call, and each external call costs the campaign time, so the
    // model is handed over in a few calls rather than one per booking or account.

    struct TokenTotals {
        uint256 held;
        uint256 feesOwed;
        uint256 surplus;
        uint256 creditsTotal;
        uint256 totalIn;
        uint256 outRefund;
        uint256 outPayout;
        uint256 outFee;
        uint256 outCreditWithdrawal;
    }

    struct Problems {
        uint256 modelMismatches;
        uint256 splitViolations;
        uint256 doubleSettlements;
        uint256 capacityViolations;
        uint256 adminViolations;
        string lastProblem;
    }

    function bookingIdList() external view returns (uint256[] memory) {
        return bookingIds;
    }

    function bookingGhosts() external view returns (BookingGhost[] memory list) {
        list = new BookingGhost[](bookingIds.length);
        for (uint256 i; i < list.length; ++i) list[i] = bookings[bookingIds[i]];
    }

    function totals(address t) external view returns (TokenTotals memory) {
        return
            TokenTotals({
                held: ghostHeld[t],
                feesOwed: ghostFeesOwed[t],
                surplus: ghostSurplus[t],
                creditsTotal: ghostCreditsTotal[t],
                totalIn: totalIn[t],
                outRefund: outRefund[t],
                outPayout: outPayout[t],
                outFee: outFee[t],
                outCreditWithdrawal: outCreditWithdrawal[t]
            });
    }

    function problems() external view returns (Problems memory) {
        return
            Problems({
                modelMismatches: modelMismatches,
                splitViolations: splitViolations,
                doubleSettlements: doubleSettlements,
                capacityViolations: capacityViolations,
                adminViolations: adminViolations,
                lastProblem: lastProblem
            });
    }

    /// @dev The only accounts the model lets hold credits: those that refuse ETH pushes.
    function creditHolders() public view returns (address[2] memory) {
        return [customers[4], payouts[1]];
    }

    function actorList() external view returns (address[] memory) {
        return actors;
    }

    function expectedWallets(address t) external view returns (uint256[] memory list) {
        list = new uint256[](actors.length);
        for (uint256 i; i < list.length; ++i) list[i] = expectedWallet[t][actors[i]];
    }

    function slots() external view returns (uint256[] memory keys, uint256[] memory held, uint256[] memory capacity) {
        keys = slotKeys;
        held = new uint256[](keys.length);
        capacity = new uint256[](keys.length);
        for (uint256 i; i < keys.length; ++i) {
            held[i] = ghostSeatsHeld[keys[i]];
            capacity[i] = slotCapacity[keys[i]];
        }
    }

    function summary() external view returns (uint256[20] memory succeeded, uint256[20] memory refused, uint256 calls) {
        return (successes, expectedRefusals, totalCalls);
    }

    function tokens() public view returns (address[2] memory list) {
        list[0] = ETH;
        list[1] = address(token);
    }

    // ------------------------------------------------------------------------------------------------------
    // Merchants and offerings
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
        _createOffering(
            merchantSeed % 3,
            tokenSeed,
            depositSeed,
            shapeSeed,
            windowSeed,
            policySeed,
            arbiterSeed,
            tierSeed
        );
    }

    function _createOffering(
        uint256 m,
        uint256 tokenSeed,
        uint256 depositSeed,
        uint256 shapeSeed,
        uint256 windowSeed,
        uint256 policySeed,
        uint256 arbiterSeed,
        uint256 tierSeed
    ) internal {
        OfferingGhost memory o;
        o.merchantIndex = uint8(m);
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
        if (arbiterSeed % 3 != 0) {
            o.arbiter = arbiter;
            o.arbiterTimeout = uint32(bound(arbiterSeed >> 8, 1, 1 days));
        }
        _publish(o, _tiers(tierSeed));
    }

    function _publish(OfferingGhost memory o, CancellationPolicy.Tier[] memory tiers) internal {
        uint256 m = o.merchantIndex;
        IOfferingRegistry.OfferingTerms memory terms = IOfferingRegistry.OfferingTerms({
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
            checkInRule: IOfferingRegistry.CheckInRule.MerchantWord,
            maxFeeBps: 1_000,
            cancellationTiers: tiers,
            metadata: "Invariant offering; UTC"
        });

        bytes4 expected;
        if (!registered[m]) expected = IMerchantRegistry.MerchantNotRegistered.selector;
        else if (o.token != ETH && !ghostTokenAllowed) expected = IProtocolConfig.TokenNotAllowed.selector;

        vm.prank(merchants[m]);
        try escrow.createOffering(terms) returns (uint32 offeringId) {
            _expect(Action.CreateOffering, expected, "", "createOffering");
            if (offeringId != offerings.length + 1) _mismatch("offering ids are not sequential");
            o.id = offeringId;
            o.active = true;
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
    }

    function book(uint256 actorSeed, uint256 offeringSeed, uint256 slotSeed, uint256 seatsSeed) external {
        _begin();
        (bool ok, BookRequest memory r) = _bookRequest(actorSeed, offeringSeed, slotSeed, seatsSeed);
        if (!ok) return;
        _book(r);
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
        // Half the time reuse a coupon already issued (possibly exhausted, expired or for someone else).
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

    /// @dev A request on the offering's grid inside its booking window now, on one of the first few slots so that
    ///      bookings collide and capacity is actually contested.
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
        r.customer = customers[actorSeed % customers.length];
        r.deposit = uint256(o.depositPerSeat) * r.seats;
        ok = true;
    }

    function _issueCoupon(BookRequest memory r, uint256 seed) internal returns (uint256 index) {
        OfferingGhost storage o = offerings[r.offeringIndex];
        ICoupons.Coupon memory c = ICoupons.Coupon({
            offeringId: o.id,
            // At most one seat's deposit, so it never exceeds the booking (any booking has at least one seat).
            discount: uint96(bound(seed >> 16, 1, o.depositPerSeat)),
            maxRedemptions: uint32(bound(seed >> 48, 1, 3)),
            expiresAt: uint40(ghostNow + bound(seed >> 80, 0, 2 days)),
            customer: (seed >> 120) % 2 == 0 ? address(0) : r.customer,
            salt: keccak256(abi.encode(seed, coupons.length)),
            signer: merchants[o.merchantIndex]
        });
        bytes32 digest = _couponDigest(c);
        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(merchantKeys[o.merchantIndex], digest);
        coupons.push(IssuedCoupon({coupon: c, signature: abi.encodePacked(rr, s, v), digest: digest}));
        index = coupons.length - 1;
    }

    /// @dev The EIP-712 digest computed here from the SPEC's domain ("Earnest", "1", chain, escrow) rather than by
    ///      asking the escrow, so a wrong domain or type hash in the contract would make every coupon fail.
    function _couponDigest(ICoupons.Coupon memory c) internal view returns (bytes32) {
        bytes32 domainSeparator = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("Earnest"),
                keccak256("2"),
                block.chainid,
                address(escrow)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "Coupon(uint32 offeringId,uint96 discount,uint32 maxRedemptions,uint40 expiresAt,address customer,bytes32 salt,address signer)"
                ),
                c.offeringId,
                c.discount,
                c.maxRedemptions,
                c.expiresAt,
                c.customer,
                c.salt,
                c.signer
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
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
        }
        if (ghostPaused) return IBookings.BookingsPaused.selector;
        if (!o.active) return IBookings.OfferingInactive.selector;
        if (o.token != ETH && !ghostTokenAllowed) return IProtocolConfig.TokenNotAllowed.selector;
        uint256 key = _slotKey(o.id, r.slotStart);
        if (ghostSeatsHeld[key] + r.seats > o.seatsPerSlot) return IBookings.SlotFull.selector;
        return bytes4(0);
    }

    function _book(BookRequest memory r) internal {
        OfferingGhost storage o = offerings[r.offeringIndex];
        Action action = r.withCoupon ? Action.BookWithCoupon : Action.Book;
        uint256 amount = r.deposit - r.discount;
        bytes4 expected = _expectedBookError(r);
        bytes32 details = keccak256(abi.encode("details", totalCalls));

        // Fund the customer with exactly what it pays; the model counts the funding as the wallet's own money.
        uint256 value;
        if (o.token == ETH) {
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
        vm.prank(r.customer);
        if (r.withCoupon) {
            IssuedCoupon storage ic = coupons[r.couponIndex];
            try
                escrow.bookWithCoupon{value: value}(o.id, r.slotStart, r.seats, details, ic.coupon, ic.signature)
            returns (uint256 id) {
                (ok, bookingId) = (true, id);
            } catch (bytes memory e) {
                err = e;
            }
        } else {
            try escrow.book{value: value}(o.id, r.slotStart, r.seats, details) returns (uint256 id) {
                (ok, bookingId) = (true, id);
            } catch (bytes memory e) {
                err = e;
            }
        }
        _expect(action, expected, err, r.withCoupon ? "bookWithCoupon" : "book");

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
        _applySettlements(ok, expected == bytes4(0) ? 1 : 0);
    }

    function cancelByMerchant(uint256 bookingSeed) external {
        _begin();
        (bool found, uint256 id) = _pick(bookingSeed, _cancelByMerchantError);
        if (!found) return;
        BookingGhost storage b = bookings[id];
        bytes4 expected = _cancelByMerchantError(id);
        if (expected == bytes4(0)) _expectSettlement(id, IBookings.BookingStatus.MerchantCancelled, BPS);
        vm.recordLogs();
        vm.prank(merchants[offerings[b.offeringIndex].merchantIndex]);
        bool ok;
        try escrow.cancelByMerchant(id) {
            ok = true;
            _expect(Action.CancelByMerchant, expected, "", "cancelByMerchant");
        } catch (bytes memory err) {
            _expect(Action.CancelByMerchant, expected, err, "cancelByMerchant");
        }
        _applySettlements(ok, expected == bytes4(0) ? 1 : 0);
    }

    function checkIn(uint256 bookingSeed) external {
        _begin();
        (bool found, uint256 id) = _pick(bookingSeed, _checkInError);
        if (!found) return;
        BookingGhost storage b = bookings[id];
        bytes4 expected = _checkInError(id);
        vm.prank(merchants[offerings[b.offeringIndex].merchantIndex]);
        try escrow.checkIn(id) {
            _expect(Action.CheckIn, expected, "", "checkIn");
            b.checkedIn = true;
        } catch (bytes memory err) {
            _expect(Action.CheckIn, expected, err, "checkIn");
        }
    }

    function dispute(uint256 bookingSeed) external {
        _begin();
        // Disputes need the clock inside a narrow window; half the time, jump to the start of an open booking's
        // slot first (time only moves forward), so disputes and rulings happen often enough to matter.
        if (bookingSeed % 2 == 1) _skipToDisputableSlot(bookingSeed);
        (bool found, uint256 id) = _pick(bookingSeed, _disputeError);
        if (!found) return;
        BookingGhost storage b = bookings[id];
        bytes4 expected = _disputeError(id);
        vm.prank(b.customer);
        try escrow.dispute(id, "") {
            _expect(Action.Dispute, expected, "", "dispute");
            b.status = IBookings.BookingStatus.Disputed;
        } catch (bytes memory err) {
            _expect(Action.Dispute, expected, err, "dispute");
        }
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
        _applySettlements(ok, expected == bytes4(0) ? 1 : 0);
    }

    /// @dev Claims a random batch of one merchant's settleable bookings, in random order. One claim in four also
    ///      carries a random booking of any status or merchant (possibly one already in the batch): the whole batch
    ///      must then be refused with that booking's error, or a booking could be settled twice or by a stranger.
    function claim(uint256 merchantSeed, uint256 pickSeed) external {
        _begin();
        uint256 m = merchantSeed % 3;
        uint256[] memory candidates = new uint256[](bookingIds.length);
        uint256 count;
        // Walk to a merchant with something to claim, if any, so claims are not starved.
        for (uint256 step; step < 3 && count == 0; ++step) {
            m = (merchantSeed + step) % 3;
            for (uint256 i; i < bookingIds.length; ++i) {
                uint256 id = bookingIds[i];
                if (offerings[bookings[id].offeringIndex].merchantIndex == m && _claimable(id)) {
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
        if (withExtra) {
            batch[size] = bookingIds[(pickSeed >> 32) % bookingIds.length];
            expected = _claimExtraError(batch, size, m);
        }
        uint256 settling = expected == bytes4(0) ? batch.length : 0;
        for (uint256 i; i < settling; ++i) {
            BookingGhost storage b = bookings[batch[i]];
            (IBookings.BookingStatus outcome, uint256 bps) = b.checkedIn
                ? (IBookings.BookingStatus.Fulfilled, 0)
                : (IBookings.BookingStatus.NoShow, uint256(offerings[b.offeringIndex].noShowRefundBps));
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
        _applySettlements(ok, settling);
    }

    /// @dev The error for the booking appended at `index`, after the valid ones before it have settled: the
    ///      escrow checks the merchant, then the status, then the time.
    function _claimExtraError(uint256[] memory batch, uint256 index, uint256 m) internal view returns (bytes4) {
        uint256 id = batch[index];
        BookingGhost storage b = bookings[id];
        if (offerings[b.offeringIndex].merchantIndex != m) return IOfferingRegistry.NotOfferingMerchant.selector;
        for (uint256 i; i < index; ++i) {
            if (batch[i] == id) return IBookings.WrongStatus.selector; // settled earlier in this batch
        }
        bool disputed = b.status == IBookings.BookingStatus.Disputed;
        if (b.status != IBookings.BookingStatus.Booked && !disputed) return IBookings.WrongStatus.selector;
        uint256 settlesAt = _settlesAt(id);
        if (ghostNow < settlesAt) return IBookings.NotYetSettled.selector;
        if (disputed && ghostNow < settlesAt + offerings[b.offeringIndex].arbiterTimeout) {
            return IBookings.DisputeUnresolved.selector;
        }
        return bytes4(0);
    }

    // ------------------------------------------------------------------------------------------------------
    // Credits and fees
    // ------------------------------------------------------------------------------------------------------

    /// @dev An account with a credit withdraws it to itself or, for the ETH-refusing contracts, to another account
    ///      (sometimes back to a refusing one, which must fail and keep the credit).
    function withdraw(uint256 actorSeed, uint256 tokenSeed, uint256 toSeed) external {
        _begin();
        address t = tokenSeed % 2 == 0 ? ETH : address(token);
        // Prefer the token in which someone holds a credit (only ETH pushes are ever refused here).
        if (ghostCreditsTotal[t] == 0 && tokenSeed % 8 != 0) t = t == ETH ? address(token) : ETH;
        address account = actors[actorSeed % actors.length];
        // Prefer an account that has a credit.
        for (uint256 i; i < actors.length && ghostCredits[t][account] == 0; ++i) {
            account = actors[(actorSeed + i) % actors.length];
        }
        address to = account;
        if (toSeed % 4 == 0 || (t == ETH && refusesEth[account])) to = actors[toSeed % actors.length];
        uint256 amount = ghostCredits[t][account];
        bytes4 expected;
        if (amount == 0) expected = IPayouts.NothingToWithdraw.selector;
        else if (t == ETH && refusesEth[to]) expected = IPayouts.TransferFailed.selector;

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

    function withdrawFees(uint256 tokenSeed) external {
        _begin();
        address t = tokenSeed % 2 == 0 ? ETH : address(token);
        uint256 amount = ghostFeesOwed[t];
        bytes4 expected = amount == 0 ? IPayouts.NothingToWithdraw.selector : bytes4(0);
        address recipient = feeRecipients[ghostFeeRecipientIndex];
        // Anyone may trigger it; the fees still go only to the fee recipient.
        vm.prank(stranger);
        try escrow.withdrawFees(t) {
            _expect(Action.WithdrawFees, expected, "", "withdrawFees");
            if (expected == bytes4(0)) {
                ghostFeesOwed[t] = 0;
                expectedWallet[t][recipient] += amount;
                outFee[t] += amount;
            }
        } catch (bytes memory err) {
            _expect(Action.WithdrawFees, expected, err, "withdrawFees");
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Owner
    // ------------------------------------------------------------------------------------------------------

    function setFee(uint256 feeSeed) external {
        _begin();
        // One in eight above the cap, which must be refused.
        uint256 fee = feeSeed % 8 == 0 ? bound(feeSeed >> 8, 1_001, type(uint16).max) : bound(feeSeed >> 8, 0, 1_000);
        bytes4 expected = fee > 1_000 ? IProtocolConfig.FeeTooHigh.selector : bytes4(0);
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
        // Paused one time in four, so the pause is exercised without starving bookings.
        bool paused = seed % 4 == 0;
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
        // Disallowed one time in four, for the same reason.
        bool allowed = seed % 4 != 0;
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

    /// @dev SPEC invariant 5: the owner holds no key to deposits. Every settlement entry point must refuse the
    ///      owner, and nothing may change.
    function ownerTriesToMoveFunds(uint256 bookingSeed) external {
        _begin();
        if (bookingIds.length == 0) return;
        uint256 id = bookingIds[bookingSeed % bookingIds.length];
        bytes32 before = _stateHash();
        uint256[] memory ids = new uint256[](1);
        ids[0] = id;
        uint256 moved;
        vm.startPrank(owner);
        try escrow.cancel(id) {
            ++moved;
        } catch {}
        try escrow.cancelByMerchant(id) {
            ++moved;
        } catch {}
        try escrow.resolve(id, uint16(BPS)) {
            ++moved;
        } catch {}
        try escrow.claim(ids) {
            ++moved;
        } catch {}
        try escrow.withdraw(ETH, owner) {
            ++moved;
        } catch {}
        try escrow.withdraw(address(token), owner) {
            ++moved;
        } catch {}
        vm.stopPrank();
        if (moved != 0) {
            ++adminViolations;
            lastProblem = "the owner settled or withdrew someone else's funds";
        } else {
            ++successes[uint256(Action.OwnerTriesToMoveFunds)];
        }
        _requireUnchanged(before, "owner settlement attempts");
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

    function _skipToDisputableSlot(uint256 seed) internal {
        uint256 n = bookingIds.length;
        for (uint256 i; i < n; ++i) {
            BookingGhost storage b = bookings[bookingIds[(seed + i) % n]];
            if (
                b.status == IBookings.BookingStatus.Booked &&
                offerings[b.offeringIndex].arbiter != address(0) &&
                ghostNow < b.slotStart
            ) {
                ghostNow = b.slotStart + ((seed >> 16) % offerings[b.offeringIndex].slotLength);
                vm.warp(ghostNow);
                return;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Legality predicates (the SPEC's rules, from the model)
    // ------------------------------------------------------------------------------------------------------

    function _cancelError(uint256 id) internal view returns (bytes4) {
        BookingGhost storage b = bookings[id];
        if (b.status != IBookings.BookingStatus.Booked) return IBookings.WrongStatus.selector;
        if (b.checkedIn) return IBookings.AlreadyCheckedIn.selector;
        if (ghostNow >= b.slotStart) return IBookings.CancellationClosed.selector;
        return bytes4(0);
    }

    function _cancelByMerchantError(uint256 id) internal view returns (bytes4) {
        IBookings.BookingStatus s = bookings[id].status;
        if (s != IBookings.BookingStatus.Booked && s != IBookings.BookingStatus.Disputed) {
            return IBookings.WrongStatus.selector;
        }
        return bytes4(0);
    }

    /// @dev A disputed booking can still be checked in (the arbiter's timeout then settles it as fulfilled).
    function _checkInError(uint256 id) internal view returns (bytes4) {
        BookingGhost storage b = bookings[id];
        if (b.status != IBookings.BookingStatus.Booked && b.status != IBookings.BookingStatus.Disputed) {
            return IBookings.WrongStatus.selector;
        }
        if (b.checkedIn) return IBookings.AlreadyCheckedIn.selector;
        uint256 slotEnd = uint256(b.slotStart) + offerings[b.offeringIndex].slotLength;
        if (ghostNow + 1 hours < b.slotStart || ghostNow >= slotEnd) return IBookings.CheckInClosed.selector;
        return bytes4(0);
    }

    function _disputeError(uint256 id) internal view returns (bytes4) {
        BookingGhost storage b = bookings[id];
        OfferingGhost storage o = offerings[b.offeringIndex];
        if (b.status != IBookings.BookingStatus.Booked) return IBookings.WrongStatus.selector;
        if (o.arbiter == address(0)) return IBookings.NoArbiter.selector;
        if (ghostNow < b.slotStart || ghostNow >= _settlesAt(id)) return IBookings.DisputeClosed.selector;
        return bytes4(0);
    }

    function _resolveError(uint256 id) internal view returns (bytes4) {
        BookingGhost storage b = bookings[id];
        OfferingGhost storage o = offerings[b.offeringIndex];
        if (o.arbiter != arbiter) return IBookings.NotArbiter.selector;
        if (b.status != IBookings.BookingStatus.Disputed) return IBookings.WrongStatus.selector;
        if (ghostNow >= _settlesAt(id) + o.arbiterTimeout) return IBookings.ArbiterTimedOut.selector;
        return bytes4(0);
    }

    function _claimable(uint256 id) internal view returns (bool) {
        BookingGhost storage b = bookings[id];
        uint256 settlesAt = _settlesAt(id);
        if (ghostNow < settlesAt) return false;
        if (b.status == IBookings.BookingStatus.Booked) return true;
        return
            b.status == IBookings.BookingStatus.Disputed &&
            ghostNow >= settlesAt + offerings[b.offeringIndex].arbiterTimeout;
    }

    function _settlesAt(uint256 id) internal view returns (uint256) {
        BookingGhost storage b = bookings[id];
        OfferingGhost storage o = offerings[b.offeringIndex];
        return uint256(b.slotStart) + o.slotLength + o.disputeWindow;
    }

    /// @dev The SPEC rule: the first tier whose threshold the notice reaches, else nothing.
    function _policyBps(uint32 offeringId, uint256 secondsBefore) internal view returns (uint256) {
        CancellationPolicy.Tier[] storage tiers = tiersOf[offeringId];
        for (uint256 i; i < tiers.length; ++i) {
            if (secondsBefore >= tiers[i].secondsBeforeStart) return tiers[i].refundBps;
        }
        return 0;
    }

    /// @dev Three picks in four go to a booking for which the action is legal now (if any), the rest to any
    ///      booking, so both the outcomes and the named refusals are exercised.
    function _pick(
        uint256 seed,
        function(uint256) internal view returns (bytes4) errorOf
    ) internal view returns (bool found, uint256 id) {
        uint256 n = bookingIds.length;
        if (n == 0) return (false, 0);
        uint256 start = (seed >> 8) % n;
        if (seed % 4 != 0) {
            for (uint256 i; i < n; ++i) {
                uint256 candidate = bookingIds[(start + i) % n];
                if (errorOf(candidate) == bytes4(0)) return (true, candidate);
            }
        }
        return (true, bookingIds[start]);
    }

    // ------------------------------------------------------------------------------------------------------
    // Settlement bookkeeping
    // ------------------------------------------------------------------------------------------------------

    function _expectSettlement(uint256 id, IBookings.BookingStatus outcome, uint256 bps) internal {
        expectedOutcome[id] = outcome;
        expectedBpsPlusOne[id] = bps + 1;
    }

    /// @dev Reads the `Settled` events of the action just made, checks each against the model (right booking,
    ///      outcome and share, exact split, settled once) and moves the model's money accordingly.
    function _applySettlements(bool callSucceeded, uint256 expectedCount) internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        // Logs of a reverted call are recorded too, but nothing they say happened.
        if (!callSucceeded) return;
        uint256 seen;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(escrow) || logs[i].topics[0] != IBookings.Settled.selector) continue;
            ++seen;
            uint256 id = uint256(logs[i].topics[1]);
            IBookings.BookingStatus outcome = IBookings.BookingStatus(uint8(uint256(logs[i].topics[2])));
            (uint256 bps, uint256 c, uint256 m, uint256 f) = abi.decode(
                logs[i].data,
                (uint256, uint256, uint256, uint256)
            );
            _onSettled(id, outcome, bps, c, m, f);
        }
        if (seen != expectedCount) _mismatch("number of Settled events");
    }

    function _onSettled(
        uint256 id,
        IBookings.BookingStatus outcome,
        uint256 bps,
        uint256 c,
        uint256 m,
        uint256 f
    ) internal {
        BookingGhost storage b = bookings[id];
        OfferingGhost storage o = offerings[b.offeringIndex];
        if (++b.settleCount > 1) {
            ++doubleSettlements;
            lastProblem = "a booking settled twice";
        }
        if (expectedBpsPlusOne[id] == 0 || outcome != expectedOutcome[id] || bps != expectedBpsPlusOne[id] - 1) {
            ++splitViolations;
            lastProblem = "unexpected settlement outcome or refund share";
        }
        expectedBpsPlusOne[id] = 0;
        if (c + m + f != b.amount) {
            ++splitViolations;
            lastProblem = "split does not sum to the amount";
        }
        if (c != (b.amount * bps) / BPS || f != ((b.amount - c) * b.feeBps) / BPS) {
            ++splitViolations;
            lastProblem = "split is not the published rule";
        }
        b.status = outcome;
        b.customerShare = c;
        b.merchantShare = m;
        b.fee = f;
        if (
            outcome == IBookings.BookingStatus.CustomerCancelled ||
            outcome == IBookings.BookingStatus.MerchantCancelled
        ) {
            ghostSeatsHeld[_slotKey(o.id, b.slotStart)] -= b.seats;
        }
        ghostHeld[o.token] -= b.amount;
        ghostFeesOwed[o.token] += f;
        _push(o.token, b.customer, c, true);
        _push(o.token, payouts[o.merchantIndex], m, false);
    }

    /// @dev Where a pushed share lands: the wallet, or a credit when the recipient refuses ETH.
    function _push(address t, address to, uint256 amount, bool toCustomer) internal {
        if (amount == 0) return;
        if (t == ETH && refusesEth[to]) {
            ghostCredits[t][to] += amount;
            ghostCreditsTotal[t] += amount;
            return;
        }
        expectedWallet[t][to] += amount;
        if (toCustomer) outRefund[t] += amount;
        else outPayout[t] += amount;
    }

    // ------------------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------------------

    function _begin() internal {
        vm.warp(ghostNow);
        ++totalCalls;
    }

    /// @dev Compares the escrow's answer with the model's prediction; counts the action as reached when it did what
    ///      the model said it would.
    function _expect(Action action, bytes4 expected, bytes memory err, string memory what) internal {
        bool succeeded = err.length == 0;
        if (expected == bytes4(0)) {
            if (succeeded) ++successes[uint256(action)];
            else _mismatch(string.concat(what, " refused a legal call: ", vm.toString(err)));
            return;
        }
        if (succeeded) {
            _mismatch(string.concat(what, " accepted a call the SPEC forbids"));
        } else if (bytes4(err) != expected) {
            _mismatch(
                string.concat(
                    what,
                    " refused with the wrong error: expected ",
                    vm.toString(abi.encodePacked(expected)),
                    ", got ",
                    vm.toString(err)
                )
            );
        } else {
            ++expectedRefusals[uint256(action)];
        }
    }

    function _mismatch(string memory why) internal {
        ++modelMismatches;
        lastProblem = why;
    }

    /// @dev Everything an admin action must not touch: balances, every booking, credits and fees owed. Credits of
    ///      accounts other than the refusing ones would break the exact balance equation of invariant 1, so the
    ///      hash covers the accounts the model allows credits for.
    function _stateHash() internal view returns (bytes32 h) {
        address[2] memory holders = creditHolders();
        h = keccak256(
            abi.encode(
                address(escrow).balance,
                token.balanceOf(address(escrow)),
                escrow.feesOwed(ETH),
                escrow.feesOwed(address(token)),
                escrow.credits(ETH, holders[0]),
                escrow.credits(ETH, holders[1]),
                escrow.credits(address(token), holders[0]),
                escrow.credits(address(token), holders[1])
            )
        );
        h = keccak256(abi.encode(h, escrow.getBookings(bookingIds)));
    }

    function _requireUnchanged(bytes32 before, string memory what) internal {
        if (_stateHash() != before) {
            ++adminViolations;
            lastProblem = string.concat(what, " changed balances, bookings, credits or fees");
        }
    }

    function _slotKey(uint32 offeringId, uint40 slotStart) internal pure returns (uint256) {
        return (uint256(offeringId) << 40) | slotStart;
    }
}
