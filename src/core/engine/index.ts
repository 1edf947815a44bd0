/**
 * The engine's front door: LeNet5 on TensorFlow.js (building the network, training it, evaluating
 * it, checkpoints, and choosing and setting up the backend it computes on). Importing it loads
 * tfjs, so only the processes that compute import it: the trainer (trainer/run-trainer.ts), the
 * inspector (inspector/service.ts) and the tools. Main's side never does; what it needs to know
 * without tfjs lives in the dataset room, trainer/backend-probe.ts and resume-file.ts.
 */
export { train, makeTrainStep } from './train';
export { lrRangeTest } from './lr-range-test';
export { evaluateModel, confusionMatrix, classMetrics } from './evaluate';
export { buildLeNet5 } from './model/build';
export { stageMap, type StageMap } from './model/stages';
export { kernelsOf } from './model/kernels';
export { createOptimizer } from './optimizer';
export { imagesToTensor } from './data-tensors';
export { saveCheckpoint, loadCheckpoint, MODEL_JSON } from './checkpoint';
export { selectBackend } from './backend';
export { ChoiceCache, chooseBackend, choiceKey, type BackendChoice } from './backend/choice';
export { measureTrainingSpeed } from './backend/measure';
export { fusedStepConfigured } from './step-runner';
export { trainingPlan } from './started-event';
export { MarginRecorder, marginRows } from './margins';
