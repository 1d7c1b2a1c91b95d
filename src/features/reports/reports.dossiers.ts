/**
 * The dossier figures of the national form (Biểu II.06a) as the reports use them: exactly the fields of
 * shared/domain/REPORTING.md, in the form's order, whatever else the dossiers feature returns.
 */
export const DOSSIER_FIELDS = [
  'carriedOver',
  'newlyReceived',
  'newlyReceivedOnline',
  'newlyReceivedDirect',
  'newlyReceivedPostal',
  'received',
  'resolved',
  'early',
  'onTime',
  'late',
  'pending',
  'pendingOnTrack',
  'pendingOverdue',
] as const;
export type DossierCountField = (typeof DOSSIER_FIELDS)[number];

export type DossierFigures = Record<DossierCountField, number> & { onTimeRate: number | null };

export function emptyDossiers(): DossierFigures {
  const out = { onTimeRate: null } as DossierFigures;
  for (const f of DOSSIER_FIELDS) out[f] = 0;
  return out;
}

export function pickDossiers(raw: Record<DossierCountField, number> & { onTimeRate: number | null }): DossierFigures {
  const out = { onTimeRate: null } as DossierFigures;
  for (const f of DOSSIER_FIELDS) out[f] = Number(raw[f] ?? 0);
  out.onTimeRate = raw.onTimeRate ?? null;
  return out;
}

/** Sums figures (months, procedures); the rate is recomputed from the sums. */
export function sumDossiers(list: readonly DossierFigures[]): DossierFigures {
  const out = emptyDossiers();
  for (const d of list) for (const f of DOSSIER_FIELDS) out[f] += d[f];
  out.onTimeRate = out.resolved === 0 ? null : (out.early + out.onTime) / out.resolved;
  return out;
}
