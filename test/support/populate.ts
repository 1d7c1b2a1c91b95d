import type { CreatedApp } from '../../src/app';
import { allows, type Role } from '../../src/core/http/roles';
import type { SignedIn } from './app';
import { signInWith } from './agents';
import { crawl, formsByRoute } from './crawl';
import { fillContext, plan, submitUntilAccepted } from './forms';
import { hasParams, label, matchPath, policiesOf } from './routes';

/**
 * Makes the demo world busier through the app's own forms, whatever features exist: each demo user
 * (quality officer, admin, leader, two staff of different units) first submits every creation form they
 * may use (a nonconformity reported by each staff member, a document, an audit …), then, in two more rounds,
 * the forms found on record pages (workflow steps: accept, analyse, submit a revision …; steps that end a
 * record only in the last round), so that records
 * of every kind exist, owned by different people and units, in several states.
 */
export interface PopulateUser {
  username: string;
  password: string;
  role: Role;
  id: number;
}

/** Forms the populating users never submit: they would end sessions or lock out the demo users. */
const NEVER = [
  /^POST \/(login|logout|setup)$/,
  /^POST \/account\//,
  /^POST \/admin\/users\/:id/,
  /^POST \/admin\/organisation$/,
  /^POST \/admin\/units\/:id\/status$/,
  /import/,
];
/** Steps that end a record's life (withdraw, cancel, reject, retire …): only in the last round, so records first move forward. */
const TERMINAL = /\/(withdraw|cancel|reject|status|remove|return|reopen)$/;
const ROUNDS = 3;

export async function populate(
  app: CreatedApp,
  users: PopulateUser[],
  log: (line: string) => void = () => undefined,
): Promise<{ submitted: number; accepted: number }> {
  const policies = policiesOf(app);
  const order = ['thuky', 'admin', 'lanhdao', 'canbo', 'motcua'];
  const actors = order.map((u) => users.find((x) => x.username === u)).filter((u): u is PopulateUser => u !== undefined);
  let submitted = 0;
  let accepted = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const actor of actors) {
      let signed: SignedIn = await signInWith(app, actor.username, actor.password);
      const skip = (url: string) => /\.(csv|xlsx|json)(\?|$)|\/(print|coverage|compare)(\?|$)|\/files?\//.test(url); // no forms there
      const pages = await crawl(signed.agent, policies, round === 0 ? { perPattern: 1, follow: false, skip } : { perPattern: 2, skip });
      for (const [p, found] of formsByRoute(policies, pages)) {
        if (!allows(p.access, actor.role) || NEVER.some((re) => re.test(label(p)))) continue;
        if (round === 0 && hasParams(p)) continue;
        if (TERMINAL.test(p.path) && round < ROUNDS - 1) continue;
        const targets = found
          .filter((f, i, all) => all.findIndex((g) => g.form.action.split('?')[0] === f.form.action.split('?')[0]) === i)
          .slice(0, round === 0 ? 2 : 1);
        for (const target of targets) {
          if (matchPath(p.path, target.form.action.split('?')[0]) === undefined) continue;
          const outcome = await submitUntilAccepted(signed, plan(target.form, fillContext(actor.password)));
          submitted++;
          if (outcome.accepted) accepted++;
          if (outcome.res.status >= 500) log(`populate: ${actor.username} ${label(p)} → ${outcome.res.status}`);
          if (outcome.res.status === 303 && String(outcome.res.headers.location).startsWith('/login'))
            signed = await signInWith(app, actor.username, actor.password);
        }
      }
    }
  }
  return { submitted, accepted };
}
