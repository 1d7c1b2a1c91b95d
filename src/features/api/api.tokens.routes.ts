import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { NotFound } from '../../core/http/errors';
import { idParam } from '../../core/http/params';
import { ADMIN } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { todayOf } from '../../core/http/today';
import { DAY_MS } from '../../core/calendar/dates';
import { API_SCOPES } from './api.tables';
import { countTokenUsesSince, findToken, listTokens, listTokenUses, type TokenRow } from './api.tokens.admin.queries';
import { isExpired, scopesOf } from './api.tokens.model';
import { createTokenForm, DEFAULT_RATE_LIMIT, latestExpiry, parseTokenForm, RevokeTokenForm } from './api.tokens.schemas';
import { createToken, revokeToken } from './api.tokens.service';

const LIST = 'api/tokens';
const DETAIL = 'api/token';
const CREATED = 'api/token-created';
/** The window of the "uses" figures: the last 30 days. */
const RECENT_DAYS = 30;

export type TokenStatus = 'valid' | 'expired' | 'revoked';

const statusOf = (t: Pick<TokenRow, 'revoked_at' | 'expires_on'>, today: string): TokenStatus =>
  t.revoked_at !== null ? 'revoked' : isExpired(t.expires_on, today) ? 'expired' : 'valid';

/** A token as the pages show it: its scopes as a list and its status on `today`. */
const shown = <T extends TokenRow>(t: T, today: string) => ({ ...t, scopeList: scopesOf(t.scopes), status: statusOf(t, today) });

/** Where the API answers, for the example of the created page: the configured public address, else this request's. */
const baseUrlOf = (ctx: AppContext, req: Request) => (ctx.config.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/+$/, '');

export function apiTokensRoutes(ctx: AppContext): RouteTable {
  const since = () => new Date(ctx.clock.now().getTime() - RECENT_DAYS * DAY_MS).toISOString();
  const scopeOptions = API_SCOPES.map((value) => ({ value }));

  /** The list page's locals: the tokens, and the create form with its bounds for `today`. */
  const listLocals = async (today: string) => ({
    pageTitle: 'api.tokens.title',
    tokens: (await listTokens(ctx.db, since())).map((t) => ({ ...shown(t, today), recent_uses: Number(t.recent_uses) })),
    scopeOptions,
    minExpiry: today,
    maxExpiry: latestExpiry(today),
  });

  const detailLocals = async (token: TokenRow, today: string) => ({
    pageTitle: 'api.tokens.detail_title',
    token: shown(token, today),
    uses: await listTokenUses(ctx.db, token.id),
    recentUses: await countTokenUsesSince(ctx.db, token.id, since()),
  });

  const loadToken = async (req: Request) => {
    const token = await findToken(ctx.db, idParam(req));
    if (!token) throw new NotFound();
    return token;
  };

  return new RouteTable()
    .get('/admin/api-tokens', ADMIN, async (_req, res) => {
      res.render(LIST, { ...(await listLocals(todayOf(res))), values: { rate_limit: DEFAULT_RATE_LIMIT, scopes: [] }, errors: {} });
    })
    .post('/admin/api-tokens', ADMIN, async (req, res) => {
      const today = todayOf(res);
      const form = parseTokenForm(createTokenForm(today), req.body, { view: LIST, locals: await listLocals(today) });
      const issued = await createToken(ctx, form, req.user!.id);
      // Shown here once, never stored: not a redirect, so that no later page can show it again (no-store is app-wide).
      res.render(CREATED, {
        pageTitle: 'api.tokens.created_title',
        issued,
        name: form.name,
        scopeList: [...form.scopes].sort(),
        expiresOn: form.expires_on,
        baseUrl: baseUrlOf(ctx, req),
      });
    })
    .get('/admin/api-tokens/:id', ADMIN, async (req, res) => {
      const token = await loadToken(req);
      res.render(DETAIL, { ...(await detailLocals(token, todayOf(res))), values: {}, errors: {} });
    })
    .post('/admin/api-tokens/:id/revoke', ADMIN, async (req, res) => {
      const token = await loadToken(req);
      const form = parseTokenForm(RevokeTokenForm, req.body, { view: DETAIL, locals: await detailLocals(token, todayOf(res)) });
      await revokeToken(ctx, token.id, form.version, form.reason, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'api.tokens.revoked_flash', params: { name: token.name } });
      res.redirect(303, `/admin/api-tokens/${token.id}`);
    });
}
