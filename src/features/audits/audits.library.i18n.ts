/** The audit question library and the checklist built from it: visible words, Vietnamese first. Both catalogs have the same keys. */
export { vi } from './audits.library.i18n.vi';
export { en } from './audits.library.i18n.en';
