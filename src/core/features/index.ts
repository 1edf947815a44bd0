/**
 * The features room's front door: the feature map (test-set activations at C5/F6 projected to
 * 2-D by PCA or UMAP) and nearest neighbours in feature space, with their caches. Loaded by the
 * inspector process only (it uses tfjs); the numerics (pca, neighbours) are tfjs-free.
 */
export { FeatureService, type LoadedCheckpoint } from './feature-service';
export { extractFeatures, type Features } from './extract';
export { pca2, covariance, principalComponents, type Projection2D } from './pca';
export { exactKnn, type Knn } from './knn';
export { umap2, knnArrays, UMAP_EPOCHS, type UmapOptions } from './umap';
export { fuzzySimplicialSet, smoothKnn, type FuzzyGraph, type KnnArrays } from './umap-graph';
export { optimizeLayout, powByLogs, UMAP_A, UMAP_B } from './umap-layout';
export { nearestByCosine, rowNorms, type Neighbour } from './neighbours';
