/**
 * The configurable LeNet-5 always ends in Linear + softmax, but configurations stored before this
 * step said `output: 'rbf'` for it (the field's old default, read only by the 1998 network), so
 * exports and the settings pages showed an RBF output for runs that never had one. Those runs',
 * and sweeps' base configurations', `model.output` becomes `softmax`; the 1998 network's stay as
 * stored. A configuration that is not valid JSON is left as it is (its run reports it damaged).
 */
import type { Migration } from './types';

/** The rows whose configuration at `root` (`$` or `$.base`) is of the configurable network. */
const configurable = (column: string, root: string) => /* sql */ `
  json_valid(${column})
  AND json_type(${column}, '${root}.model') = 'object'
  AND coalesce(json_extract(${column}, '${root}.model.architecture'), 'lenet5') = 'lenet5'
  AND coalesce(json_extract(${column}, '${root}.model.output'), '') <> 'softmax'`;

export const migration009: Migration = {
  version: 9,
  name: 'softmax_output',
  sql: /* sql */ `
    UPDATE runs SET config_json = json_set(config_json, '$.model.output', 'softmax')
      WHERE ${configurable('config_json', '$')};
    UPDATE sweeps SET definition_json = json_set(definition_json, '$.base.model.output', 'softmax')
      WHERE ${configurable('definition_json', '$.base')};
  `,
};
