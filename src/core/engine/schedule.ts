/** Learning-rate schedules, applied once per epoch (PyTorch's StepLR / CosineAnnealingLR stepped per epoch). */
import type { Hyperparams } from '../../shared/hyperparams';

type ScheduleConfig = Pick<Hyperparams, 'learningRate' | 'lrSchedule' | 'lrStepEpochs' | 'lrGamma' | 'epochs'>;

/**
 * The learning rate for `epoch` (1-based).
 * - constant: `learningRate`
 * - step: `learningRate · lrGamma^⌊(epoch−1)/lrStepEpochs⌋`
 * - cosine: `learningRate · ½(1 + cos(π·(epoch−1)/epochs))` — starts at the full rate and reaches 0
 *   only after the last epoch (CosineAnnealingLR with T_max = epochs, eta_min = 0).
 */
export function learningRateAt(config: ScheduleConfig, epoch: number): number {
  const e = epoch - 1;
  switch (config.lrSchedule) {
    case 'constant':
      return config.learningRate;
    case 'step':
      return config.learningRate * config.lrGamma ** Math.floor(e / config.lrStepEpochs);
    case 'cosine':
      return config.learningRate * 0.5 * (1 + Math.cos((Math.PI * e) / config.epochs));
  }
}
