/** Reports: the visible words of this feature, Vietnamese first. Both catalogs have the same keys (test/foundation/i18n). */
export { vi } from './reports.i18n.vi';
export { en } from './reports.i18n.en';
