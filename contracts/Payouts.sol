// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IPayouts} from "./interfaces/IPayouts.sol";
import {ProtocolConfig} from "./ProtocolConfig.sol";

/// @title Payouts
/// @notice How value leaves the escrow. A payout to anyone but the caller is pushed once and, if the recipient
///         refuses it (a reverting contract, a token blocklist), kept as a credit that its owner withdraws later,
///         so no recipient can block anyone else's transaction. Protocol fees accrue until withdrawn.
/// @dev Events and errors are declared in `IPayouts`.
abstract contract Payouts is ProtocolConfig, ReentrancyGuardTransient, IPayouts {
    using SafeERC20 for IERC20;

    /// @inheritdoc IPayouts
    uint256 public constant PUSH_GAS = 50_000;

    /// @inheritdoc IPayouts
    mapping(address token => mapping(address account => uint256 amount)) public credits;

    /// @inheritdoc IPayouts
    mapping(address token => uint256 amount) public feesOwed;

    /// @inheritdoc IPayouts
    function withdraw(address token, address to) external nonReentrant {
        _requireRecipient(to);
        uint256 amount = credits[token][msg.sender];
        if (amount == 0) revert NothingToWithdraw(token, msg.sender);
        credits[token][msg.sender] = 0;
        emit CreditWithdrawn(token, msg.sender, to, amount);
        if (!_tryTransfer(token, to, amount, gasleft())) revert TransferFailed(token, to, amount);
    }

    /// @inheritdoc IPayouts
    function withdrawFees(address token) external nonReentrant {
        address recipient = _config.feeRecipient;
        uint256 amount = feesOwed[token];
        if (amount == 0) revert NothingToWithdraw(token, recipient);
        feesOwed[token] = 0;
        emit FeesWithdrawn(token, recipient, amount);
        if (!_tryTransfer(token, recipient, amount, gasleft())) revert TransferFailed(token, recipient, amount);
    }

    /// @dev Adds `fee` to the protocol fees owed in `token`.
    function _accrueFee(address token, uint256 fee) internal {
        if (fee != 0) feesOwed[token] += fee;
    }

    /// @dev Pushes `amount` to `to`; if `to` refuses, credits it instead. Never reverts on the recipient's account.
    function _payOrCredit(address token, address to, uint256 amount) internal {
        if (amount == 0) return;
        if (!_tryTransfer(token, to, amount, PUSH_GAS)) {
            credits[token][to] += amount;
            emit Credited(token, to, amount);
        }
    }

    /// @dev Transfers without reverting. ETH gets `ethGas` and its return data is never copied (no return bomb).
    function _tryTransfer(address token, address to, uint256 amount, uint256 ethGas) private returns (bool ok) {
        if (token != address(0)) return IERC20(token).trySafeTransfer(to, amount);
        assembly ("memory-safe") {
            ok := call(ethGas, to, amount, 0, 0, 0, 0)
        }
    }
}
