import type { AppContext } from '../../core/context';
import { cachedUntilChange } from '../../core/db/change-cache';
import { listUnitOptions } from './units.queries';

/** The active units as filter options (registers, summary), kept until the data changes: one read for every page. */
export function keptUnitOptions(ctx: AppContext): Promise<{ value: number; label: string }[]> {
  return cachedUntilChange(ctx, 'units|options', () => listUnitOptions(ctx.db));
}
