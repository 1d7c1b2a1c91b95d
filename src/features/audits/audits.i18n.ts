/** Audits: the visible words of this feature, Vietnamese first. Both catalogs have the same keys. */
export { vi } from './audits.i18n.vi';
export { en } from './audits.i18n.en';
