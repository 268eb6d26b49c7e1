// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IStaff
/// @notice A merchant's delegates (a front-desk tablet, a server's key) with only the roles the merchant grants:
///         check in, cancel with a full refund, sign coupons. Staff can never claim, change the payout address or
///         the offerings, and no staff action can send funds to anyone but the booking's customer.
/// @dev Roles are bits of a `uint8`; a grant replaces the staff member's previous roles at once. Implemented by
///      `EscrowExtension`.
interface IStaff {
    /// @notice A merchant set a staff member's roles (zero: revoked).
    /// @param merchant The merchant.
    /// @param staff The staff member.
    /// @param roles The roles now held, a combination of `STAFF_CHECK_IN`, `STAFF_CANCEL` and `STAFF_COUPONS`.
    event StaffRolesSet(address indexed merchant, address indexed staff, uint8 roles);

    /// @notice The roles include bits that are not roles.
    /// @param roles The roles given.
    error UnknownStaffRoles(uint8 roles);

    /// @notice A merchant cannot be its own staff, and staff cannot be the zero address.
    /// @param staff The address given.
    error InvalidStaff(address staff);

    /// @notice Sets the roles of one of the caller's staff; zero revokes them all, at once.
    /// @param staff The staff member's address.
    /// @param roles The roles, a combination of `STAFF_CHECK_IN`, `STAFF_CANCEL` and `STAFF_COUPONS`.
    function setStaffRoles(address staff, uint8 roles) external;

    /// @notice The roles a merchant granted to an address.
    /// @param merchant The merchant.
    /// @param staff The address.
    /// @return roles The roles held (zero: none).
    function staffRoles(address merchant, address staff) external view returns (uint8 roles);

    /// @notice The role to check customers in (their signed check-in, or the merchant's word).
    /// @return The role's bit.
    // solhint-disable-next-line func-name-mixedcase
    function STAFF_CHECK_IN() external view returns (uint8);

    /// @notice The role to cancel bookings with a full refund to the customer.
    /// @return The role's bit.
    // solhint-disable-next-line func-name-mixedcase
    function STAFF_CANCEL() external view returns (uint8);

    /// @notice The role to sign coupons that count as the merchant's.
    /// @return The role's bit.
    // solhint-disable-next-line func-name-mixedcase
    function STAFF_COUPONS() external view returns (uint8);
}
