/**
 * The strings only `<cita-booking-manager>` shows (moving a booking, booking again): kept out of
 * the booking flow's catalogs, which are part of the first view, and bundled with the manager's
 * lazy chunk instead. A locale missing here falls back to English.
 */
export interface ManageStrings {
  changeTime: string;
  chooseNewTime: string;
  newDay: string;
  newTimesFor: (day: string) => string;
  noTimesInRange: string;
  earlierDates: string;
  laterDates: string;
  moveTo: (when: string) => string;
  moving: string;
  keepTime: string;
  movedNotice: (when: string) => string;
  reschedulableUntil: (when: string) => string;
  rescheduleClosed: (when: string) => string;
  acceptAgain: string;
  bookAgain: string;
}
