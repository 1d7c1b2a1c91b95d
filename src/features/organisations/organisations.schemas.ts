import { z } from 'zod';
import { optionalId, requiredEnum, requiredId, requiredText } from '../../core/http/forms';
import { ORGANISATION_KINDS } from '../../core/db/schema';
import { usernameField } from '../users/users.schemas';
import { ORGANISATION_CODE } from '../organisation/organisation.tree.service';

/**
 * The form that adds an organisation under the administrator's own (organisation.admin.routes.ts): the organisation,
 * the register it starts from (optional) and its first administrator. The parent and the template are ids from the
 * page's selects; the route checks them against those lists (the subtree, the templates) before the service does.
 */
export const NewOrganisationForm = z
  .object({
    code: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim() : v),
      z.string({ required_error: 'validation.required' }).min(1, 'validation.required').regex(ORGANISATION_CODE, 'validation.organisation_code'),
    ),
    name: requiredText(200),
    kind: requiredEnum(ORGANISATION_KINDS),
    parent_id: requiredId(),
    template_id: optionalId(),
    admin_username: usernameField(),
    admin_full_name: requiredText(100),
  })
  .strict();
