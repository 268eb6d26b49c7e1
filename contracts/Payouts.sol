// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IPayouts} from "./interfaces/IPayouts.sol";
import {EscrowState} from "./EscrowState.sol";

/// @title Payouts
/// @notice How value leaves the escrow. A payout to anyone but the caller is pushed once with bounded gas and, if the
///         recipient refuses it (a reverting contract, a token blocklist, a hook that runs out of gas), kept as a
///         credit that its owner withdraws later, so no recipient can block or inflate anyone else's transaction.
///         Protocol fees accrue until withdrawn.
/// @dev Events and errors are declared in `IPayouts`.
abstract contract Payouts is EscrowState, ReentrancyGuardTransient, IPayouts {
    /// @inheritdoc IPayouts
    uint256 public constant PUSH_GAS = 50_000;

    /// @inheritdoc IPayouts
    uint256 public constant TOKEN_PUSH_GAS = 100_000;

    /// @inheritdoc IPayouts
    function withdraw(address token, address to) external nonReentrant {
        _requireRecipient(to);
        uint256 amount = _credits[token][msg.sender];
        if (amount == 0) revert NothingToWithdraw(token, msg.sender);
        _credits[token][msg.sender] = 0;
        emit CreditWithdrawn(token, msg.sender, to, amount);
        // The caller's own money, sent where the caller asked: all gas, and a refusal reverts.
        if (!_tryTransfer(token, to, amount, gasleft())) revert TransferFailed(token, to, amount);
    }

    /// @inheritdoc IPayouts
    function withdrawFees(address token) external nonReentrant {
        address recipient = _config.feeRecipient;
        uint256 amount = _feesOwed[token];
        if (amount == 0) revert NothingToWithdraw(token, recipient);
        _feesOwed[token] = 0;
        emit FeesWithdrawn(token, recipient, amount);
        _payOrCredit(token, recipient, amount);
    }

    /// @inheritdoc IPayouts
    function credits(address token, address account) external view returns (uint256) {
        return _credits[token][account];
    }

    /// @inheritdoc IPayouts
    function feesOwed(address token) external view returns (uint256) {
        return _feesOwed[token];
    }

    /// @dev Adds `fee` to the protocol fees owed in `token`.
    function _accrueFee(address token, uint256 fee) internal {
        if (fee != 0) _feesOwed[token] += fee;
    }

    /// @dev Pushes `amount` to `to` with bounded gas; if `to` refuses, credits it instead. Never reverts on the
    ///      recipient's account.
    function _payOrCredit(address token, address to, uint256 amount) internal {
        if (amount == 0) return;
        if (!_tryTransfer(token, to, amount, token == address(0) ? PUSH_GAS : TOKEN_PUSH_GAS)) {
            _credits[token][to] += amount;
            emit Credited(token, to, amount);
        }
    }

    /// @dev Transfers with at most `gasLimit` gas and without reverting. At most 32 bytes of return data are copied
    ///      (no return bomb). A token transfer succeeds when it returns true, or returns nothing from a contract
    ///      (tokens that predate the bool), as OpenZeppelin's `SafeERC20` accepts.
    function _tryTransfer(address token, address to, uint256 amount, uint256 gasLimit) private returns (bool ok) {
        if (token == address(0)) {
            assembly ("memory-safe") {
                ok := call(gasLimit, to, amount, 0, 0, 0, 0)
            }
            return ok;
        }
        bytes memory data = abi.encodeCall(IERC20.transfer, (to, amount));
        assembly ("memory-safe") {
            mstore(0, 0)
            ok := call(gasLimit, token, 0, add(data, 0x20), mload(data), 0, 0x20)
            let returned := returndatasize()
            ok := and(ok, or(and(gt(returned, 31), eq(mload(0), 1)), and(iszero(returned), gt(extcodesize(token), 0))))
        }
    }
}
