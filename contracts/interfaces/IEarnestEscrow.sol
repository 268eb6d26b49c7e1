// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {IBookings} from "./IBookings.sol";
import {ICoupons} from "./ICoupons.sol";
import {IEscrowViews} from "./IEscrowViews.sol";
import {IMerchantRegistry} from "./IMerchantRegistry.sol";
import {IOfferingRegistry} from "./IOfferingRegistry.sol";
import {IPayouts} from "./IPayouts.sol";
import {IProtocolConfig} from "./IProtocolConfig.sol";
import {ISignedBookings} from "./ISignedBookings.sol";
import {IStaff} from "./IStaff.sol";

/// @title IEarnestEscrow
/// @notice Holds reservation deposits and settles each one by its offering's published rules: cancellation
///         tiers, check-in, no-show, disputes with an optional arbiter. Anyone settles a booking once it can settle;
///         merchants claim settled bookings in batches and work through staff. The owner can pause new bookings and
///         set a capped fee for future ones; no role can move a deposit outside these rules. There is no proxy and
///         no upgrade path.
/// @dev The whole surface at the escrow's address, for integrators (the sdk's ABI is this interface's): the hot path
///      that `EarnestEscrow` runs itself (`IBookings`, `ISignedBookings`, `ICoupons`, `IPayouts`, OpenZeppelin's
///      `Ownable2Step` and EIP-5267, and the errors of the OpenZeppelin code it runs), and what its fallback runs in
///      `EscrowExtension` (`IProtocolConfig`, `IMerchantRegistry`, `IOfferingRegistry`, `IStaff`, `IEscrowViews`).
///      A test checks that the two contracts answer exactly this.
interface IEarnestEscrow is
    IBookings,
    ISignedBookings,
    ICoupons,
    IPayouts,
    IProtocolConfig,
    IMerchantRegistry,
    IOfferingRegistry,
    IStaff,
    IEscrowViews,
    IERC5267
{
    /// @notice Ownership handover started (OpenZeppelin `Ownable2Step`).
    /// @param previousOwner The owner.
    /// @param newOwner Who may accept.
    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);

    /// @notice Ownership changed (OpenZeppelin `Ownable`).
    /// @param previousOwner The old owner.
    /// @param newOwner The new owner.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// @notice Only the owner (or, for `acceptOwnership`, the pending owner) may do this.
    /// @param account The caller.
    error OwnableUnauthorizedAccount(address account);

    /// @notice The owner cannot be the zero address.
    /// @param owner The address given.
    error OwnableInvalidOwner(address owner);

    /// @notice A call re-entered the escrow while it was paying out (OpenZeppelin `ReentrancyGuardTransient`).
    error ReentrancyGuardReentrantCall();

    /// @notice A token's `transferFrom` failed or returned false while a booking was being paid (OpenZeppelin
    ///         `SafeERC20`).
    /// @param token The token.
    error SafeERC20FailedOperation(address token);

    /// @notice EIP-712 name or version too long to be kept short (OpenZeppelin `ShortStrings`); deployment only.
    /// @param str The string.
    error StringTooLong(string str);

    /// @notice A short string was malformed (OpenZeppelin `ShortStrings`); deployment only.
    error InvalidShortString();

    /// @notice The protocol owner.
    /// @return The owner.
    function owner() external view returns (address);

    /// @notice Who may accept ownership, if a handover is under way.
    /// @return The pending owner (zero: none).
    function pendingOwner() external view returns (address);

    /// @notice Starts handing ownership to `newOwner`, who must accept.
    /// @param newOwner The next owner.
    function transferOwnership(address newOwner) external;

    /// @notice The pending owner accepts ownership.
    function acceptOwnership() external;

    /// @notice Always reverts with `RenounceDisabled`: a paused protocol would stay paused for ever.
    function renounceOwnership() external view;
}
