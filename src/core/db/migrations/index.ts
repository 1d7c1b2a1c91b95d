/**
 * Every migration, by name. Listed here (not read from the folder at run time) so that the built server, one file,
 * carries them too; test/foundation/database.test.ts checks that this list and the folder agree.
 */
import type { Migration } from 'kysely';
import * as m0 from './2026_11_26_0900_create_core_tables';
import * as m1 from './2026_11_26_0910_create_signatures';
import * as m2 from './2026_11_26_1000_documents';
import * as m3 from './2026_11_26_1000_documents_search_indexes';
import * as m4 from './2026_11_26_1100_nonconformities';
import * as m5 from './2026_11_26_1200_audits';
import * as m6 from './2026_11_26_1300_dossiers';
import * as m7 from './2026_11_26_1400_reports';
import * as m8 from './2026_11_26_1400_reports_indexes';
import * as m9 from './2026_11_26_1450_actions_owner_done_index';
import * as m10 from './2026_11_26_1460_nc_status_code_index';
import * as m11 from './2026_11_26_1470_documents_fts_prefix';
import * as m11b from './2026_11_26_1480_revisions_awaiting_signature_index';
import * as m11c from './2026_11_26_1490_drop_dossier_date_indexes';
import * as m12 from './2026_11_26_1900_performance_indexes';
import * as m13 from './2026_12_05_0900_figure_changes';
import * as m14 from './2026_12_05_1000_dossier_stats_deltas';
import * as m15 from './2026_12_05_1100_revisions_effective_index';
import * as m16 from './2026_12_05_1200_auth_hardening';
import * as m17 from './2026_12_05_1300_audit_chain_key';
import * as m18 from './2026_12_05_1400_revision_duties';
import * as m19 from './2026_12_06_0900_procedure_kinds_terms';
import * as m20 from './2026_12_06_1200_dossier_handling_unit';
import * as m21 from './2026_12_06_1300_vocabulary';
import * as m22 from './2026_12_06_1400_action_due_history';
import * as m23 from './2026_12_06_1500_audit_cancelled_on';
import * as m24 from './2026_12_06_1600_review_due_changes';
import * as m25 from './2026_12_07_0900_documents_search_postgres';
import * as m26 from './2026_12_08_0900_report_nc_covering_indexes';
import * as m27 from './2026_12_08_1000_revisions_awaiting_order';
import * as m28 from './2026_12_08_1100_nc_register_counts';
import * as m29 from './2026_12_08_1200_documents_search_candidates';
import * as mDashboardReadIndexes from './2026_12_09_0900_dashboard_read_indexes';
import * as mOverviewCounts from './2026_12_09_0910_overview_counts';
import * as mOpenActionDueCounts from './2026_12_09_0920_open_action_due_counts';
import * as mNcReportSpans from './2026_12_09_1000_nc_report_spans';
import * as mDossierImportRefs from './2026_12_09_1100_dossier_import_refs';
import * as mRevisionsDueIndex from './2026_12_09_1400_revisions_due_index';
import * as mOrganisations from './2026_12_10_0900_organisations';
import * as mOrgIndexesRegister from './2026_12_10_1000_org_indexes_register';
import * as mOrgIndexesDashboard from './2026_12_10_1600_org_indexes_dashboard';
import * as mOrgIndexesDocuments from './2026_12_10_1100_org_indexes_documents';
import * as mOrgIndexesNonconformities from './2026_12_10_1200_org_indexes_nonconformities';
import * as mOrgIndexesAudits from './2026_12_10_1300_org_indexes_audits';
import * as mOrgIndexesRegisters from './2026_12_10_1500_org_indexes_registers';
import * as mOversight from './2026_12_11_1000_oversight';
import * as mInspector from './2026_12_11_0900_inspector';
import * as mNcHistoryOrgIndex from './2026_12_11_1200_nc_history_org_index';
import * as mAuditChainPerOrganisation from './2026_12_12_0900_audit_chain_per_organisation';
import * as mOrganisationIdRequired from './2026_12_12_1000_organisation_id_required';
import * as mReviewDueCovering from './2026_12_12_1100_review_due_covering';
import * as mQmsDeclarations from './2026_12_12_1200_qms_declarations';
import * as mRisks from './2026_12_13_0900_risks';
import * as mQualityObjectives from './2026_12_13_1000_quality_objectives';
import * as mAnnualReportPeriod from './2026_12_13_1050_annual_report_period';
import * as mManagementReviews from './2026_12_13_1100_management_reviews';
import * as mApologySlips from './2026_12_14_0900_apology_slips';
import * as mSurveys from './2026_12_15_0900_surveys';
import * as mFeedback from './2026_12_15_1000_feedback';
import * as mSigners from './2026_12_16_0900_signers';
import * as mRevisionSources from './2026_12_16_1000_revision_sources';
import * as mNotifications from './2026_12_17_0900_notifications';
import * as mAuditLibraryCompetence from './2026_12_18_0900_audit_library_competence';
import * as mApiTokens from './2026_12_19_0900_api_tokens';

