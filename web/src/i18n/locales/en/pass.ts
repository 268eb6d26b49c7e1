// The booking pass (web/src/pass): loaded with its page.
export default {
  invalid: "This pass link is damaged or incomplete. Ask for the link again.",
  title: "Booking pass",
  qrLabel: "QR code of the booking pass",
  checkInQrLabel: "QR code of your signed check-in",
  show: "Show this code at the venue. It carries your booking and its details; keep it to yourself until then.",
  showSigned:
    "Your signed check-in code: show it to the staff to be checked in. It carries your booking, its details and your signature.",
  codeText: "The pass as text",
  checkInCodeText: "Your signed check-in code as text",
  booking: "Booking",
  slot: "Slot",
  seats: "Seats",
  amount: "Deposit",
  status: "Status",
  checkedIn: "checked in",
  notValidStatus: "This pass is no longer valid: the booking is {{status}}. Do not use it at the door.",
  resultEnded: "These details match the booking on-chain, which has ended.",
  asOf: "As of {{time}}: the details the chain last confirmed on this device, being checked again.",
  asOfOffline:
    "As of {{time}}, offline: the chain cannot be reached, so these are the details it last confirmed on this device.",
  showSignedCode: "Show my signed check-in code",
  addToCalendar: "Add to calendar",
  calendarDescription: "Seats: {{seats}} · Deposit: {{amount}} · Booking {{booking}}",
  sign: "I am here: sign my check-in",
  signLabel: "Sign check-in",
  signHelp:
    "At the venue? Sign your check-in in your wallet (no transaction, no fee): the staff scan the code and you are checked in. Once they have, you can no longer cancel.",
  signHelpRequired:
    "This venue checks you in only by your signed code: without it you get the no-show refund. Sign it in your wallet (no transaction, no fee) and show the code; once the staff submit it, you can no longer cancel.",
  signConnect: "Connect the wallet that made this booking to sign.",
  signOpens: "From {{at}} you can sign your check-in here.",
  signOpensRequired: "This venue checks you in only by your signed code. From {{at}} you can sign it here.",
  signed: "✓ Signed: show this code to the staff.",
  checkedInDone: "✓ You are checked in.",
  unknownChain:
    "This pass is for a network or contract this app does not know (chain {{chainId}}), so it cannot be checked.",
  verifying: "Checking the pass against the chain…",
  verifyFailed: "The chain could not be read to check this pass.",
  result: {
    valid: "✓ Verified: these details match the booking on-chain.",
    mismatch: "✗ These details do not match the booking on-chain.",
    unknownBooking: "✗ There is no such booking on-chain.",
  },
  copy: "Copy link",
} as const;
