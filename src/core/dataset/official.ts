/** Facts about the official FashionMNIST release that the loader checks against. */
import type { DatasetFile } from '../../shared/training';

/** SHA-256 of each *decompressed* official file (the .gz bytes vary with the compressor). */
export const OFFICIAL_SHA256: Record<DatasetFile, string> = {
  'train-images-idx3-ubyte': 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
  'train-labels-idx1-ubyte': 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
  't10k-images-idx3-ubyte': '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
  't10k-labels-idx1-ubyte': '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
};

/** Where Zalando publishes the four `*-ubyte.gz` files. */
export const OFFICIAL_BASE_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

/** Debian's `dataset-fashion-mnist` package installs the official .gz files here. */
export const SYSTEM_DATASET_DIR = '/usr/share/datasets/fashion-mnist';

export const TRAIN_COUNT = 60_000;
export const TEST_COUNT = 10_000;
export const IMAGE_SIDE = 28;
export const IMAGE_PIXELS = IMAGE_SIDE * IMAGE_SIDE;
export const CLASS_COUNT = 10;

/** What an official file holds, and how many items the official release has of it. */
export function officialFileLayout(name: DatasetFile): { kind: 'images' | 'labels'; count: number } {
  return {
    kind: name.includes('-images-') ? 'images' : 'labels',
    count: name.startsWith('train-') ? TRAIN_COUNT : TEST_COUNT,
  };
}
