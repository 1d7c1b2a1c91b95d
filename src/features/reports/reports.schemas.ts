import { z } from 'zod';
import { optionalInt, optionalLongText, optionalText, requiredInt, requiredText } from '../../core/http/forms';
import { NARRATIVE_SECTIONS, type NarrativeSection } from './reports.annual.figures';

/** Forms of the reports feature. */
export const NARRATIVE_MAX = 4000;

/** The annual report's narratives (one per section), its registry number and the version it was loaded with. */
const narrativeFields = Object.fromEntries(NARRATIVE_SECTIONS.map((s) => [`narrative_${s}`, optionalLongText(NARRATIVE_MAX)])) as Record<
  `narrative_${NarrativeSection}`,
  ReturnType<typeof optionalLongText>
>;

export const AnnualDraftForm = z
  .object({
    ...narrativeFields,
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
