import { z } from 'zod';
import { optionalInt, optionalLongText, optionalText, requiredInt, requiredText } from '../../core/http/forms';

/** Forms of the reports feature. */
export const NARRATIVE_MAX = 4000;

/** The annual report's narratives (one per section), its registry number and the version it was loaded with. */
export const AnnualDraftForm = z
  .object({
    narrative_procedures: optionalLongText(NARRATIVE_MAX),
    narrative_documents: optionalLongText(NARRATIVE_MAX),
    narrative_audits: optionalLongText(NARRATIVE_MAX),
    narrative_nonconformities: optionalLongText(NARRATIVE_MAX),
    narrative_dossiers: optionalLongText(NARRATIVE_MAX),
    narrative_conclusion: optionalLongText(NARRATIVE_MAX),
    number_text: optionalText(20),
    version: optionalInt(1, Number.MAX_SAFE_INTEGER),
  })
  .strict();

/** Issuing: the leader re-enters their password (e-signature). */
export const AnnualIssueForm = z
  .object({
    password: requiredText(128),
    version: requiredInt(1, Number.MAX_SAFE_INTEGER),
  })
  .strict();
