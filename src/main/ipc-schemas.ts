/**
 * Request validation for every invoke channel. The renderer is untrusted: main parses each payload
 * with these schemas before any handler sees it. `satisfies` makes a missing channel a type error.
 */
import { z } from 'zod';
import type { Channel } from '../shared/api';
import { hyperparamsSchema, PRESET_NAMES } from '../shared/hyperparams';
import {
  compareRunIdsSchema,
  confusionQuerySchema,
  exportRunIdsSchema,
  listRunsQuerySchema,
  predictionsQuerySchema,
  runIdSchema,
  runNameSchema,
  runNotesSchema,
  runPairQuerySchema,
  tagsSchema,
  updateRunRequestSchema,
} from '../shared/runs';

/** A channel that takes no argument must receive none. */
const noPayload = z.undefined({ error: 'takes no payload' });

const byId = z.strictObject({ id: runIdSchema });

const testIndex = z.number().int().min(0).max(9_999, { error: 'must be a test-set index from 0 to 9999' });

export const requestSchemas = {
  'app:info': noPayload,
  'dataset:info': noPayload,
  'dataset:samples': z.strictObject({ perClass: z.number().int().min(1).max(100, { error: 'must be from 1 to 100' }) }),
  'dataset:images': z.strictObject({
    indices: z.array(testIndex).max(1000, { error: 'at most 1,000 images per call' }),
  }),
  'dataset:download': noPayload,
  'dataset:choose-folder': noPayload,
  // A missing query is the default listing; the store's schema fills sort, direction and paging.
  'runs:list': listRunsQuerySchema.optional().transform((q) => listRunsQuerySchema.parse(q ?? {})),
  'runs:get': byId,
  'runs:start': z.strictObject({
    config: hyperparamsSchema,
    name: runNameSchema.optional(),
    preset: z.enum(PRESET_NAMES, { error: `must be one of ${PRESET_NAMES.join(', ')}` }).optional(),
    tags: tagsSchema.optional(),
    notes: runNotesSchema.optional(),
  }),
  'runs:stop': byId,
  'runs:update': updateRunRequestSchema,
  'runs:delete': byId,
  'runs:compare': z.strictObject({ ids: compareRunIdsSchema }),
  'runs:confusion': confusionQuerySchema,
  'runs:confusion-diff': runPairQuerySchema,
  'runs:predictions': predictionsQuerySchema,
  'runs:disagreements': runPairQuerySchema,
  'runs:export': z.strictObject({
    ids: exportRunIdsSchema,
    format: z.enum(['json', 'csv'], { error: 'must be json or csv' }),
  }),
} satisfies Record<Channel, z.ZodType>;
