import type { Generated } from 'kysely';
import type { DecisionKind, ReviewStatus } from './reviews.model';

/** Management reviews and their decisions (migration 2026_12_13_1100_management_reviews), added to the Database type in src/features/tables.ts. */
export interface ManagementReviewsTable {
  id: Generated<number>;
  organisation_id: number;
  /** XXLĐ-2026-01, XXLĐ-2026-02, … within the organisation, by the year held. */
  code: string;
  /** The registry number of the minutes ("Số: …/BB-…"), empty for the clerk to write in. */
  number_text: string | null;
  period_from: string;
  period_to: string;
  held_on: string;
  place: string;
  /** The leader who chairs the meeting and signs the minutes. */
  chair_id: number;
  secretary_id: number;
  /** JSON array of the ids of the organisation's users who attended. */
  attendee_ids: Generated<string>;
  /** Guests (not users of the app), free text. */
  guests: Generated<string>;
  /** JSON object: the leaders' assessment of each input (reviews.model.ts INPUTS), keyed by input. */
  assessments: Generated<string>;
  /** On the suitability, adequacy and effectiveness of the QMS (clause 9.3.3). */
  conclusions: Generated<string>;
  status: Generated<ReviewStatus>;
  /** Frozen when signed: the data pack (reviews.figures.ts ReviewPack), the letterhead and the people of the minutes. */
  pack_json: string | null;
  letterhead_json: string | null;
  as_of: string | null;
  content_sha256: string | null;
  signature_id: number | null;
  signed_by: number | null;
  signed_at: string | null;
  created_by: number | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

/** A decision of a review (clause 9.3.3); its action is an nc_actions row with review_decision_id. Never changed. */
export interface ManagementReviewDecisionsTable {
  id: Generated<number>;
  organisation_id: number;
  review_id: number;
  seq: number;
  kind: DecisionKind;
  description: string;
  locked: Generated<number>;
  created_by: number | null;
  created_at: string;
}

export interface ReviewsTables {
  management_reviews: ManagementReviewsTable;
  management_review_decisions: ManagementReviewDecisionsTable;
}
