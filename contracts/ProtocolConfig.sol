// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

/// @title ProtocolConfig
/// @notice What the protocol owner may change: the fee for future bookings (hard-capped), its recipient,
///         the token allow-list, and a pause of new bookings. Nothing here can move an escrowed deposit.
abstract contract ProtocolConfig is Ownable2Step {
    /// @notice The highest protocol fee the owner can ever set, in basis points (10 %).
    uint16 public constant MAX_FEE_BPS = 1_000;

    /// @notice Settings read by every booking, packed into one storage slot.
    struct Config {
        /// @dev Receives the protocol fees.
        address feeRecipient;
        /// @dev Fee on the merchant's share of future bookings, in basis points; snapshotted per booking.
        uint16 feeBps;
        /// @dev When true, new bookings are refused; every other operation still works.
        bool paused;
    }

    /// @dev The protocol settings (one slot).
    Config internal _config;

    /// @notice Whether an ERC-20 token may be used by new offerings and bookings. Native ETH is always allowed.
    mapping(address token => bool allowed) public isTokenAllowed;

    /// @notice The fee for future bookings changed.
    /// @param feeBps The new fee in basis points.
    event FeeSet(uint16 feeBps);

    /// @notice The fee recipient changed.
    /// @param feeRecipient The new recipient.
    event FeeRecipientSet(address indexed feeRecipient);

    /// @notice New bookings were paused or resumed.
    /// @param paused True when new bookings are now refused.
    event PausedSet(bool paused);

    /// @notice A token was added to or removed from the allow-list.
    /// @param token The ERC-20 token.
    /// @param allowed Whether new offerings and bookings may use it.
    event TokenAllowedSet(address indexed token, bool allowed);

    /// @notice The fee asked for is above the hard cap.
    /// @param feeBps The fee asked for.
    /// @param maxFeeBps The cap.
    error FeeTooHigh(uint16 feeBps, uint16 maxFeeBps);

    /// @notice An address that must be set was zero.
    error ZeroAddress();

    /// @notice Value cannot be sent there: the zero address, or the escrow itself (where it would be stranded).
    /// @param recipient The address given.
    error InvalidRecipient(address recipient);

    /// @notice New bookings are paused.
    error BookingsPaused();

    /// @notice Ownership cannot be renounced: a paused protocol would stay paused for ever.
    error RenounceDisabled();

    /// @notice The token is not on the allow-list.
    /// @param token The token.
    error TokenNotAllowed(address token);

    /// @notice Sets the owner and the first fee settings.
    /// @param initialOwner The protocol owner (two-step transferable).
    /// @param feeRecipient The first fee recipient.
    /// @param feeBps The first fee, at most `MAX_FEE_BPS`.
    constructor(address initialOwner, address feeRecipient, uint16 feeBps) Ownable(initialOwner) {
        _setFeeRecipient(feeRecipient);
        _setFee(feeBps);
    }

    /// @notice Sets the fee for bookings made from now on; existing bookings keep their snapshot.
    /// @param feeBps The fee in basis points, at most `MAX_FEE_BPS`.
    function setFee(uint16 feeBps) external onlyOwner {
        _setFee(feeBps);
    }

    /// @notice Sets who receives protocol fees, including fees already owed.
    /// @param feeRecipient The new recipient, neither zero nor the escrow.
    function setFeeRecipient(address feeRecipient) external onlyOwner {
        _setFeeRecipient(feeRecipient);
    }

    /// @notice Pauses or resumes new bookings. Cancel, check-in, dispute, resolve, claim and withdraw always work.
    /// @param paused True to refuse new bookings.
    function setPaused(bool paused) external onlyOwner {
        _config.paused = paused;
        emit PausedSet(paused);
    }

    /// @notice Adds an ERC-20 token to, or removes it from, the allow-list. Bookings already made are unaffected.
    /// @param token The token, not the zero address (native ETH is always allowed).
    /// @param allowed Whether new offerings and bookings may use it.
    function setTokenAllowed(address token, bool allowed) external onlyOwner {
        if (token == address(0)) revert ZeroAddress();
        isTokenAllowed[token] = allowed;
        emit TokenAllowedSet(token, allowed);
    }

    /// @notice Always reverts: ownership can be handed over (two steps) but not given up.
    function renounceOwnership() public view override onlyOwner {
        revert RenounceDisabled();
    }

    /// @notice The current protocol settings.
    /// @return The fee recipient, the fee for new bookings and the pause flag.
    function config() external view returns (Config memory) {
        return _config;
    }

    /// @dev Reverts when value sent to `recipient` would be lost.
    function _requireRecipient(address recipient) internal view {
        if (recipient == address(0) || recipient == address(this)) revert InvalidRecipient(recipient);
    }

    /// @dev Reverts unless `token` is native ETH or allow-listed.
    function _requireTokenAllowed(address token) internal view {
        if (token != address(0) && !isTokenAllowed[token]) revert TokenNotAllowed(token);
    }

    function _setFee(uint16 feeBps) private {
        if (feeBps > MAX_FEE_BPS) revert FeeTooHigh(feeBps, MAX_FEE_BPS);
        _config.feeBps = feeBps;
        emit FeeSet(feeBps);
    }

    function _setFeeRecipient(address feeRecipient) private {
        _requireRecipient(feeRecipient);
        _config.feeRecipient = feeRecipient;
        emit FeeRecipientSet(feeRecipient);
    }
}
