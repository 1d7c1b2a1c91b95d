import type { DocumentsTables } from './documents/documents.tables';
import type { NonconformitiesTables } from './nonconformities/nonconformities.tables';
import type { ActionsTables } from './nonconformities/nonconformities.actions.tables';
import type { AuditsTables } from './audits/audits.tables';
import type { DossiersTables } from './dossiers/dossiers.tables';
import type { HolidaysTables } from './holidays/holidays.tables';
import type { ReportsTables } from './reports/reports.tables';
import type { DashboardTables } from './dashboard/dashboard.tables';
import type { DeclarationsTables } from './declarations/declarations.tables';
import type { RisksTables } from './risks/risks.tables';
import type { ReviewsTables } from './reviews/reviews.tables';
import type { ObjectivesTables } from './objectives/objectives.tables';
import type { ApologiesTables } from './apologies/apologies.tables';
import type { SurveysTables } from './surveys/surveys.tables';
import type { FeedbackTables } from './feedback/feedback.tables';
import type { SignersTables } from './organisation/organisation.signers.tables';
import type { NotificationsTables } from './notifications/notifications.tables';
import type { CompetenceTables } from './competence/competence.tables';
import type { ApiTables } from './api/api.tables';

/**
 * Every feature's tables, added to core's Database type by module augmentation: core/db/schema.ts declares
 * `interface DB` with the core tables and imports no feature; the declaration below merges into that same
 * interface, so `Kysely<DB>` (the `Db` every query takes) knows every table, in core and in features alike.
 * Nothing imports this file: the compiler reads it because tsconfig includes src. A new feature with tables
 * adds its `<Feature>Tables` here.
 */
declare module '../core/db/schema' {
  interface DB
    extends
      DocumentsTables,
      NonconformitiesTables,
      ActionsTables,
      AuditsTables,
      DossiersTables,
      HolidaysTables,
      ReportsTables,
      DashboardTables,
      DeclarationsTables,
      RisksTables,
      ObjectivesTables,
      ReviewsTables,
      ApologiesTables,
      SurveysTables,
      FeedbackTables,
      SignersTables,
      NotificationsTables,
      CompetenceTables,
      ApiTables {}
}
