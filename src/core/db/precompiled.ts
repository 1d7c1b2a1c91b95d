import { CompiledQuery, type Compilable } from 'kysely';
import type { Db } from './database';

/**
 * A query built by Kysely and compiled once per database (the SQL differs between the engines), then run with new
 * parameter values: for the statements that every request runs (the session, the organisation's settings), where
 * building and compiling with Kysely cost as much as the driver's work. The SQL text is the same on every run, so
 * the drivers' statement caches (prepared by text on both engines) keep serving it.
 *
 * `build` is called once, with a marker for each parameter: it must put each parameter into the query as a value
 * (`where('id', '=', id)`), never look at it or transform it. Every other value of the query (constants) is kept as
 * compiled. A marker missing from the compiled parameters is an error, at the first call.
 */
export function precompiled<P extends unknown[], R>(build: (db: Db, ...params: P) => Compilable<R>): (db: Db, ...params: P) => Promise<R[]> {
  const compiled = new WeakMap<Db, { sql: string; slots: Slot[] }>();
  return async (db: Db, ...params: P): Promise<R[]> => {
    let query = compiled.get(db);
    if (!query) compiled.set(db, (query = compile(db, build, params.length)));
    const values = query.slots.map((slot) => (typeof slot === 'number' ? params[slot] : slot.value));
    const result = await db.executeQuery<R>(CompiledQuery.raw(query.sql, values));
    return result.rows;
  };
}

/** A compiled parameter: the index of a caller's parameter, or a constant of the query. */
type Slot = number | { value: unknown };

/** Markers no real value equals (the app refuses any text holding a NUL character). */
const marker = (i: number) => `\u0000precompiled parameter ${i}\u0000`;

function compile<P extends unknown[], R>(db: Db, build: (db: Db, ...params: P) => Compilable<R>, count: number): { sql: string; slots: Slot[] } {
  const markers = Array.from({ length: count }, (_, i) => marker(i));
  const query = build(db, ...(markers as P)).compile();
  const slots = query.parameters.map((value): Slot => {
    const i = markers.indexOf(value as string);
    return i >= 0 ? i : { value };
  });
  for (let i = 0; i < count; i++) if (!slots.includes(i)) throw new Error(`precompiled query: parameter ${i} is not a value of the query`);
  return { sql: query.sql, slots };
}
