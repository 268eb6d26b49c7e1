// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title SmartWallet
/// @notice A minimal contract wallet: one owner key acts through `execute` and signs for the wallet through
///         ERC-1271, as a smart-account customer signs a check-in or a contract merchant signs a coupon.
contract SmartWallet is IERC1271 {
    /// @notice The key that controls the wallet and signs for it.
    address public owner;

    /// @notice Only the owner may make the wallet act.
    /// @param caller The caller.
    error NotOwner(address caller);

    /// @notice Creates a wallet controlled by `owner_`.
    /// @param owner_ The owner key.
    constructor(address owner_) {
        owner = owner_;
    }

    /// @notice The owner makes the wallet call `target` with `data` and `msg.value`, bubbling any revert.
    /// @param target The contract to call.
    /// @param data The calldata.
    /// @return result The call's return data.
    function execute(address target, bytes calldata data) external payable returns (bytes memory result) {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        bool ok;
        // solhint-disable-next-line avoid-low-level-calls
        (ok, result) = target.call{value: msg.value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
    }

    /// @notice A signature is the wallet's when the owner key signed `hash` itself.
    /// @param hash The digest signed.
    /// @param signature The owner's ECDSA signature.
    /// @return The ERC-1271 magic value when valid, `0xffffffff` otherwise.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, ECDSA.RecoverError error, ) = ECDSA.tryRecover(hash, signature);
        return
            error == ECDSA.RecoverError.NoError && signer == owner
                ? IERC1271.isValidSignature.selector
                : bytes4(0xffffffff);
    }

    /// @notice Takes refunds and payouts.
    receive() external payable {}
}
