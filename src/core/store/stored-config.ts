/**
 * A run's stored configuration as this build reads it. Runs stored before a field existed lack
 * it, and configurations of the configurable network once said `output: 'rbf'`: parsing with the
 * shared schema gives what those runs trained with (the fields' defaults, softmax), so exports
 * and comparisons of old and new runs agree. A configuration the schema refuses is returned as
 * stored, so nothing is hidden.
 */
import { parseHyperparams, type Hyperparams } from '../../shared/hyperparams';

export function storedConfig(json: string): Hyperparams {
  const stored: unknown = JSON.parse(json);
  const parsed = parseHyperparams(stored);
  return parsed.ok ? parsed.data : (stored as Hyperparams);
}
