import type { AppContext } from '../core/context';
import type { RouteTable } from '../core/http/routes';
// Loaded first for what they do: every feature's catalog added to core's (createApp's pages and the features' texts),
// and the handlers of one feature's events that other features answer.
import './catalogs';
import './hooks';
import { authRoutes } from './auth/auth.routes';
import { usersRoutes } from './users/users.routes';
import { unitsRoutes } from './units/units.routes';
import { organisationRoutes } from './organisation/organisation.routes';
import { organisationAdminRoutes } from './organisations/organisations.routes';
import { reorgRoutes } from './organisation/organisation.reorg.routes';
import { signersRoutes } from './organisation/organisation.signers.routes';
import { proceduresRoutes } from './procedures/procedures.routes';
import { auditLogRoutes } from './audit-log/audit-log.routes';
import { documentsRoutes } from './documents/documents.routes';
import { nonconformitiesRoutes } from './nonconformities/nonconformities.routes';
import { actionsRoutes } from './nonconformities/nonconformities.actions.routes';
import { auditsRoutes } from './audits/audits.routes';
import { dossiersRoutes } from './dossiers/dossiers.routes';
import { holidaysRoutes } from './holidays/holidays.routes';
import { reportsRoutes } from './reports/reports.routes';
import { dashboardRoutes } from './dashboard/dashboard.routes';
import { oversightRoutes } from './oversight/oversight.routes';
import { declarationsRoutes } from './declarations/declarations.routes';
import { objectivesRoutes } from './objectives/objectives.routes';
import { risksRoutes } from './risks/risks.routes';
import { reviewsRoutes } from './reviews/reviews.routes';
import { apologiesRoutes } from './apologies/apologies.routes';
import { surveyCardsRoutes } from './surveys/surveys.cards.routes';
import { surveyResultsRoutes } from './surveys/surveys.results.routes';
import { feedbackRoutes } from './feedback/feedback.routes';
import { outboxRoutes } from './notifications/notifications.outbox.routes';
import { inboxRoutes } from './notifications/notifications.inbox.routes';
import { surveysPublicRoutes } from './surveys/surveys.public.routes';
import { surveysRoutes } from './surveys/surveys.routes';
import { surveysResponsesRoutes } from './surveys/surveys.responses.routes';
import { notificationSettingsRoutes } from './notifications/notifications.settings.routes';
import { competenceRoutes } from './competence/competence.routes';
import { apiTokensRoutes } from './api/api.tokens.routes';

/** The JSON API (/api/v1), mounted by createApp before the session and CSRF layers. */
export { apiRouter } from './api/api.routes';

/** Every feature's routes, in mounting order. */
export const featureRoutes: ((ctx: AppContext) => RouteTable)[] = [
  authRoutes,
  dashboardRoutes,
  usersRoutes,
  unitsRoutes,
  organisationRoutes,
  organisationAdminRoutes,
  reorgRoutes,
  proceduresRoutes,
  auditLogRoutes,
  documentsRoutes,
  nonconformitiesRoutes,
  actionsRoutes,
  auditsRoutes,
  dossiersRoutes,
  holidaysRoutes,
  reportsRoutes,
  oversightRoutes,
  declarationsRoutes,
  objectivesRoutes,
  risksRoutes,
  reviewsRoutes,
  apologiesRoutes,
  surveyCardsRoutes,
  surveyResultsRoutes,
  feedbackRoutes,
  surveysPublicRoutes,
  surveysRoutes,
  surveysResponsesRoutes,
  signersRoutes,
  notificationSettingsRoutes,
  outboxRoutes,
  inboxRoutes,
  competenceRoutes,
  apiTokensRoutes,
];
