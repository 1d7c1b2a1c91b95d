import type { Request, Response, Router } from 'express';
import type { AppContext } from '../../core/context';
import { isLang, type Lang } from '../../core/i18n';
import { docsModel } from './api.docs.model';
import { langOfHeader, problemType } from './api.problems';
import { RATE_WINDOW_SECONDS } from './api.http';

/**
 * GET /api/v1/docs: the readable page of the OpenAPI document (public, like the document itself), rendered from the
 * document on each request. It sits outside the session layer, so it has its own plain layout (no menu, no user) and
 * is given everything that layout shows. Language: `?lang=vi|en`, else Accept-Language, else Vietnamese.
 */
export function addDocsPage(router: Router, _ctx: AppContext, document: () => Record<string, unknown>): void {
  router.get('/docs', (req: Request, res: Response) => {
    const asked = req.query.lang;
    const lang: Lang = isLang(asked) ? asked : langOfHeader(req.headers['accept-language']);
    const otherLang: Lang = lang === 'vi' ? 'en' : 'vi';
    const doc = document();
    const info = (doc.info ?? {}) as { version?: string };
    res.set('Content-Language', lang).set('Vary', 'Accept-Language');
    res.render('api/docs', {
      layout: 'standalone',
      lang,
      otherLang,
      langSwitchUrl: `/api/v1/docs?lang=${otherLang}`,
      pageTitle: 'api.docs.title',
      version: info.version ?? '',
      windowSeconds: RATE_WINDOW_SECONDS,
      problemTypeExample: problemType('not_found'),
      ...docsModel(doc, lang),
    });
  });
}
