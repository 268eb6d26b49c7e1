// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StaffRoles} from "./libraries/StaffRoles.sol";
import {IStaff} from "./interfaces/IStaff.sol";
import {MerchantRegistry} from "./MerchantRegistry.sol";

/// @title Staff
/// @notice A merchant grants and revokes its staff's roles: check in, cancel with a full refund, sign coupons.
/// @dev Runs in `EscrowExtension`; the escrow checks the roles where they apply. Events and errors are declared in
///      `IStaff`.
abstract contract Staff is MerchantRegistry, IStaff {
    /// @inheritdoc IStaff
    uint8 public constant STAFF_CHECK_IN = StaffRoles.STAFF_CHECK_IN;
    /// @inheritdoc IStaff
    uint8 public constant STAFF_CANCEL = StaffRoles.STAFF_CANCEL;
    /// @inheritdoc IStaff
    uint8 public constant STAFF_COUPONS = StaffRoles.STAFF_COUPONS;

    /// @inheritdoc IStaff
    function setStaffRoles(address staff, uint8 roles) external {
        _requireMerchant(msg.sender);
        if (staff == address(0) || staff == msg.sender) revert InvalidStaff(staff);
        if (roles & ~StaffRoles.ALL != 0) revert UnknownStaffRoles(roles);
        _staffRoles[msg.sender][staff] = roles;
        emit StaffRolesSet(msg.sender, staff, roles);
    }

    /// @inheritdoc IStaff
    function staffRoles(address merchant, address staff) external view returns (uint8) {
        return _staffRoles[merchant][staff];
    }
}
