/**
 * Request validation for every invoke channel. The renderer is untrusted: main parses each payload
 * with these schemas before any handler sees it. `satisfies` makes a missing channel a type error.
 */
import { z } from 'zod';
import type { Channel } from '../shared/api';

/** A channel that takes no argument must receive none. */
const noPayload = z.undefined({ error: 'takes no payload' });

const testIndex = z.number().int().min(0).max(9_999, { error: 'must be a test-set index from 0 to 9999' });

export const requestSchemas = {
  'app:info': noPayload,
  'dataset:info': noPayload,
  'dataset:samples': z.strictObject({ perClass: z.number().int().min(1).max(100, { error: 'must be from 1 to 100' }) }),
  'dataset:images': z.strictObject({ indices: z.array(testIndex).max(1000, { error: 'at most 1,000 images per call' }) }),
  'dataset:download': noPayload,
  'dataset:choose-folder': noPayload,
} satisfies Record<Channel, z.ZodType>;
