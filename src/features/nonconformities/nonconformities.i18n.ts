/** Nonconformities: the visible words of this feature, Vietnamese first. Both catalogs must have the same keys. */
export { vi } from './nonconformities.i18n.vi';
export { en } from './nonconformities.i18n.en';
