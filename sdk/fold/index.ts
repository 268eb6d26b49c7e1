export {
  applyEvent,
  compareEvents,
  foldEvents,
  ignoredEvents,
  isIgnoredEvent,
  unhandledEvent,
  type IgnoredEvent,
} from "./apply-event.js";
export { eventSubject, type EventSubject } from "./event-subject.js";
export {
  actsForMerchant,
  createEscrowState,
  isOpen,
  releasesSeats,
  staffRolesOf,
  toBookingView,
  type Booking,
  type CheckIn,
  type Claim,
  type Dispute,
  type EscrowState,
  type Merchant,
  type Offering,
  type Slot,
  type StaffMember,
} from "./state.js";
