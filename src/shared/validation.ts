import { z } from 'zod';

/**
 * One line per problem, `path: message` (a problem with the whole value is just `message`), for
 * errors answered to a caller: IPC requests and store queries word refusals the same way.
 */
export function describeZodIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
}

/** An integer from `min` to `max`, every refusal worded `must be an integer from MIN to MAX`. */
export function integerIn(min: number, max: number) {
  const error = `must be an integer from ${min} to ${max}`;
  return z.number().int({ error }).min(min, { error }).max(max, { error });
}
