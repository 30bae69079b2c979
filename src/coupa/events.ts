/** The exception event a Coupa call-out (or the poller) delivers — the shape case-format.md fixes. */
import { z } from 'zod';

/** The exception event as a Coupa call-out (or the poller) delivers it (case-format.md `event`). */
export const ExceptionEventSchema = z.looseObject({
  event_type: z.string().default('invoice.exception.created'),
  // A numeric string ("5001") is the same invoice id.
  resource_id: z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z.number().int().positive(),
  ),
  exception_code: z.string().nullish(),
  hold_reason: z.string().nullish(),
});
export type ExceptionEvent = z.infer<typeof ExceptionEventSchema>;
