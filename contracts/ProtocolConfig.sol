// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ProtocolFee} from "./libraries/ProtocolFee.sol";
import {IProtocolConfig} from "./interfaces/IProtocolConfig.sol";
import {EscrowState} from "./EscrowState.sol";

/// @title ProtocolConfig
/// @notice What the protocol owner may change: the fee for future bookings (hard-capped), its recipient,
///         the token allow-list, and a pause of new bookings. Nothing here can move an escrowed deposit.
/// @dev Runs in `EscrowExtension`. The owner is `EarnestEscrow`'s (OpenZeppelin `Ownable2Step`), read by a call to
///      the escrow: called directly rather than through the escrow, the extension has no owner and refuses.
///      Types, events and errors are declared in `IProtocolConfig`.
abstract contract ProtocolConfig is EscrowState, IProtocolConfig {
    /// @inheritdoc IProtocolConfig
    uint16 public constant MAX_FEE_BPS = ProtocolFee.MAX_FEE_BPS;

    /// @dev Reverts unless the caller is the escrow's owner.
    modifier onlyOwner() {
        if (msg.sender != Ownable(address(this)).owner()) revert Ownable.OwnableUnauthorizedAccount(msg.sender);
        _;
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
        _tokenAllowed[token] = allowed;
        emit TokenAllowedSet(token, allowed);
    }

    /// @inheritdoc IProtocolConfig
    function config() external view returns (Config memory) {
        return _config;
    }

    /// @inheritdoc IProtocolConfig
    function isTokenAllowed(address token) external view returns (bool) {
        return _tokenAllowed[token];
    }
}
