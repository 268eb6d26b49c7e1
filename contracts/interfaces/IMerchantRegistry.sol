// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IMerchantRegistry
/// @notice Merchants register themselves with a payout address and a display name.
/// @dev A merchant is identified by the address that registered; the payout address may differ and may change.
///      Implemented by `EscrowExtension`.
interface IMerchantRegistry {
    /// @notice A registered merchant.
    struct Merchant {
        /// @dev Where the merchant's shares are paid; never zero once registered.
        address payout;
        /// @dev Display name (UTF-8, at most `MAX_NAME_BYTES` bytes).
        string name;
    }

    /// @notice A merchant registered.
    /// @param merchant The merchant's address.
    /// @param payout Where its shares will be paid.
    /// @param name Its display name.
    event MerchantRegistered(address indexed merchant, address indexed payout, string name);

    /// @notice A merchant changed its payout address or name. Later payouts go to the new address.
    /// @param merchant The merchant's address.
    /// @param payout The new payout address.
    /// @param name The new display name.
    event MerchantUpdated(address indexed merchant, address indexed payout, string name);

    /// @notice The caller is registered already.
    /// @param merchant The caller.
    error MerchantAlreadyRegistered(address merchant);

    /// @notice The account is not a registered merchant.
    /// @param account The account.
    error MerchantNotRegistered(address account);

    /// @notice The payout address is zero or the escrow itself (which could never pay the shares out).
    /// @param payout The address given.
    error InvalidPayout(address payout);

    /// @notice The payout address is the arbiter of one of the merchant's offerings, which must stay independent.
    /// @param payout The address given.
    error PayoutIsArbiter(address payout);

    /// @notice The name is empty or longer than `MAX_NAME_BYTES`.
    /// @param length The name's length in bytes.
    /// @param maxLength The longest accepted.
    error InvalidName(uint256 length, uint256 maxLength);

    /// @notice Registers the caller as a merchant.
    /// @param payout Where the merchant's shares will be paid; not zero, not the escrow.
    /// @param name The display name, 1 to `MAX_NAME_BYTES` bytes.
    function registerMerchant(address payout, string calldata name) external;

    /// @notice Changes the caller's payout address and name. Shares already credited stay with the old address. The
    ///         payout can never be an arbiter of the caller's offerings.
    /// @param payout The new payout address.
    /// @param name The new display name.
    function updateMerchant(address payout, string calldata name) external;

    /// @notice A merchant's registration.
    /// @param merchant The merchant's address.
    /// @return The payout address and name; a zero payout means not registered.
    function getMerchant(address merchant) external view returns (Merchant memory);

    /// @notice Longest merchant name accepted, in bytes.
    /// @return The limit.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_NAME_BYTES() external view returns (uint256);
}
