// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title StaffRoles
/// @notice The roles a merchant can grant its staff, as bits of a `uint8`.
library StaffRoles {
    /// @notice Check customers in: their signed check-in, or the merchant's word.
    uint8 internal constant STAFF_CHECK_IN = 1;
    /// @notice Cancel bookings with a full refund to the customer.
    uint8 internal constant STAFF_CANCEL = 2;
    /// @notice Sign coupons that count as the merchant's.
    uint8 internal constant STAFF_COUPONS = 4;
    /// @notice Every role.
    uint8 internal constant ALL = STAFF_CHECK_IN | STAFF_CANCEL | STAFF_COUPONS;
}
