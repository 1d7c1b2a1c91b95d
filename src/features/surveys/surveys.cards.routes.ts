import type { Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../core/context';
import { parseForm } from '../../core/http/forms';
import { NotFound } from '../../core/http/errors';
import { idParam } from '../../core/http/params';
import { QUALITY } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { findOrganisation } from '../organisation/organisation.queries';
import { listProcedureOptions } from '../procedures/procedures.queries';
import { safeFileName } from '../reports/reports.csv';
import { sendDownload } from '../reports/reports.http';
import { CARD_SIZES, COUNTER_MAX, organisationCode, qrSvg, surveyUrl } from './surveys.cards';

/**
 * The survey cards (issue 24): the quality officer picks procedures and, optionally, the counter the cards stand at,
 * and prints one card per procedure — the office's name, the procedure, the QR code of its public survey page and the
 * address written out — in A6 (four on an A4 sheet) or A5 (two). The QR code alone, as an SVG file, goes onto receipts
 * printed by other systems.
 */
const VIEW = 'surveys/cards';

const ids = z.preprocess(
  (v): unknown[] => (v === undefined ? [] : Array.isArray(v) ? (v as unknown[]) : [v]),
  z.array(z.coerce.number().int().positive()).max(1000),
);
const CardsQuery = z.object({
  procedure: ids,
  all: z.enum(['1']).optional(),
  counter: z
    .string()
    .trim()
    .max(COUNTER_MAX, { message: `validation.too_long|${COUNTER_MAX}` })
    .default(''),
  size: z.enum(CARD_SIZES).default('a6'),
});
const QrQuery = z.object({ counter: z.string().trim().max(COUNTER_MAX).default('') });

/** The base of the survey addresses: PUBLIC_URL, else the address this page was reached at. */
const baseOf = (ctx: AppContext, req: Request) => ctx.config.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;

export function surveyCardsRoutes(ctx: AppContext): RouteTable {
  return new RouteTable()
    .get('/surveys/cards', QUALITY, async (req, res) => {
      const procedures = await listProcedureOptions(ctx.db);
      const locals = {
        pageTitle: 'surveys.cards.title',
        procedures,
        sizeOptions: CARD_SIZES.map((value) => ({ value })),
        publicUrlSet: ctx.config.publicUrl !== undefined,
      };
      const q = parseForm(CardsQuery, req.query, { view: VIEW, locals: { ...locals, values: { size: 'a6' }, cards: [] } });
      const chosen = new Set(q.procedure);
      const [org, code] = await Promise.all([findOrganisation(ctx.db), organisationCode(ctx.db)]);
      const base = baseOf(ctx, req);
      const cards = procedures
        .filter((p) => q.all === '1' || chosen.has(p.id))
        .map((p) => ({
          ...p,
          // the address written out is the one a citizen types: the counter is in the QR code only
          url: surveyUrl(base, code, p.code),
          qr: `/surveys/cards/${p.id}/qr.svg${q.counter ? `?counter=${encodeURIComponent(q.counter)}` : ''}`,
        }));
      res.render(VIEW, {
        ...locals,
        procedures: procedures.map((p) => ({ ...p, checked: q.all === '1' || chosen.has(p.id) })),
        values: { counter: q.counter, size: q.size },
        office: org?.name ?? '',
        parentAgency: org?.parent_agency ?? '',
        counter: q.counter,
        size: q.size,
        cards,
      });
    })
    .get('/surveys/cards/:id/qr.svg', QUALITY, async (req, res) => {
      const id = idParam(req);
      const q = QrQuery.safeParse(req.query);
      const p = (await listProcedureOptions(ctx.db)).find((x) => x.id === id);
      if (!p || !q.success) throw new NotFound();
      const svg = await qrSvg(surveyUrl(baseOf(ctx, req), await organisationCode(ctx.db), p.code, q.data.counter || undefined));
      res.setHeader('Cache-Control', 'private, no-store');
      sendDownload(res, Buffer.from(svg, 'utf8'), 'image/svg+xml; charset=utf-8', safeFileName(`khao-sat-${p.code}.svg`));
    });
}
