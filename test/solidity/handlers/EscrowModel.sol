// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EarnestEscrow} from "../../../contracts/EarnestEscrow.sol";
import {IBookings} from "../../../contracts/interfaces/IBookings.sol";
import {ICoupons} from "../../../contracts/interfaces/ICoupons.sol";
import {IEarnestEscrow} from "../../../contracts/interfaces/IEarnestEscrow.sol";
import {CancellationPolicy} from "../../../contracts/libraries/CancellationPolicy.sol";
import {RevertingReceiver} from "../../../contracts/mocks/RevertingReceiver.sol";
import {InvariantToken} from "../utils/InvariantToken.sol";
import {InvariantWallet} from "../utils/InvariantWallet.sol";
import {TestBase, Vm} from "../utils/Vm.sol";

/// @dev Number of `EscrowModel.Action`s; sizes the call summary.
uint256 constant ACTION_COUNT = 30;

/// @title EscrowModel
/// @notice The invariant campaign's world (actors, escrow, token) and its independent model of the SPEC: where every
///         wei should be, what each booking's status is, and which named error each action must meet. The model is
///         written from the SPEC, not read back from the escrow, so the invariants compare two independent accounts
///         of the same history. `EscrowHandler` drives the actions on top of it.
/// @dev A reverting handler call would be silently discarded by the campaign, so nothing here reverts on the escrow's
///      account: disagreements are counted in problem counters that the invariants read.
abstract contract EscrowModel is TestBase {
    address internal constant ETH = address(0);
    uint256 internal constant BPS = 10_000;
    // The SPEC's bounds, restated (not read from the escrow).
    uint16 internal constant MAX_FEE_BPS = 1_000;
    uint32 internal constant MAX_SLOT_LENGTH = 30 days;
    uint256 internal constant CHECK_IN_OPENS_BEFORE_START = 1 hours;
    uint256 internal constant MAX_DISPUTE_REASON_BYTES = 280;
    uint8 internal constant STAFF_CHECK_IN = 1;
    uint8 internal constant STAFF_CANCEL = 2;
    uint8 internal constant STAFF_COUPONS = 4;
    /// @dev Receive hooks dearer than the escrow's bounded pushes (50,000 gas for ETH, 100,000 for tokens) and
    ///      cheaper ones: the first must end as credits, the second must still be paid.
    uint256 internal constant DEAR_ETH_HOOK = 60_000;
    uint256 internal constant DEAR_TOKEN_HOOK = 120_000;
    uint256 internal constant CHEAP_ETH_HOOK = 20_000;
    uint256 internal constant CHEAP_TOKEN_HOOK = 50_000;

    // ------------------------------------------------------------------------------------------------------
    // The world
    // ------------------------------------------------------------------------------------------------------

    IEarnestEscrow public escrow;
    InvariantToken public token;

    address public owner;
    /// @dev The second refuses ETH and its token hook is too dear: fee withdrawals to it become credits.
    address[2] public feeRecipients;
    uint256[3] internal merchantKeys;
    address[3] public merchants;
    /// @dev The second refuses ETH and is blocked by the token; the third is a contract whose hooks are cheap enough.
    address[3] public payouts;
    bool[3] public registered;
    /// @dev Whether the merchant named the arbiter in one of its offerings (which keeps it from becoming its payout).
    bool[3] public namedArbiter;
    /// @dev The last customer is a contract wallet (ERC-1271) whose receive hooks are too dear for a push.
    address[5] public customers;
    address public arbiter;
    /// @dev Sends unsolicited funds and settles other people's bookings; never a recipient of anything.
    address public stranger;
    /// @dev Staff addresses; each merchant grants them roles of its own.
    address[3] public staff;
    /// @dev Everyone whose balance the model tracks.
    address[] public actors;
    /// @dev The key whose signature counts as the account's (for the contract wallet: its signer's).
    mapping(address account => uint256 key) internal signingKey;
    /// @dev Staff index plus one, zero for other addresses.
    mapping(address account => uint256 indexPlusOne) internal staffIndexPlusOne;

    /// @dev How an account takes a push of a token (zero address: ETH).
    enum Refusal {
        None,
        /// @dev The transfer reverts: pushes become credits and withdrawals to it fail.
        Reverts,
        /// @dev The receive hook needs more gas than a push carries: pushes become credits, withdrawals (all gas) arrive.
        TooDear
    }

    mapping(address token => mapping(address account => Refusal refusal)) public refusal;

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
        bool customerSignatureOnly;
        uint16 maxFeeBps;
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
        /// @dev Whether `signature` is the `coupon.signer`'s.
        bool signedBySigner;
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

    /// @dev Staff roles granted, by merchant index and staff index.
    uint8[3][3] internal ghostRoles;

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
    uint256 public staffViolations;
    string public lastProblem;

    /// @dev Per-call expectations for the `Settled` events of the action in flight.
    mapping(uint256 bookingId => uint256 plusOne) internal expectedBpsPlusOne;
    mapping(uint256 bookingId => IBookings.BookingStatus outcome) internal expectedOutcome;

    // ------------------------------------------------------------------------------------------------------
    // Call summary
    // ------------------------------------------------------------------------------------------------------

    enum Action {
        RegisterMerchant,
        UpdateMerchant,
        CreateOffering,
        SetOfferingActive,
        SetStaffRoles,
        Book,
        BookWithCoupon,
        Cancel,
        CancelByMerchant,
        StaffCancel,
        CheckIn,
        StaffCheckIn,
        CheckInWithSignature,
        StaffCheckInWithSignature,
        Dispute,
        Resolve,
        Settle,
        Claim,
        StaffClaim,
        StaffTriesMerchantActions,
        Withdraw,
        WithdrawFees,
        SetFee,
        SetPaused,
        SetTokenAllowed,
        SetFeeRecipient,
        Warp,
        Unsolicited,
        OwnerTriesToMoveFunds,
        BookWithSignature
    }

    /// @dev Calls that did what the action is for (an accepted booking, a settled claim, ...).
    uint256[ACTION_COUNT] public successes;
    /// @dev Calls whose predicted refusal the escrow confirmed (exercising the named errors).
    uint256[ACTION_COUNT] public expectedRefusals;
    uint256 public totalCalls;

    // ------------------------------------------------------------------------------------------------------
    // Setup
    // ------------------------------------------------------------------------------------------------------

    constructor() {
        ghostNow = block.timestamp;
        token = new InvariantToken();
        vm.label(address(token), "iUSD");
        owner = _actor(0xA11CE, "owner");
        feeRecipients[0] = _actor(0xFEE1, "feeRecipient0");
        feeRecipients[1] = _refusingContract("feeRecipient1 (refuses ETH, dear token hook)");
        _setRefusal(ETH, feeRecipients[1], Refusal.Reverts);
        _setRefusal(address(token), feeRecipients[1], Refusal.TooDear);
        for (uint256 i; i < 3; ++i) {
            merchantKeys[i] = 0x3E7C00 + i;
            merchants[i] = _actor(merchantKeys[i], "merchant");
        }
        payouts[0] = _actor(0x9A100, "payout0");
        payouts[1] = _refusingContract("payout1 (refuses ETH, token-blocked)");
        _setRefusal(ETH, payouts[1], Refusal.Reverts);
        _setRefusal(address(token), payouts[1], Refusal.Reverts);
        payouts[2] = address(new InvariantWallet(vm.addr(0x9A102), CHEAP_ETH_HOOK));
        _track(payouts[2], "payout2 (contract, cheap hooks)");
        token.setHookGas(payouts[2], CHEAP_TOKEN_HOOK);
        for (uint256 i; i < 4; ++i) customers[i] = _actor(0xC05700 + i, "customer");
        customers[4] = address(new InvariantWallet(vm.addr(0xC05704), DEAR_ETH_HOOK));
        _track(customers[4], "customer4 (ERC-1271 wallet, dear hooks)");
        signingKey[customers[4]] = 0xC05704;
        _setRefusal(ETH, customers[4], Refusal.TooDear);
        _setRefusal(address(token), customers[4], Refusal.TooDear);
        arbiter = _actor(0xA7B1, "arbiter");
        stranger = _actor(0x57A, "stranger");
        for (uint256 i; i < 3; ++i) {
            staff[i] = _actor(0x57AF00 + i, "staff");
            staffIndexPlusOne[staff[i]] = i + 1;
        }

        ghostFeeBps = 250;
        escrow = IEarnestEscrow(address(new EarnestEscrow(owner, feeRecipients[0], ghostFeeBps)));
        vm.label(address(escrow), "escrow");
        vm.prank(owner);
        escrow.setTokenAllowed(address(token), true);
        ghostTokenAllowed = true;
    }

    function _actor(uint256 key, string memory name) internal returns (address a) {
        a = vm.addr(key);
        signingKey[a] = key;
        _track(a, name);
    }

    function _refusingContract(string memory name) internal returns (address a) {
        a = address(new RevertingReceiver());
        _track(a, name);
    }

    function _track(address a, string memory name) internal {
        actors.push(a);
        vm.label(a, name);
    }

    function _setRefusal(address t, address account, Refusal r) internal {
        refusal[t][account] = r;
        if (t == ETH) return;
        if (r == Refusal.Reverts) token.setBlocked(account, true);
        else if (r == Refusal.TooDear) token.setHookGas(account, DEAR_TOKEN_HOOK);
    }

    // ------------------------------------------------------------------------------------------------------
    // Views for the invariants
    // ------------------------------------------------------------------------------------------------------

    // Batched: the invariants run after every call, and each external call costs the campaign time, so the model is
    // handed over in a few calls rather than one per booking or account.

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
        uint256 staffViolations;
        string lastProblem;
    }

    function bookingCount() external view returns (uint256) {
        return bookingIds.length;
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
                staffViolations: staffViolations,
                lastProblem: lastProblem
            });
    }

    /// @dev The only accounts the model lets hold credits: those that refuse a push in some token.
    function creditHolders() public view returns (address[3] memory) {
        return [customers[4], payouts[1], feeRecipients[1]];
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

    function summary()
        external
        view
        returns (uint256[ACTION_COUNT] memory succeeded, uint256[ACTION_COUNT] memory refused, uint256 calls)
    {
        return (successes, expectedRefusals, totalCalls);
    }

    function tokens() public view returns (address[2] memory list) {
        list[0] = ETH;
        list[1] = address(token);
    }

    // ------------------------------------------------------------------------------------------------------
    // Legality predicates (the SPEC's rules, from the model; each returns the escrow's first error, or none)
    // ------------------------------------------------------------------------------------------------------

    function _isOpen(BookingGhost storage b) internal view returns (bool) {
        return b.status == IBookings.BookingStatus.Booked || b.status == IBookings.BookingStatus.Disputed;
    }

    function _cancelError(uint256 id) internal view returns (bytes4) {
        BookingGhost storage b = bookings[id];
        if (b.status != IBookings.BookingStatus.Booked) return IBookings.WrongStatus.selector;
        // Only a signed check-in can happen before the start: the customer chose to give up cancelling.
        if (b.checkedIn) return IBookings.AlreadyCheckedIn.selector;
        if (ghostNow >= b.slotStart) return IBookings.CancellationClosed.selector;
        return bytes4(0);
    }

    /// @dev For the merchant, or staff holding the cancel role.
    function _cancelByMerchantError(uint256 id) internal view returns (bytes4) {
        return _isOpen(bookings[id]) ? bytes4(0) : IBookings.WrongStatus.selector;
    }

    /// @dev The merchant's word (merchant, or staff holding the check-in role): only during the slot, never on a
    ///      disputed booking (check-in is frozen by the dispute), never where only the customer's signature counts.
    function _checkInError(uint256 id) internal view returns (bytes4) {
        BookingGhost storage b = bookings[id];
        if (b.status != IBookings.BookingStatus.Booked) return IBookings.WrongStatus.selector;
        if (offerings[b.offeringIndex].customerSignatureOnly) return IBookings.CustomerSignatureRequired.selector;
        if (b.checkedIn) return IBookings.AlreadyCheckedIn.selector;
        if (ghostNow < b.slotStart || ghostNow >= _slotEnd(id)) return IBookings.CheckInClosed.selector;
        return bytes4(0);
    }

    /// @dev The customer's signed check-in, with a valid signature: from an hour before the slot until it ends.
    function _signedCheckInError(uint256 id) internal view returns (bytes4) {
        return _signedCheckInErrorFor(id, true);
    }

    function _signedCheckInErrorFor(uint256 id, bool validSignature) internal view returns (bytes4) {
        BookingGhost storage b = bookings[id];
        if (b.status != IBookings.BookingStatus.Booked) return IBookings.WrongStatus.selector;
        if (!validSignature) return IBookings.InvalidCheckInSignature.selector;
        if (b.checkedIn) return IBookings.AlreadyCheckedIn.selector;
        if (ghostNow + CHECK_IN_OPENS_BEFORE_START < b.slotStart || ghostNow >= _slotEnd(id)) {
            return IBookings.CheckInClosed.selector;
        }
        return bytes4(0);
    }

    /// @dev With a reason of acceptable length.
    function _disputeError(uint256 id) internal view returns (bytes4) {
        return _disputeErrorFor(id, 0);
    }

    function _disputeErrorFor(uint256 id, uint256 reasonLength) internal view returns (bytes4) {
        BookingGhost storage b = bookings[id];
        if (b.status != IBookings.BookingStatus.Booked) return IBookings.WrongStatus.selector;
        if (offerings[b.offeringIndex].arbiter == address(0)) return IBookings.NoArbiter.selector;
        if (ghostNow < b.slotStart || ghostNow >= _settlesAt(id)) return IBookings.DisputeClosed.selector;
        if (reasonLength > MAX_DISPUTE_REASON_BYTES) return IBookings.DisputeReasonTooLong.selector;
        return bytes4(0);
    }

    function _resolveError(uint256 id) internal view returns (bytes4) {
        BookingGhost storage b = bookings[id];
        if (offerings[b.offeringIndex].arbiter != arbiter) return IBookings.NotArbiter.selector;
        if (b.status != IBookings.BookingStatus.Disputed) return IBookings.WrongStatus.selector;
        if (ghostNow >= _rulingDeadline(id)) return IBookings.ArbiterTimedOut.selector;
        return bytes4(0);
    }

    /// @dev For anyone: once the slot and its dispute window have passed (and, if disputed, the arbiter's time).
    function _settleError(uint256 id) internal view returns (bytes4) {
        BookingGhost storage b = bookings[id];
        if (!_isOpen(b)) return IBookings.WrongStatus.selector;
        if (ghostNow < _settlesAt(id)) return IBookings.NotYetSettled.selector;
        if (b.status == IBookings.BookingStatus.Disputed && ghostNow < _rulingDeadline(id)) {
            return IBookings.DisputeUnresolved.selector;
        }
        return bytes4(0);
    }

    /// @dev The outcome of a booking that settles by time (settle, claim, arbiter timeout): by its check-in state,
    ///      which a dispute freezes.
    function _timeOutcome(uint256 id) internal view returns (IBookings.BookingStatus outcome, uint256 bps) {
        BookingGhost storage b = bookings[id];
        return
            b.checkedIn
                ? (IBookings.BookingStatus.Fulfilled, 0)
                : (IBookings.BookingStatus.NoShow, uint256(offerings[b.offeringIndex].noShowRefundBps));
    }

    function _slotEnd(uint256 id) internal view returns (uint256) {
        return uint256(bookings[id].slotStart) + offerings[bookings[id].offeringIndex].slotLength;
    }

    function _settlesAt(uint256 id) internal view returns (uint256) {
        return _slotEnd(id) + offerings[bookings[id].offeringIndex].disputeWindow;
    }

    function _rulingDeadline(uint256 id) internal view returns (uint256) {
        return _settlesAt(id) + offerings[bookings[id].offeringIndex].arbiterTimeout;
    }

    /// @dev The SPEC rule: the first tier whose threshold the notice reaches, else nothing.
    function _policyBps(uint32 offeringId, uint256 secondsBefore) internal view returns (uint256) {
        CancellationPolicy.Tier[] storage tiers = tiersOf[offeringId];
        for (uint256 i; i < tiers.length; ++i) {
            if (secondsBefore >= tiers[i].secondsBeforeStart) return tiers[i].refundBps;
        }
        return 0;
    }

    /// @dev The SPEC's split: the customer's share rounds down, the fee is taken from the merchant's gross only.
    function _split(
        uint256 amount,
        uint256 bps,
        uint256 feeBps
    ) internal pure returns (uint256 c, uint256 m, uint256 f) {
        c = (amount * bps) / BPS;
        f = ((amount - c) * feeBps) / BPS;
        m = amount - c - f;
    }

    function _pushRefused(address t, address to) internal view returns (bool) {
        return refusal[t][to] != Refusal.None;
    }

    function _anyLegal(function(uint256) internal view returns (bytes4) errorOf) internal view returns (bool) {
        for (uint256 i; i < bookingIds.length; ++i) if (errorOf(bookingIds[i]) == bytes4(0)) return true;
        return false;
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

    /// @dev Reads the events of the action just made: each `Settled` is checked against the model (right booking,
    ///      outcome and share, exact split, settled once) and moves the model's money; the `Claimed` totals (claims
    ///      and `settle` only) must be the merchant shares settled, paid to the merchant's payout address.
    function _applySettlements(bool callSucceeded, uint256 expectedCount, bool claims) internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        // Logs of a reverted call are recorded too, but nothing they say happened.
        if (!callSucceeded) return;
        uint256 seen;
        uint256 merchantShares;
        uint256 claimed;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(escrow)) continue;
            bytes32 topic = logs[i].topics[0];
            if (topic == IBookings.Settled.selector) {
                ++seen;
                uint256 id = uint256(logs[i].topics[1]);
                IBookings.BookingStatus outcome = IBookings.BookingStatus(uint8(uint256(logs[i].topics[2])));
                (uint256 bps, uint256 c, uint256 m, uint256 f) = abi.decode(
                    logs[i].data,
                    (uint256, uint256, uint256, uint256)
                );
                merchantShares += m;
                _onSettled(id, outcome, bps, c, m, f);
            } else if (topic == IBookings.Claimed.selector) {
                claimed += abi.decode(logs[i].data, (uint256));
                uint256 mi = _merchantIndex(address(uint160(uint256(logs[i].topics[1]))));
                if (mi == 3 || address(uint160(uint256(logs[i].topics[3]))) != payouts[mi]) {
                    _mismatch("Claimed names the wrong merchant or payout");
                }
            }
        }
        if (seen != expectedCount) _mismatch("number of Settled events");
        if (claims ? claimed != merchantShares : claimed != 0) _mismatch("Claimed totals != merchant shares settled");
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
        (uint256 ec, uint256 em, uint256 ef) = _split(b.amount, bps, b.feeBps);
        if (c != ec || m != em || f != ef) {
            ++splitViolations;
            lastProblem = "split is not the published rule";
        }
        b.status = outcome;
        b.customerShare = c;
        b.merchantShare = m;
        b.fee = f;
        if (
            outcome == IBookings.BookingStatus.CustomerCancelled || outcome == IBookings.BookingStatus.MerchantCancelled
        ) {
            ghostSeatsHeld[_slotKey(o.id, b.slotStart)] -= b.seats;
        }
        ghostHeld[o.token] -= b.amount;
        ghostFeesOwed[o.token] += f;
        _push(o.token, b.customer, c, true);
        _push(o.token, payouts[o.merchantIndex], m, false);
    }

    /// @dev Where a pushed share lands: the wallet, or a credit when the recipient refuses the push.
    function _push(address t, address to, uint256 amount, bool toCustomer) internal {
        if (amount == 0) return;
        if (_pushRefused(t, to)) {
            _credit(t, to, amount);
            return;
        }
        expectedWallet[t][to] += amount;
        if (toCustomer) outRefund[t] += amount;
        else outPayout[t] += amount;
    }

    function _credit(address t, address to, uint256 amount) internal {
        ghostCredits[t][to] += amount;
        ghostCreditsTotal[t] += amount;
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
        address[3] memory holders = creditHolders();
        address t = address(token);
        h = keccak256(
            abi.encode(
                address(escrow).balance,
                token.balanceOf(address(escrow)),
                escrow.feesOwed(ETH),
                escrow.feesOwed(t),
                [escrow.credits(ETH, holders[0]), escrow.credits(ETH, holders[1]), escrow.credits(ETH, holders[2])],
                [escrow.credits(t, holders[0]), escrow.credits(t, holders[1]), escrow.credits(t, holders[2])]
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

    /// @dev Every tracked account's wallet and credits in both tokens, and the fees owed: what a staff action must not
    ///      raise for anyone but the booking's customer (SPEC invariant 7).
    function _fundsSnapshot() internal view returns (uint256[] memory snap) {
        uint256 n = actors.length;
        snap = new uint256[](4 * n + 2);
        for (uint256 i; i < n; ++i) {
            address a = actors[i];
            snap[4 * i] = a.balance;
            snap[4 * i + 1] = token.balanceOf(a);
            snap[4 * i + 2] = escrow.credits(ETH, a);
            snap[4 * i + 3] = escrow.credits(address(token), a);
        }
        snap[4 * n] = escrow.feesOwed(ETH);
        snap[4 * n + 1] = escrow.feesOwed(address(token));
    }

    /// @dev SPEC invariant 7: after a staff call, nobody but `customer` (zero: nobody) holds more than before.
    function _requireOnlyCustomerGained(uint256[] memory before, address customer, string memory what) internal {
        uint256[] memory now_ = _fundsSnapshot();
        for (uint256 i; i < now_.length; ++i) {
            if (now_[i] <= before[i]) continue;
            if (i / 4 < actors.length && actors[i / 4] == customer) continue;
            ++staffViolations;
            lastProblem = string.concat(what, " by staff sent funds to someone other than the booking's customer");
            return;
        }
    }

    function _merchantIndex(address a) internal view returns (uint256) {
        for (uint256 i; i < 3; ++i) if (merchants[i] == a) return i;
        return 3;
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _slotKey(uint32 offeringId, uint40 slotStart) internal pure returns (uint256) {
        return (uint256(offeringId) << 40) | slotStart;
    }
}
