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
  createEscrowState,
  isOpen,
  releasesSeats,
  toBookingView,
  type Booking,
  type Claim,
  type EscrowState,
  type Merchant,
  type Offering,
  type Slot,
} from "./state.js";
