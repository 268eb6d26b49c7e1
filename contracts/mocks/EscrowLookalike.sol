// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

/// @title EscrowLookalike
/// @notice A contract that declares whatever EIP-712 domain it is given (EIP-5267) and nothing else: with the
///         escrow's own name and version it passes for one by its domain alone, but emits none of the events an
///         escrow's deployment does.
contract EscrowLookalike is EIP712 {
    /// @param name The domain's name.
    /// @param version The domain's version.
    constructor(string memory name, string memory version) EIP712(name, version) {}
}