export const MIGRATIONS: Record<string, Migration> = {
  '2026_11_26_0900_create_core_tables': m0,
  '2026_11_26_0910_create_signatures': m1,
  '2026_11_26_1000_documents': m2,
  '2026_11_26_1000_documents_search_indexes': m3,
  '2026_11_26_1100_nonconformities': m4,
  '2026_11_26_1200_audits': m5,
  '2026_11_26_1300_dossiers': m6,
  '2026_11_26_1400_reports': m7,
  '2026_11_26_1400_reports_indexes': m8,
  '2026_11_26_1450_actions_owner_done_index': m9,
  '2026_11_26_1460_nc_status_code_index': m10,
  '2026_11_26_1470_documents_fts_prefix': m11,
  '2026_11_26_1480_revisions_awaiting_signature_index': m11b,
  '2026_11_26_1490_drop_dossier_date_indexes': m11c,
  '2026_11_26_1900_performance_indexes': m12,
  '2026_12_05_0900_figure_changes': m13,
  '2026_12_05_1000_dossier_stats_deltas': m14,
  '2026_12_05_1100_revisions_effective_index': m15,
  '2026_12_05_1200_auth_hardening': m16,
  '2026_12_05_1300_audit_chain_key': m17,
  '2026_12_05_1400_revision_duties': m18,
  '2026_12_06_0900_procedure_kinds_terms': m19,
  '2026_12_06_1200_dossier_handling_unit': m20,
  '2026_12_06_1300_vocabulary': m21,
  '2026_12_06_1400_action_due_history': m22,
  '2026_12_06_1500_audit_cancelled_on': m23,
  '2026_12_06_1600_review_due_changes': m24,
  '2026_12_07_0900_documents_search_postgres': m25,
  '2026_12_08_0900_report_nc_covering_indexes': m26,
  '2026_12_08_1000_revisions_awaiting_order': m27,
  '2026_12_08_1100_nc_register_counts': m28,
  '2026_12_08_1200_documents_search_candidates': m29,
  '2026_12_09_0900_dashboard_read_indexes': mDashboardReadIndexes,
  '2026_12_09_0910_overview_counts': mOverviewCounts,
  '2026_12_09_0920_open_action_due_counts': mOpenActionDueCounts,
  '2026_12_09_1000_nc_report_spans': mNcReportSpans,
  '2026_12_09_1100_dossier_import_refs': mDossierImportRefs,
  '2026_12_09_1400_revisions_due_index': mRevisionsDueIndex,
  '2026_12_10_0900_organisations': mOrganisations,
  '2026_12_10_1000_org_indexes_register': mOrgIndexesRegister,
  '2026_12_10_1600_org_indexes_dashboard': mOrgIndexesDashboard,
  '2026_12_10_1100_org_indexes_documents': mOrgIndexesDocuments,
  '2026_12_10_1200_org_indexes_nonconformities': mOrgIndexesNonconformities,
  '2026_12_10_1300_org_indexes_audits': mOrgIndexesAudits,
  '2026_12_10_1500_org_indexes_registers': mOrgIndexesRegisters,
  '2026_12_11_1000_oversight': mOversight,
  '2026_12_11_0900_inspector': mInspector,
  '2026_12_11_1200_nc_history_org_index': mNcHistoryOrgIndex,
  '2026_12_12_0900_audit_chain_per_organisation': mAuditChainPerOrganisation,
  '2026_12_12_1000_organisation_id_required': mOrganisationIdRequired,
  '2026_12_12_1100_review_due_covering': mReviewDueCovering,
  '2026_12_12_1200_qms_declarations': mQmsDeclarations,
  '2026_12_13_0900_risks': mRisks,
  '2026_12_13_1000_quality_objectives': mQualityObjectives,
  '2026_12_13_1050_annual_report_period': mAnnualReportPeriod,
  '2026_12_13_1100_management_reviews': mManagementReviews,
  '2026_12_14_0900_apology_slips': mApologySlips,
  '2026_12_15_0900_surveys': mSurveys,
  '2026_12_15_1000_feedback': mFeedback,
  '2026_12_16_0900_signers': mSigners,
  '2026_12_16_1000_revision_sources': mRevisionSources,
  '2026_12_17_0900_notifications': mNotifications,
  '2026_12_18_0900_audit_library_competence': mAuditLibraryCompetence,
  '2026_12_19_0900_api_tokens': mApiTokens,
};
