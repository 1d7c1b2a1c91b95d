import type { AppContext } from '../../core/context';
import { addDays, todayLocal } from '../../core/calendar';
import { DAY_MS } from '../../core/calendar/dates';
import type { DemoContext } from '../demo-context';
import { insertDemoUse } from './api.tokens.admin.queries';
import { createToken, revokeToken, type TokenRequest } from './api.tokens.service';
import { demoApiPush } from './api.dossiers.demo';

/** The token of the provincial one-stop system, which pushes the demo's last batch of dossiers. */
const ONE_STOP_TOKEN = 'Hệ thống thông tin giải quyết TTHC tỉnh';

/** The services on a clock set `daysAgo` days (and `minutes` minutes) before the demo's now: the history happened then. */
const daysAgo = (demo: DemoContext, days: number, minutes = 0): AppContext => ({
  ...demo.ctx,
  clock: { now: () => new Date(demo.now.getTime() - days * DAY_MS + minutes * 60_000) },
});

interface Spec extends TokenRequest {
  issuedAgo: number;
  /** Requests made, each `[days ago, minutes past that day's moment, method, path]`. */
  uses: [number, number, string, string][];
  revoke?: { ago: number; reason: string };
}

/**
 * API tokens (issue 28): the provincial one-stop system pushing dossiers, the Department of Science and
 * Technology's scoreboard reading figures, and an old token revoked with its reason; with a few logged requests so
 * that the admin's pages show something. Their texts are not kept anywhere: the admin issues a new token to try the API.
 */
export async function loadApiDemo(demo: DemoContext): Promise<void> {
  const today = todayLocal(demo.now, demo.ctx.config.timeZone);
  const admin = demo.byRole.admin;
  const specs: Spec[] = [
    {
      name: ONE_STOP_TOKEN,
      scopes: ['dossiers:write'],
      expires_on: addDays(today, 365),
      rate_limit: 600,
      issuedAgo: 20,
      uses: [
        [12, 5, 'POST', '/api/v1/dossiers:batch'],
        [6, 10, 'POST', '/api/v1/dossiers:batch'],
        [1, 15, 'POST', '/api/v1/dossiers:batch'],
      ],
    },
    {
      name: 'Bảng theo dõi của Sở KH&CN',
      scopes: ['reports:read', 'registers:read'],
      expires_on: addDays(today, 180),
      rate_limit: 120,
      issuedAgo: 15,
      uses: [
        [9, 0, 'GET', '/api/v1/procedures'],
        [2, 0, 'GET', '/api/v1/reports/summary?from=2026-01-01&to=2026-06-30'],
        [2, 1, 'GET', '/api/v1/documents/current'],
      ],
    },
    {
      name: 'Thử nghiệm kết nối (cũ)',
      scopes: ['registers:read'],
      expires_on: addDays(today, 30),
      rate_limit: 60,
      issuedAgo: 60,
      uses: [[58, 0, 'GET', '/api/v1/procedures']],
      revoke: { ago: 40, reason: 'Kết thúc thử nghiệm kết nối; hệ thống chính thức dùng mã riêng.' },
    },
  ];
  for (const spec of specs) {
    const issued = await createToken(daysAgo(demo, spec.issuedAgo), spec, admin);
    for (const [days, minutes, method, path] of spec.uses) {
      await insertDemoUse(demo.ctx.db, issued.id, daysAgo(demo, days, minutes).clock.now().toISOString(), method, path);
    }
    if (spec.revoke) await revokeToken(daysAgo(demo, spec.revoke.ago), issued.id, 1, spec.revoke.reason, admin);
  }
  demo.log(`API tokens: ${specs.length} (one revoked).`);
}

/**
 * The one-stop system's last push (after the demo's procedures and dossiers): a batch of the last days' dossiers
 * through the API's own service, so that the import history shows a push named after its token and the audit log its entry.
 */
export async function loadApiPushDemo(demo: DemoContext): Promise<void> {
  const pushed = await demoApiPush(demo.ctx, ONE_STOP_TOKEN);
  demo.log(`Dossiers pushed through the API: ${pushed.created}.`);
}
