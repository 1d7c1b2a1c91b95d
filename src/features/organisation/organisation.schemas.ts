import { z } from 'zod';
import { ANNUAL_PERIODS } from './organisation.queries';
import { DOC_KINDS, type DocKind } from './organisation.print';
import { optionalDate, optionalEnum, optionalLongText, optionalText, requiredInt, requiredText } from '../../core/http/forms';

export const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const organisationFields = {
  name: requiredText(200),
  parent_agency: optionalText(200),
  place_name: optionalText(100),
  report_number_suffix: optionalText(50),
  signer_title: optionalText(200),
  signer_name: optionalText(100),
  time_zone: requiredText(64).refine(isTimeZone, 'validation.time_zone'),
  recipients: optionalLongText(2000),
};

/** One recipients list per kind of document (`recipients_<kind>`; empty: the general list prints). */
export const recipientsFields = Object.fromEntries(DOC_KINDS.map((kind) => [`recipients_${kind}`, optionalLongText(2000)])) as Record<
  `recipients_${DocKind}`,
  ReturnType<typeof optionalLongText>
>;

export const OrganisationForm = z
  .object({
    ...organisationFields,
    ...recipientsFields,
    not_applicable_clauses: optionalText(200),
    /** Different people a document revision needs: '3' or '2' (absent: unchanged). */
    revision_signers: optionalEnum(['3', '2']),
    /** The QMS's declaration of conformity (công bố HTQLCL phù hợp TCVN ISO 9001:2015): empty while none; not after today (checked by the route). */
    qms_declared_on: optionalDate(),
    /** The annual report's period (absent: unchanged). */
    annual_period: optionalEnum(ANNUAL_PERIODS),
    version: requiredInt(1, Number.MAX_SAFE_INTEGER),
  })
  .strict();
