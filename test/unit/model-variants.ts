import {
  ACTIVATIONS,
  C5_KINDS,
  DENSE_ACTIVATIONS,
  INPUT_SIZES,
  POOLINGS,
  type ModelOptions,
} from '../../src/shared/hyperparams';

/** Every combination of the model options (96): the summary and builder tests cover them all. */
export function allVariants(): ModelOptions[] {
  const variants: ModelOptions[] = [];
  for (const convActivation of ACTIVATIONS)
    for (const denseActivation of DENSE_ACTIVATIONS)
      for (const pooling of POOLINGS)
        for (const c5 of C5_KINDS)
          for (const inputSize of INPUT_SIZES)
            variants.push({
              architecture: 'lenet5',
              output: 'softmax',
              convActivation,
              denseActivation,
              pooling,
              c5,
              inputSize,
              c1Maps: 6,
              c3Maps: 16,
              c5Units: 120,
              f6Units: 84,
              batchNorm: 'none',
              dropout: 0,
            });
  return variants;
}
