/**
 * Feeds ImageGallery from main: a page of prediction rows (runs:predictions), then those images'
 * pixels (dataset:images). The first page is fetched up front because its answer carries `total`,
 * which the gallery needs before it asks for any page.
 */
import type { Result } from '@shared/errors';
import type { PredictionRow, PredictionsQuery } from '@shared/runs';
import type { GalleryItem } from '../components/common/ImageGallery.svelte';
import { invoke, invokeData, settle } from './api';

const IMAGE_BYTES = 784;

/** Attach each row's 28×28 pixels (one dataset:images call per page). */
export async function withPixels(rows: PredictionRow[]): Promise<GalleryItem[]> {
  if (rows.length === 0) return [];
  const images = await invokeData('dataset:images', { indices: rows.map((r) => r.index) });
  return rows.map((r, i) => ({
    index: r.index,
    trueClass: r.trueClass,
    predictedClass: r.predictedClass,
    confidence: r.confidence,
    probabilities: r.probabilities,
    pixels: images.images.subarray(i * IMAGE_BYTES, (i + 1) * IMAGE_BYTES),
  }));
}

export interface PredictionSource {
  total: number;
  /** False when the run's test labels are unknown. */
  labels: boolean;
  loadPage: (offset: number, limit: number) => Promise<GalleryItem[]>;
}

/** Ask for the first page; answers the total and a page loader that reuses that first answer. */
export async function predictionSource(
  query: Omit<PredictionsQuery, 'limit' | 'offset'>,
  pageSize: number,
): Promise<Result<PredictionSource>> {
  const answer = await settle(() => invoke('runs:predictions', { ...query, limit: pageSize, offset: 0 }));
  if (!answer.ok) return answer;
  const first = answer.data;
  const source: PredictionSource = {
    total: first.total,
    labels: first.labels,
    loadPage: async (offset, limit) => {
      const rows =
        offset === 0 && limit <= first.rows.length
          ? first.rows.slice(0, limit)
          : (await invokeData('runs:predictions', { ...query, limit, offset })).rows;
      return withPixels(rows);
    },
  };
  return { ok: true, data: source };
}
