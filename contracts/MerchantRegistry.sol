// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IMerchantRegistry} from "./interfaces/IMerchantRegistry.sol";
import {EscrowState} from "./EscrowState.sol";

/// @title MerchantRegistry
/// @notice Merchants register themselves with a payout address and a display name.
/// @dev A merchant is identified by the address that registered (an EOA or a contract account such as a Safe); the
///      payout address may differ and may change. Runs in `EscrowExtension`. Types, events and errors are declared
///      in `IMerchantRegistry`.
abstract contract MerchantRegistry is EscrowState, IMerchantRegistry {
    /// @inheritdoc IMerchantRegistry
    uint256 public constant MAX_NAME_BYTES = 64;

    /// @inheritdoc IMerchantRegistry
    function registerMerchant(address payout, string calldata name) external {
        if (_merchants[msg.sender].payout != address(0)) revert MerchantAlreadyRegistered(msg.sender);
        _setMerchant(payout, name);
        emit MerchantRegistered(msg.sender, payout, name);
    }

    /// @inheritdoc IMerchantRegistry
    function updateMerchant(address payout, string calldata name) external {
        _requireMerchant(msg.sender);
        _setMerchant(payout, name);
        emit MerchantUpdated(msg.sender, payout, name);
    }

    /// @inheritdoc IMerchantRegistry
    function getMerchant(address merchant) external view returns (Merchant memory) {
        return _merchants[merchant];
    }

    /// @dev Reverts unless `account` is a registered merchant.
    function _requireMerchant(address account) internal view {
        if (_merchants[account].payout == address(0)) revert MerchantNotRegistered(account);
    }

    function _setMerchant(address payout, string calldata name) private {
        if (payout == address(0) || payout == address(this)) revert InvalidPayout(payout);
        if (_arbitersNamed[msg.sender][payout]) revert PayoutIsArbiter(payout);
        uint256 length = bytes(name).length;
        if (length == 0 || length > MAX_NAME_BYTES) revert InvalidName(length, MAX_NAME_BYTES);
        _merchants[msg.sender] = Merchant({payout: payout, name: name});
    }
}
