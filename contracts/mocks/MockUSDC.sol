// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// @title MockUSDC
/// @notice A local stand-in that behaves like Circle's USDC (FiatTokenV2_2) where Earnest meets it: 6 decimals,
///         EIP-2612 `permit` with `DOMAIN_SEPARATOR()` and `version()` but no EIP-5267 `eip712Domain()`, ERC-3009
///         `transferWithAuthorization` / `receiveWithAuthorization` / `cancelAuthorization` in the `(v, r, s)` and
///         the `bytes` (ERC-1271) forms, and a blacklist. Minting is open (test token); the deployer blacklists.
/// @dev Domain: name "USD Coin", version "2", the current chain id, this contract. Errors are custom errors
///      rather than USDC's revert strings; the conditions are USDC's.
contract MockUSDC is ERC20 {
    /// @notice EIP-2612's permit type.
    bytes32 public constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );

    /// @notice ERC-3009's transfer type: anyone may submit it.
    bytes32 public constant TRANSFER_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,"
        "bytes32 nonce)"
    );

    /// @notice ERC-3009's receive type: only the payee may submit it.
    bytes32 public constant RECEIVE_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,"
        "bytes32 nonce)"
    );

    /// @notice ERC-3009's cancel type.
    bytes32 public constant CANCEL_AUTHORIZATION_TYPEHASH = keccak256(
        "CancelAuthorization(address authorizer,bytes32 nonce)"
    );

    bytes32 private constant _DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );

    /// @notice Who may blacklist: the deployer (USDC's name for the role and its getter).
    // solhint-disable-next-line immutable-vars-naming
    address public immutable blacklister;

    /// @notice EIP-2612 nonces.
    mapping(address owner => uint256 nonce) public nonces;

    /// @notice Whether an address may neither send, receive nor approve.
    mapping(address account => bool blacklisted) public isBlacklisted;

    mapping(address authorizer => mapping(bytes32 nonce => bool used)) private _authorizationStates;

    /// @notice An ERC-3009 authorization was used.
    /// @param authorizer The payer.
    /// @param nonce Its nonce.
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);

    /// @notice An ERC-3009 authorization was cancelled.
    /// @param authorizer The payer.
    /// @param nonce Its nonce.
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);

    /// @notice An account was blacklisted.
    /// @param account The account.
    event Blacklisted(address indexed account);

    /// @notice An account left the blacklist.
    /// @param account The account.
    event UnBlacklisted(address indexed account);

    /// @notice The account is blacklisted.
    /// @param account The account.
    error AccountBlacklisted(address account);

    /// @notice Only the blacklister may do this.
    /// @param caller The caller.
    error NotBlacklister(address caller);

    /// @notice The signature is not the signer's.
    /// @param signer Who should have signed.
    error InvalidSignature(address signer);

    /// @notice The permit's deadline has passed.
    /// @param deadline The deadline.
    error PermitExpired(uint256 deadline);

    /// @notice The authorization is not valid yet, or no longer.
    /// @param validAfter Valid after this time.
    /// @param validBefore Valid before this time.
    error AuthorizationNotValidNow(uint256 validAfter, uint256 validBefore);

    /// @notice The authorization was used or cancelled.
    /// @param authorizer The payer.
    /// @param nonce Its nonce.
    error AuthorizationUsedOrCanceled(address authorizer, bytes32 nonce);

    /// @notice `receiveWithAuthorization` must be called by its payee.
    /// @param caller The caller.
    /// @param payee The payee.
    error CallerMustBePayee(address caller, address payee);

    constructor() ERC20("USD Coin", "USDC") {
        blacklister = msg.sender;
    }

    /// @notice Mints `amount` to `to`; anyone may call it (test token).
    /// @param to The recipient.
    /// @param amount The amount, in 6-decimal units.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Blacklists `account`.
    /// @param account The account.
    function blacklist(address account) external {
        if (msg.sender != blacklister) revert NotBlacklister(msg.sender);
        isBlacklisted[account] = true;
        emit Blacklisted(account);
    }

    /// @notice Takes `account` off the blacklist.
    /// @param account The account.
    function unBlacklist(address account) external {
        if (msg.sender != blacklister) revert NotBlacklister(msg.sender);
        isBlacklisted[account] = false;
        emit UnBlacklisted(account);
    }

    /// @notice EIP-2612 permit with a 65-byte signature.
    /// @param owner The owner.
    /// @param spender The spender.
    /// @param value The allowance.
    /// @param deadline The deadline.
    /// @param v Signature v.
    /// @param r Signature r.
    /// @param s Signature s.
    function permit(
        address owner,
        address spender,
        uint256 value,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        _permit(owner, spender, value, deadline, abi.encodePacked(r, s, v));
    }

    /// @notice EIP-2612 permit with a signature as bytes (ERC-1271 for contract wallets).
    /// @param owner The owner.
    /// @param spender The spender.
    /// @param value The allowance.
    /// @param deadline The deadline.
    /// @param signature The owner's signature.
    function permit(
        address owner,
        address spender,
        uint256 value,
        uint256 deadline,
        bytes calldata signature
    ) external {
        _permit(owner, spender, value, deadline, signature);
    }

    /// @notice ERC-3009 transfer that anyone may submit.
    /// @param from The payer.
    /// @param to The payee.
    /// @param value The amount.
    /// @param validAfter Valid after this time.
    /// @param validBefore Valid before this time.
    /// @param nonce The authorization's nonce.
    /// @param v Signature v.
    /// @param r Signature r.
    /// @param s Signature s.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        _authorizedTransfer(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce,
            abi.encodePacked(r, s, v)
        );
    }

    /// @notice ERC-3009 transfer that anyone may submit, signature as bytes.
    /// @param from The payer.
    /// @param to The payee.
    /// @param value The amount.
    /// @param validAfter Valid after this time.
    /// @param validBefore Valid before this time.
    /// @param nonce The authorization's nonce.
    /// @param signature The payer's signature.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external {
        _authorizedTransfer(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce,
            signature
        );
    }

    /// @notice ERC-3009 transfer that only the payee may submit.
    /// @param from The payer.
    /// @param to The payee, the caller.
    /// @param value The amount.
    /// @param validAfter Valid after this time.
    /// @param validBefore Valid before this time.
    /// @param nonce The authorization's nonce.
    /// @param v Signature v.
    /// @param r Signature r.
    /// @param s Signature s.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        if (msg.sender != to) revert CallerMustBePayee(msg.sender, to);
        _authorizedTransfer(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce,
            abi.encodePacked(r, s, v)
        );
    }

    /// @notice ERC-3009 transfer that only the payee may submit, signature as bytes.
    /// @param from The payer.
    /// @param to The payee, the caller.
    /// @param value The amount.
    /// @param validAfter Valid after this time.
    /// @param validBefore Valid before this time.
    /// @param nonce The authorization's nonce.
    /// @param signature The payer's signature.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external {
        if (msg.sender != to) revert CallerMustBePayee(msg.sender, to);
        _authorizedTransfer(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce,
            signature
        );
    }

    /// @notice Cancels an unused ERC-3009 authorization.
    /// @param authorizer The payer.
    /// @param nonce The authorization's nonce.
    /// @param v Signature v.
    /// @param r Signature r.
    /// @param s Signature s.
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external {
        _useAuthorization(
            authorizer,
            nonce,
            keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)),
            abi.encodePacked(r, s, v)
        );
        emit AuthorizationCanceled(authorizer, nonce);
    }

    /// @notice Whether an ERC-3009 nonce was used or cancelled.
    /// @param authorizer The payer.
    /// @param nonce The nonce.
    /// @return Whether it was.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool) {
        return _authorizationStates[authorizer][nonce];
    }

    /// @notice The EIP-712 domain separator for the current chain.
    /// @return The separator.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() public view returns (bytes32) {
        return
            keccak256(
                abi.encode(_DOMAIN_TYPEHASH, keccak256(bytes(name())), keccak256(bytes(version())), block.chainid, this)
            );
    }

    /// @notice The EIP-712 domain version.
    /// @return "2", as USDC's.
    function version() public pure returns (string memory) {
        return "2";
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function _permit(address owner, address spender, uint256 value, uint256 deadline, bytes memory signature) private {
        if (block.timestamp > deadline) revert PermitExpired(deadline);
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, nonces[owner]++, deadline));
        _requireSignature(owner, structHash, signature);
        _approve(owner, spender, value);
    }

    function _authorizedTransfer(
        bytes32 typeHash,
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) private {
        if (block.timestamp <= validAfter || block.timestamp >= validBefore) {
            revert AuthorizationNotValidNow(validAfter, validBefore);
        }
        bytes32 structHash = keccak256(abi.encode(typeHash, from, to, value, validAfter, validBefore, nonce));
        _useAuthorization(from, nonce, structHash, signature);
        emit AuthorizationUsed(from, nonce);
        _transfer(from, to, value);
    }

    function _useAuthorization(address authorizer, bytes32 nonce, bytes32 structHash, bytes memory signature) private {
        if (_authorizationStates[authorizer][nonce]) revert AuthorizationUsedOrCanceled(authorizer, nonce);
        _requireSignature(authorizer, structHash, signature);
        _authorizationStates[authorizer][nonce] = true;
    }

    /// @dev Like USDC's SignatureChecker: ecrecover for accounts without code, ERC-1271 for contracts.
    function _requireSignature(address signer, bytes32 structHash, bytes memory signature) private view {
        bytes32 digest = MessageHashUtils.toTypedDataHash(DOMAIN_SEPARATOR(), structHash);
        bool valid =
            signer.code.length == 0
                ? _recovers(signer, digest, signature)
                : SignatureChecker.isValidERC1271SignatureNow(signer, digest, signature);
        if (!valid) revert InvalidSignature(signer);
    }

    function _recovers(address signer, bytes32 digest, bytes memory signature) private pure returns (bool) {
        (address recovered, ECDSA.RecoverError error, ) = ECDSA.tryRecover(digest, signature);
        return error == ECDSA.RecoverError.NoError && recovered == signer;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (isBlacklisted[from]) revert AccountBlacklisted(from);
        if (isBlacklisted[to]) revert AccountBlacklisted(to);
        super._update(from, to, value);
    }

    function _approve(address owner, address spender, uint256 value, bool emitEvent) internal override {
        if (isBlacklisted[owner]) revert AccountBlacklisted(owner);
        if (isBlacklisted[spender]) revert AccountBlacklisted(spender);
        super._approve(owner, spender, value, emitEvent);
    }
}
