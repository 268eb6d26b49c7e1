// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title InvariantToken
/// @notice The invariant campaign's stablecoin: open minting, and recipients that refuse a transfer in the two ways
///         a real token lets them (a blocklist, like USDC's, or a receive hook that costs more gas than the escrow's
///         bounded push carries), so that both "refused" and "too expensive" pushes must become credits.
contract InvariantToken is ERC20 {
    /// @notice Transfers to the account revert.
    mapping(address account => bool blocked) public isBlocked;
    /// @notice Gas a transfer to the account burns in its hook (zero: no hook).
    mapping(address account => uint256 gas) public hookGas;

    /// @notice The recipient is blocked.
    /// @param account The recipient.
    error Blocked(address account);

    constructor() ERC20("Invariant USD", "iUSD") {}

    /// @notice Mints `amount` to `to`; anyone may call it (test token). Mints run no hook.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Blocks or unblocks transfers to `account`.
    function setBlocked(address account, bool blocked) external {
        isBlocked[account] = blocked;
    }

    /// @notice Makes every transfer to `account` burn `gas` first (an expensive hook).
    function setHookGas(address account, uint256 gas) external {
        hookGas[account] = gas;
    }

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0)) {
            if (isBlocked[to]) revert Blocked(to);
            uint256 gas = hookGas[to];
            // Underflows (and so reverts) when less gas than the hook needs is left.
            if (gas != 0) for (uint256 stop = gasleft() - gas; gasleft() > stop;) {}
        }
        super._update(from, to, value);
    }
}
