import type { AppContext } from '../core/context';
import type { Role } from '../core/http/roles';

/** What each feature's demo seeder receives; the core seeder fills it with the people, units and procedures it made. */
export interface DemoContext {
  ctx: AppContext;
  now: Date;
  /** One user per role plus extra staff, by username. */
  users: Record<string, { id: number; role: Role; unitId: number | null; fullName: string }>;
  /** The first user of each role. */
  byRole: Record<Role, number>;
  units: Record<string, number>;
  procedures: Record<string, number>;
  log(line: string): void;
}
