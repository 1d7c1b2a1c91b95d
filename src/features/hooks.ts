import { recordHooks } from '../core/audit-log/audit-log';
import { noticesOfEntry } from './notifications/notifications.events';
import { revisionEffectiveHooks } from './documents/documents.workflow';
import { completeReviseDocumentActions } from './nonconformities/nonconformities.actions.service';
import { recomputeDueDates, recomputeProcedureDueDates } from './dossiers/dossiers.due';
import { loadWorkCalendar } from './holidays/holidays.calendar';
import { calendarChangeHooks } from './holidays/holidays.service';
import { procedureTermsHooks } from './procedures/procedures.service';
import { annualSectionHooks } from './reports/reports.annual.sections';
import { annualDeclarations } from './declarations/declarations.annual';
import { annualObjectives } from './objectives/objectives.annual';
import { annualRisks } from './risks/risks.annual';
import { annualReviews } from './reviews/reviews.annual';
import { importedSlipsHooks } from './dossiers/dossiers.import.slips';
import { recordImportedSlips } from './apologies/apologies.import';
import { procedureSatisfactionHooks } from './reports/reports.satisfaction';
import { annualSatisfaction, procedureSatisfactionFigures } from './surveys/surveys.annual';
import { surveyDiscardHooks, surveyFeedbackHooks } from './surveys/surveys.hooks';
import { ncOriginHooks } from './nonconformities/nonconformities.view';
import { cancelFeedbackOfDiscarded, openFeedbackFromSurvey } from './feedback/feedback.survey.service';
import { feedbackOriginOfNc } from './feedback/feedback.view';
import { annualFeedback } from './feedback/feedback.annual';
import { annualTraining } from './competence/competence.annual';

/**
 * Cross-feature events, wired here so that the feature raising an event imports none of the features that
 * answer it: documents runs its revisionEffectiveHooks inside the transaction of the change, and the handlers
 * are added below. Loaded by src/features/index.ts (so by createApp and the server), by src/features/demo.ts (the CLI's
 * demo), by the CLI's import:holidays and import:procedures, whose changes move due dates, and by the CLI's
 * import:dossiers and the web import's worker (src/features/import-worker.ts), which record the apology slips a dossier file gives.
 */
revisionEffectiveHooks.push(completeReviseDocumentActions);
// Due dates computed from the calendar and the processing days follow a change of either (issue 20, point 2).
calendarChangeHooks.push(async (trx, dates, at) => recomputeDueDates(trx, dates, await loadWorkCalendar(trx), at));
procedureTermsHooks.push(async (trx, change) => (await recomputeProcedureDueDates(trx, change, await loadWorkCalendar(trx))).length);
// The annual QMS report's sections kept by other features (issue 23): reports imports none of them.
annualSectionHooks.push(annualDeclarations, annualReviews, annualObjectives, annualRisks);
// The apology slips a dossier file gives are recorded by the apologies feature (issue 24): dossiers imports none of it.
importedSlipsHooks.push(recordImportedSlips);
// Citizens' satisfaction surveys in the annual report and the compliance report per procedure (issue 24).
annualSectionHooks.push(annualSatisfaction);
procedureSatisfactionHooks.push(procedureSatisfactionFigures);
// Citizens' voice (issue 24): a survey answer needing triage opens a feedback record (cancelled if the answer is then
// discarded as spam), and an NC raised from feedback names it on its page.
surveyFeedbackHooks.push(openFeedbackFromSurvey);
surveyDiscardHooks.push(cancelFeedbackOfDiscarded);
ncOriginHooks.push(feedbackOriginOfNc);
annualSectionHooks.push(annualFeedback);
// Training held, in the annual report (competence, issue 27).
annualSectionHooks.push(annualTraining);
// Reminders (issue 26): the changes that make something wait for a person put it in their inbox, in their transaction.
recordHooks.push(noticesOfEntry);
