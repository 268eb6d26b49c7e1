// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IPayouts
/// @notice How value leaves the escrow. A payout to anyone but the caller is pushed once and, if the recipient
///         refuses it (a reverting contract, a token blocklist), kept as a credit that its owner withdraws later,
///         so no recipient can block anyone else's transaction. Every push carries bounded gas, so no recipient can
///         make another party's transaction expensive. Protocol fees accrue until withdrawn.
/// @dev Implemented by `EarnestEscrow`.
interface IPayouts {
    /// @notice A payout was refused by its recipient and kept as a credit.
    /// @param token The token (zero address = ETH).
    /// @param account Who may withdraw it.
    /// @param amount The amount credited.
    event Credited(address indexed token, address indexed account, uint256 amount);

    /// @notice An account withdrew its credit.
    /// @param token The token.
    /// @param account The account whose credit it was.
    /// @param to Where it was sent.
    /// @param amount The amount.
    event CreditWithdrawn(address indexed token, address indexed account, address to, uint256 amount);

    /// @notice Accrued protocol fees were sent to the fee recipient.
    /// @param token The token.
    /// @param recipient The fee recipient.
    /// @param amount The amount.
    event FeesWithdrawn(address indexed token, address indexed recipient, uint256 amount);

    /// @notice There is nothing to withdraw.
    /// @param token The token.
    /// @param account The account.
    error NothingToWithdraw(address token, address account);

    /// @notice A transfer the caller asked for failed; nothing changed.
    /// @param token The token.
    /// @param to The recipient.
    /// @param amount The amount.
    error TransferFailed(address token, address to, uint256 amount);

    /// @notice Sends the caller's whole credit in `token` to `to` (which may differ, e.g. when the caller's own
    ///         address is blocklisted by the token).
    /// @param token The token (zero address = ETH).
    /// @param to The recipient, neither zero nor the escrow.
    function withdraw(address token, address to) external;

    /// @notice Sends the protocol fees accrued in `token` to the fee recipient, or credits them to it if it refuses.
    ///         Anyone may call it.
    /// @param token The token (zero address = ETH).
    function withdrawFees(address token) external;

    /// @notice Withdrawable credits per token (zero address = ETH) and account.
    /// @param token The token.
    /// @param account The account.
    /// @return amount The credit.
    function credits(address token, address account) external view returns (uint256 amount);

    /// @notice Protocol fees accrued and not yet withdrawn, per token.
    /// @param token The token.
    /// @return amount The fees owed.
    function feesOwed(address token) external view returns (uint256 amount);

    /// @notice Gas given to a native-ETH push; enough for a smart wallet's receive, too little for griefing.
    /// @return The gas.
    // solhint-disable-next-line func-name-mixedcase
    function PUSH_GAS() external view returns (uint256);

    /// @notice Gas given to a token push: enough for a stablecoin transfer to a new holder, too little for
    ///         griefing through a token's hooks.
    /// @return The gas.
    // solhint-disable-next-line func-name-mixedcase
    function TOKEN_PUSH_GAS() external view returns (uint256);
}
