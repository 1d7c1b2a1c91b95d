import type { DemoContext } from '../demo-context';

/** Adds this feature's part of the demo data. */
export async function seedHolidays(_demo: DemoContext): Promise<void> {}
