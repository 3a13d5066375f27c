export { featureColumn, rankScores, rfmScores, SCORE_BINS } from './rfm-scores.js';
export type { CustomerFeatures, FeatureKey, RfmScores } from './rfm-scores.js';
export {
  assignSegments,
  fmScore,
  rulesFor,
  SEGMENT_GRID,
  SEGMENT_NAMES,
  segmentFor,
  segmentGridMarkdown,
} from './rfm-segments.js';
export type { SegmentName, SegmentRule } from './rfm-segments.js';
export { kmeans1d, perDimensionClusters, VALUE_TIERS } from './per-dimension-clusters.js';
export type { DimensionClusters, PerDimensionClustering, PerDimensionOptions, ValueTier } from './per-dimension-clusters.js';
export { behaviouralClusters } from './behavioural-clusters.js';
export type { BehaviouralClustering, BehaviouralOptions, ClusterMethod, ModelScore } from './behavioural-clusters.js';
export { minimumCostAssignment, nameClusters, orderByValue, ruleNames, standardise, valueScore } from './cluster-names.js';
export type { ClusterNaming, ClusterSnapshot, NameClustersInput, Standardisation } from './cluster-names.js';
export { explainClusters } from './cluster-explainer.js';
export type { ClusterExplanation, ExplainOptions, ExplanationRule, RuleCondition } from './cluster-explainer.js';
export { fitGaussianMixture } from './gmm.js';
export type { GaussianMixture, GaussianMixtureOptions } from './gmm.js';
export { mulberry32, randomInt, sampleIndices } from './random.js';
export type { Random } from './random.js';
export { assignNearest, clusterMeans, inertia, silhouetteScore } from './silhouette.js';
