export { isIsoDate, addDays } from './dates';
export { localDateOf, todayLocal } from './zone';
export { parseDateOrDateTime, MIN_YEAR, MAX_YEAR, type DateParseCode, type DateParseResult } from './parse';
export { WorkCalendar, computeDueDate, type WorkCalendarInput } from './work-calendar';
