// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CancellationPolicy} from "./libraries/CancellationPolicy.sol";
import {Split} from "./libraries/Split.sol";
import {IOfferingRegistry} from "./interfaces/IOfferingRegistry.sol";
import {MerchantRegistry} from "./MerchantRegistry.sol";

/// @title OfferingRegistry
/// @notice Merchants publish offerings whose terms never change once created: only the `active` flag does,
///         and new terms mean a new offering, so every booking is judged by terms that were public when it was made.
/// @dev Runs in `EscrowExtension`. Types, events and errors are declared in `IOfferingRegistry`.
abstract contract OfferingRegistry is MerchantRegistry, IOfferingRegistry {
    /// @inheritdoc IOfferingRegistry
    uint256 public constant MAX_TIERS = 5;
    /// @inheritdoc IOfferingRegistry
    uint32 public constant MAX_SLOT_LENGTH = 30 days;
    /// @inheritdoc IOfferingRegistry
    uint32 public constant MAX_DISPUTE_WINDOW = 30 days;
    /// @inheritdoc IOfferingRegistry
    uint32 public constant MAX_ARBITER_TIMEOUT = 30 days;
    /// @inheritdoc IOfferingRegistry
    uint256 public constant MAX_METADATA_BYTES = 1024;

    /// @inheritdoc IOfferingRegistry
    function createOffering(OfferingTerms calldata terms) external returns (uint32 offeringId) {
        _requireMerchant(msg.sender);
        _validateTerms(terms);

        offeringId = ++_offeringCount;
        Offering storage offering = _offerings[offeringId];
        offering.seatsPerSlot = terms.seatsPerSlot;
        offering.slotLength = terms.slotLength;
        offering.firstSlotStart = terms.firstSlotStart;
        offering.minLeadTime = terms.minLeadTime;
        offering.maxAdvance = terms.maxAdvance;
        offering.disputeWindow = terms.disputeWindow;
        offering.noShowRefundBps = terms.noShowRefundBps;
        offering.active = true;
        offering.maxFeeBps = terms.maxFeeBps;
        offering.checkInRule = terms.checkInRule;
        offering.arbiterTag = uint24(uint160(terms.arbiter));
        offering.token = terms.token;
        offering.depositPerSeat = terms.depositPerSeat;
        offering.merchant = msg.sender;
        offering.arbiterTimeout = terms.arbiterTimeout;
        offering.arbiter = terms.arbiter;
        if (terms.arbiter != address(0)) _arbitersNamed[msg.sender][terms.arbiter] = true;
        for (uint256 i; i < terms.cancellationTiers.length; ++i) {
            offering.cancellationTiers.push(terms.cancellationTiers[i]);
        }
        offering.metadata = terms.metadata;

        emit OfferingCreated(offeringId, msg.sender, terms);
    }

    /// @inheritdoc IOfferingRegistry
    function setOfferingActive(uint32 offeringId, bool active) external {
        Offering storage offering = _offeringOf(offeringId);
        if (offering.merchant != msg.sender) revert NotOfferingMerchant(offeringId, msg.sender);
        offering.active = active;
        emit OfferingActiveSet(offeringId, active);
    }

    /// @inheritdoc IOfferingRegistry
    function getOffering(uint32 offeringId) external view returns (Offering memory) {
        return _offeringOf(offeringId);
    }

    /// @inheritdoc IOfferingRegistry
    function offeringCount() external view returns (uint32) {
        return _offeringCount;
    }

    function _validateTerms(OfferingTerms calldata terms) private view {
        _requireTokenAllowed(terms.token);
        if (terms.depositPerSeat == 0 || terms.seatsPerSlot == 0 || terms.slotLength == 0) {
            revert ZeroTerm(terms.depositPerSeat, terms.seatsPerSlot, terms.slotLength);
        }
        if (terms.slotLength > MAX_SLOT_LENGTH) revert SlotTooLong(terms.slotLength, MAX_SLOT_LENGTH);
        if (
            terms.arbiter != address(0) &&
            (terms.arbiter == msg.sender || terms.arbiter == _merchants[msg.sender].payout)
        ) {
            revert ArbiterNotIndependent(terms.arbiter);
        }
        if (terms.maxAdvance < terms.minLeadTime) revert InvalidBookingWindow(terms.minLeadTime, terms.maxAdvance);
        if (terms.noShowRefundBps > Split.BPS) revert ShareAboveWhole(terms.noShowRefundBps);
        if (terms.disputeWindow > MAX_DISPUTE_WINDOW) {
            revert DisputeWindowTooLong(terms.disputeWindow, MAX_DISPUTE_WINDOW);
        }
        if (terms.arbiter != address(0) && (terms.arbiterTimeout == 0 || terms.arbiterTimeout > MAX_ARBITER_TIMEOUT)) {
            revert InvalidArbiterTimeout(terms.arbiterTimeout, MAX_ARBITER_TIMEOUT);
        }
        if (bytes(terms.metadata).length > MAX_METADATA_BYTES) {
            revert MetadataTooLong(bytes(terms.metadata).length, MAX_METADATA_BYTES);
        }
        _validateTiers(terms.cancellationTiers);
    }

    function _validateTiers(CancellationPolicy.Tier[] calldata tiers) private pure {
        if (tiers.length > MAX_TIERS) revert TooManyTiers(tiers.length, MAX_TIERS);
        for (uint256 i; i < tiers.length; ++i) {
            if (tiers[i].refundBps > Split.BPS) revert ShareAboveWhole(tiers[i].refundBps);
            if (
                i > 0 &&
                (tiers[i].secondsBeforeStart >= tiers[i - 1].secondsBeforeStart ||
                    tiers[i].refundBps > tiers[i - 1].refundBps)
            ) {
                revert TierOutOfOrder(i, tiers[i], tiers[i - 1]);
            }
        }
    }
}
