import type { ManageStrings } from './strings.js';

export const en: ManageStrings = {
  changeTime: 'Change time',
  chooseNewTime: 'Choose a new time',
  newDay: 'Day',
  newTimesFor: (day) => `Free times on ${day}`,
  noTimesInRange: 'No free times in these dates.',
  earlierDates: 'Earlier dates',
  laterDates: 'Later dates',
  moveTo: (when) => `Move to ${when}`,
  moving: 'Moving…',
  keepTime: 'Keep the current time',
  movedNotice: (when) => `Done: your booking is now on ${when}. We have emailed you the new time.`,
  reschedulableUntil: (when) => `You can change the time until ${when}.`,
  rescheduleClosed: (when) =>
    `The time could be changed until ${when}. Contact the business to change this booking.`,
  acceptAgain:
    'A policy has changed since you booked. Please read it and accept it again to move the booking.',
  bookAgain: 'Book again',
};
