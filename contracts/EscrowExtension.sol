// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EscrowState} from "./EscrowState.sol";
import {EscrowViews} from "./EscrowViews.sol";
import {OfferingRegistry} from "./OfferingRegistry.sol";
import {ProtocolConfig} from "./ProtocolConfig.sol";
import {Staff} from "./Staff.sol";

/// @title EscrowExtension
/// @notice The escrow's rarely used entry points: merchant and offering registries, staff roles, the owner's
///         configuration and the views. `EarnestEscrow` creates one in its constructor and runs it by delegatecall
///         from its fallback, in the escrow's own storage, so that the escrow's hot path keeps room to grow within
///         the code-size limit. Its address is immutable in the escrow: nothing can replace it.
/// @dev Declares no storage beyond `EscrowState`, inherited first, as in `EarnestEscrow`. Called directly rather
///      than through the escrow, it only reads and writes its own empty storage, and its owner-only functions
///      revert.
contract EscrowExtension is EscrowState, ProtocolConfig, OfferingRegistry, Staff, EscrowViews {}
