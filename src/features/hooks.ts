import { revisionEffectiveHooks } from './documents/documents.workflow';
import { completeReviseDocumentActions } from './nonconformities/nonconformities.actions.service';

/**
 * Cross-feature events, wired here so that the feature raising an event imports none of the features that
 * answer it: documents runs its revisionEffectiveHooks inside the transaction of the change, and the handlers
 * are added below. Loaded by src/features/index.ts (so by createApp and the server) and by src/features/demo.ts (the CLI's demo).
 */
revisionEffectiveHooks.push(completeReviseDocumentActions);
