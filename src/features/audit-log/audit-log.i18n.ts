/** The audit trail's labels: columns, the sentence of an entry, its verbs, the things it names and their fields. */
export { vi } from './audit-log.i18n.vi';
export { en } from './audit-log.i18n.en';
