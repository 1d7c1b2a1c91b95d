/** Nonconformities: the visible words of this feature, Vietnamese first. Both catalogs must have the same keys. */
export const vi: Record<string, string> = {};

export const en: Record<string, string> = {};
