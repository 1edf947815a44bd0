/**
 * tfjs-format checkpoints (model.json + weights.bin, loadable by tf.loadLayersModel elsewhere),
 * written through a custom IOHandler so no tfjs-node `file://` handler is needed.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { damagedWeights, MODEL_JSON, WEIGHTS_BIN } from '../resume-file';
// Registers the 1998 network's layers with tfjs's serialization, so its checkpoints load.
import './model/lecun1998';

export { MODEL_JSON, WEIGHTS_BIN };

/**
 * Save `model` into `dir` (created; replaced if present). Written into `dir.partial` first and
 * renamed, so a crash mid-write never leaves a half-written checkpoint under the final name.
 * `writeExtra` adds files (the resume state) to the folder before the rename, under the same rule.
 * A failed save (a full disk) removes the partial folder, so its space comes back.
 */
export async function saveCheckpoint(
  model: tf.LayersModel,
  dir: string,
  metadata?: Record<string, unknown>,
  writeExtra?: (partialDir: string) => Promise<void>,
): Promise<void> {
  const partial = `${dir}.partial`;
  try {
    await writeCheckpointFolder(model, partial, metadata, writeExtra);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
}

async function writeCheckpointFolder(
  model: tf.LayersModel,
  partial: string,
  metadata?: Record<string, unknown>,
  writeExtra?: (partialDir: string) => Promise<void>,
): Promise<void> {
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  await model.save(
    {
      async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
        const weights = artifacts.weightData
          ? new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData))
          : new Uint8Array(0);
        const modelJson = {
          modelTopology: artifacts.modelTopology,
          format: artifacts.format ?? 'layers-model',
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy ?? null,
          weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
          ...(metadata ? { userDefinedMetadata: metadata } : {}),
        };
        await writeFile(path.join(partial, WEIGHTS_BIN), weights);
        await writeFile(path.join(partial, MODEL_JSON), JSON.stringify(modelJson));
        return {
          modelArtifactsInfo: {
            dateSaved: new Date(),
            modelTopologyType: 'JSON',
            weightDataBytes: weights.byteLength,
          },
        };
      },
    },
    { includeOptimizer: false },
  );
  await writeExtra?.(partial);
}

/**
 * Load a checkpoint written by `saveCheckpoint` (or any single-shard tfjs layers model folder).
 * Weights that are not all finite numbers are refused, naming the weight, before tfjs sees them.
 */
export async function loadCheckpoint(dir: string): Promise<tf.LayersModel> {
  const damage = damagedWeights(dir);
  if (damage) throw new Error(`it is damaged: ${damage}`);
  const handler: tf.io.IOHandler = {
    async load(): Promise<tf.io.ModelArtifacts> {
      const modelJson = JSON.parse(await readFile(path.join(dir, MODEL_JSON), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = await Promise.all(
          manifest.flatMap((group) => group.paths).map((p) => readFile(path.join(dir, p))),
        );
        const bytes = Buffer.concat(buffers);
        // Copy into a standalone ArrayBuffer: a Buffer may be a view into a shared pool.
        return [specs, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)];
      });
    },
  };
  return tf.loadLayersModel(handler);
}
