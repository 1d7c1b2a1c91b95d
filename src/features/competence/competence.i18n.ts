/** Competence: the visible words of this feature, Vietnamese first. Both catalogs have the same keys. */
export { vi } from './competence.i18n.vi';
export { en } from './competence.i18n.en';
