import { z } from 'zod';

/** The inbox's forms (mark one read, mark all read): only the filter to return to; any other field is refused. */
export const MarkReadForm = z.object({ show: z.enum(['unread']).optional() }).strict();
