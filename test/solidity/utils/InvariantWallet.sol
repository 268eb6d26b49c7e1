// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title InvariantWallet
/// @notice A contract-account customer: it signs through ERC-1271 (its owner key's ECDSA signature counts as the
///         wallet's), and receiving ETH costs more gas than the escrow's bounded push carries, so pushes to it must
///         become credits while a withdrawal (all gas, the wallet's own choice) still arrives.
contract InvariantWallet is IERC1271 {
    /// @notice The key whose signatures are the wallet's.
    address public immutable signer;
    /// @notice Gas burnt by every incoming ETH transfer.
    uint256 public immutable receiveGas;

    constructor(address signer_, uint256 receiveGas_) {
        signer = signer_;
        receiveGas = receiveGas_;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError error, ) = ECDSA.tryRecover(hash, signature);
        return error == ECDSA.RecoverError.NoError && recovered == signer ? this.isValidSignature.selector : bytes4(0);
    }

    receive() external payable {
        // Underflows (and so reverts) when less gas than this is left.
        for (uint256 stop = gasleft() - receiveGas; gasleft() > stop;) {}
    }
}
