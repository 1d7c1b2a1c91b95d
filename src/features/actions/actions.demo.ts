import type { DemoContext } from '../demo-context';

/**
 * Actions belong to their nonconformity, so the demo actions are made with their NCs in
 * nonconformities.demo.ts (which runs just before this); nothing more to add here.
 */
export async function seedActions(_demo: DemoContext): Promise<void> {}
