/**
 * A run that did not learn: it finished at least one epoch and its final test accuracy is still at
 * chance. FashionMNIST's test set has 10 balanced classes (1,000 images each), so a network that
 * answers one class for every image, or guesses, scores 10.00% — what a too-high learning rate or
 * saturated sigmoids leave. Any learning at all clears 11% within an epoch (the slowest preset
 * network, sigmoid on 2,000 images, reaches ~14% after one), so at or under 11% the figure says the
 * run is broken, and the window must say so rather than show it as merely "Completed".
 */
import type { RunStatus } from './runs';

/** Accuracy of guessing among FashionMNIST's 10 balanced classes. */
export const CHANCE_ACCURACY = 0.1;
/** At or under this final test accuracy, a finished run did not learn (one point above chance). */
export const DID_NOT_LEARN_ACCURACY = 0.11;

/** A finished (completed or stopped) run with ≥ 1 epoch whose final test accuracy is at chance. */
export function didNotLearn(run: { status: RunStatus; epochsDone: number; finalTestAccuracy: number | null }): boolean {
  return (
    (run.status === 'completed' || run.status === 'stopped') &&
    run.epochsDone >= 1 &&
    run.finalTestAccuracy != null &&
    run.finalTestAccuracy <= DID_NOT_LEARN_ACCURACY
  );
}
