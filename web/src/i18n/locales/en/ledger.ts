export default {
  option: "Ledger (USB)",
  picker: {
    title: "Choose a Ledger account",
    loading: "Loading Ledger support…",
    reading: "Reading addresses from your Ledger. Keep it plugged in, unlocked, with the Ethereum app open.",
    scheme: "Derivation path",
    schemes: {
      ledgerLive: "Ledger Live",
      bip44: "BIP-44 (MetaMask, Rabby and most wallets)",
      legacy: "Legacy (MyEtherWallet and older wallets)",
    },
    account: "Account {{number}}",
    balanceUnknown: "balance unavailable",
    previous: "Previous accounts",
    next: "More accounts",
    use: "Use this account",
    cancel: "Cancel",
    retry: "Try again",
    clearSigning: "Ask Ledger's servers for clear-signing details on public networks (never on the local chain)",
    telemetry: "Send Ledger an anonymous report after each signature",
  },
  prompt: {
    confirm: "Confirm on your Ledger",
    confirmHint: "Check the details on the device's screen, then approve or reject there.",
    unlock: "Unlock your Ledger",
    unlockHint: "Enter your PIN on the device.",
    openApp: "Open the Ethereum app on your Ledger",
    openAppHint: "Your Ledger asks to open the Ethereum app: accept on the device.",
    working: "Talking to your Ledger…",
    workingHint: "Keep it plugged in and unlocked.",
    cancel: "Cancel",
  },
  errors: {
    title: "Ledger",
    dismiss: "Dismiss",
    locked: "Your Ledger is locked. Enter your PIN on the device, then try again.",
    appNotInstalled:
      "The Ethereum app is not installed on your Ledger. Install it from Ledger Live (My Ledger), then try again.",
    wrongApp: "Another app is open on your Ledger. Close it, open the Ethereum app, then try again.",
    rejected: "You rejected the request on your Ledger. Nothing was signed.",
    blindSigning:
      "Your Ledger needs blind signing for this. On the device, open the Ethereum app, go to Settings, turn on Blind signing, then try again.",
    disconnected: "Your Ledger was disconnected. Plug it in, unlock it, open the Ethereum app, then try again.",
    webhidUnavailable:
      "This browser cannot reach a Ledger over USB (WebHID). Use Chrome, Edge, Brave or Opera on a computer, or another wallet.",
    permissionCancelled:
      "No Ledger was selected. Plug in and unlock your Ledger, choose Ledger (USB) again, then pick it in the browser's list.",
    busy: "Your Ledger is still busy with an earlier request. Finish or reject it on the device, then try again.",
    notOnboarded: "This Ledger is not set up yet. Finish its setup first, then try again.",
    signerMismatch:
      "Your Ledger signed with another account ({{address}}) than the one you chose. Nothing was sent. Choose your account again.",
    cancelled: "Cancelled. If your Ledger still shows the request, reject it on the device.",
    unknown:
      "Your Ledger reported a problem ({{detail}}). Unplug it, plug it back in, open the Ethereum app and try again.",
  },
} as const;
