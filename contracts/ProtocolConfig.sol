// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IProtocolConfig} from "./interfaces/IProtocolConfig.sol";

/// @title ProtocolConfig
/// @notice What the protocol owner may change: the fee for future bookings (hard-capped), its recipient,
///         the token allow-list, and a pause of new bookings. Nothing here can move an escrowed deposit.
/// @dev Types, events and errors are declared in `IProtocolConfig`.
abstract contract ProtocolConfig is Ownable2Step, IProtocolConfig {
    /// @inheritdoc IProtocolConfig
    uint16 public constant MAX_FEE_BPS = 1_000;

    /// @dev The protocol settings (one slot).
    Config internal _config;

    /// @inheritdoc IProtocolConfig
    mapping(address token => bool allowed) public isTokenAllowed;

    /// @notice Sets the owner and the first fee settings.
    /// @param initialOwner The protocol owner (two-step transferable).
    /// @param feeRecipient The first fee recipient.
    /// @param feeBps The first fee, at most `MAX_FEE_BPS`.
    constructor(address initialOwner, address feeRecipient, uint16 feeBps) Ownable(initialOwner) {
        _setFeeRecipient(feeRecipient);
        _setFee(feeBps);
    }

    /// @inheritdoc IProtocolConfig
    function setFee(uint16 feeBps) external onlyOwner {
        _setFee(feeBps);
    }

    /// @inheritdoc IProtocolConfig
    function setFeeRecipient(address feeRecipient) external onlyOwner {
        _setFeeRecipient(feeRecipient);
    }

    /// @inheritdoc IProtocolConfig
    function setPaused(bool paused) external onlyOwner {
        _config.paused = paused;
        emit PausedSet(paused);
    }

    /// @inheritdoc IProtocolConfig
    function setTokenAllowed(address token, bool allowed) external onlyOwner {
        if (token == address(0)) revert ZeroAddress();
        isTokenAllowed[token] = allowed;
        emit TokenAllowedSet(token, allowed);
    }

    /// @notice Always reverts: ownership can be handed over (two steps) but not given up.
    function renounceOwnership() public view override onlyOwner {
        revert RenounceDisabled();
    }

    /// @inheritdoc IProtocolConfig
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
