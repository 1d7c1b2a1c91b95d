/** Documents: the visible words of this feature, Vietnamese first. Both catalogs have the same keys (test/documents). */
export { vi } from './documents.i18n.vi';
export { en } from './documents.i18n.en';
