/** The one-page checklist filled in on a phone: its visible words, Vietnamese first. Both catalogs have the same keys. */
export { vi } from './audits.fill.i18n.vi';
export { en } from './audits.fill.i18n.en';
