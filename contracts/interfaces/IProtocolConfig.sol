// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IProtocolConfig
/// @notice What the protocol owner may change: the fee for future bookings (hard-capped), its recipient,
///         the token allow-list, and a pause of new bookings. Nothing here can move an escrowed deposit.
/// @dev Implemented by `EscrowExtension`. Ownership (two-step transfer, renouncing disabled) is OpenZeppelin's
///      `Ownable2Step` in `EarnestEscrow`; `IEarnestEscrow` lists it.
interface IProtocolConfig {
    /// @notice Settings read by every booking, packed into one storage slot.
    struct Config {
        /// @dev Receives the protocol fees.
        address feeRecipient;
        /// @dev Fee on the merchant's share of future bookings, in basis points; snapshotted per booking.
        uint16 feeBps;
        /// @dev When true, new bookings are refused; every other operation still works.
        bool paused;
    }

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

    /// @notice Ownership cannot be renounced: a paused protocol would stay paused for ever.
    error RenounceDisabled();

    /// @notice The token is not on the allow-list.
    /// @param token The token.
    error TokenNotAllowed(address token);

    /// @notice Sets the fee for bookings made from now on; existing bookings keep their snapshot.
    /// @param feeBps The fee in basis points, at most `MAX_FEE_BPS`.
    function setFee(uint16 feeBps) external;

    /// @notice Sets who receives protocol fees, including fees already owed.
    /// @param feeRecipient The new recipient, neither zero nor the escrow.
    function setFeeRecipient(address feeRecipient) external;

    /// @notice Pauses or resumes new bookings. Cancel, check-in, dispute, resolve, settle, claim and withdraw always
    ///         work.
    /// @param paused True to refuse new bookings.
    function setPaused(bool paused) external;

    /// @notice Adds an ERC-20 token to, or removes it from, the allow-list. Bookings already made are unaffected.
    /// @param token The token, not the zero address (native ETH is always allowed).
    /// @param allowed Whether new offerings and bookings may use it.
    function setTokenAllowed(address token, bool allowed) external;

    /// @notice The current protocol settings.
    /// @return The fee recipient, the fee for new bookings and the pause flag.
    function config() external view returns (Config memory);

    /// @notice Whether an ERC-20 token may be used by new offerings and bookings. Native ETH is always allowed.
    /// @param token The token.
    /// @return allowed Whether it is on the allow-list.
    function isTokenAllowed(address token) external view returns (bool allowed);

    /// @notice The highest protocol fee the owner can ever set, in basis points (10 %).
    /// @return The cap.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_FEE_BPS() external view returns (uint16);
}
