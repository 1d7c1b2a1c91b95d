import { addCatalogs } from '../core/i18n';
import * as auth from './auth/auth.i18n';
import * as users from './users/users.i18n';
import * as units from './units/units.i18n';
import * as organisation from './organisation/organisation.i18n';
import * as reorg from './organisation/organisation.reorg.i18n';
import * as signers from './organisation/organisation.signers.i18n';
import * as procedures from './procedures/procedures.i18n';
import * as auditLog from './audit-log/audit-log.i18n';
import * as documents from './documents/documents.i18n';
import * as nonconformities from './nonconformities/nonconformities.i18n';
import * as actions from './nonconformities/nonconformities.actions.i18n';
import * as audits from './audits/audits.i18n';
import * as auditRecording from './audits/audits.recording.i18n';
import * as auditLibrary from './audits/audits.library.i18n';
import * as auditFill from './audits/audits.fill.i18n';
import * as dossiers from './dossiers/dossiers.i18n';
import * as holidays from './holidays/holidays.i18n';
import * as reports from './reports/reports.i18n';
import * as dashboard from './dashboard/dashboard.i18n';
import * as oversight from './oversight/oversight.i18n';
import * as declarations from './declarations/declarations.i18n';
import * as objectives from './objectives/objectives.i18n';
import * as risks from './risks/risks.i18n';
import * as reviews from './reviews/reviews.i18n';
import * as apologies from './apologies/apologies.i18n';
import * as surveyCards from './surveys/surveys.cards.i18n';
import * as surveyResults from './surveys/surveys.results.i18n';
import * as feedback from './feedback/feedback.i18n';
import * as surveys from './surveys/surveys.i18n';
import * as surveysPublic from './surveys/surveys.public.i18n';
import * as importErrors from '../core/import/import.i18n';
import * as notifications from './notifications/notifications.i18n';
import * as notificationMail from './notifications/notifications.mail.i18n';
import * as reminders from './notifications/notifications.reminders.i18n';
import * as competence from './competence/competence.i18n';
import * as api from './api/api.i18n';
import * as apiRegisters from './api/api.registers.i18n';
import * as apiDocs from './api/api.docs.i18n';
import * as apiDossiers from './api/api.dossiers.i18n';
import * as apiTokens from './api/api.tokens.i18n';

/**
 * Every feature's catalog, added to core's catalogs when this file is loaded (addCatalogs refuses a key defined
 * twice). Every entry point that translates loads it: createApp through src/features/index.ts, and the CLI.
 */
export const featureCatalogs: { vi: Record<string, string>; en: Record<string, string> }[] = [
  notifications,
  notificationMail,
  reminders,
  auth,
  users,
  units,
  organisation,
  reorg,
  procedures,
  auditLog,
  documents,
  nonconformities,
  actions,
  audits,
  auditRecording,
  auditLibrary,
  auditFill,
  dossiers,
  holidays,
  reports,
  dashboard,
  oversight,
  declarations,
  objectives,
  risks,
  reviews,
  apologies,
  surveyCards,
  surveyResults,
  feedback,
  surveys,
  surveysPublic,
  importErrors,
  signers,
  competence,
  api,
  apiRegisters,
  apiDocs,
  apiDossiers,
  apiTokens,
];

addCatalogs(featureCatalogs);
