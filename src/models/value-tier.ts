import { createRequire } from 'node:module';

import { spearman } from './clv/index.js';
import { kmeans1d, VALUE_TIERS } from './per-dimension-clusters.js';
import { sampleIndices } from './random.js';

interface CartClassifier {
  train(features: number[][], labels: number[]): void;
  predict(features: number[][]): number[];
}

interface CartModule {
  DecisionTreeClassifier: new (options: { maxDepth: number; minNumSamples: number }) => CartClassifier;
}

// ml-cart ships no type declarations: requiring it lets this file state the small surface it uses.
const { DecisionTreeClassifier } = createRequire(import.meta.url)('ml-cart') as CartModule;

/** One customer at the cutoff: window features, and what happened after the cutoff. */
export interface ValueTierCustomer {
  /** Days from the last purchase in the feature window to the cutoff. */
  recencyDays: number;
  /** Purchase invoices in the window. */
  frequency: number;
  /** Net product revenue in the window. */
  monetary: number;
  /** Days from the first purchase ever to the cutoff. */
  tenureDays: number;
  /** Net product revenue in the target period (the label's source). */
  nextRevenue: number;
  /** CLV over the target period from BG/NBD × Gamma-Gamma fitted at the cutoff (a baseline ranking). */
  clv: number;
  /** r + f + m at the cutoff (a baseline ranking). */
  rfmScore: number;
}

export interface ValueTierOptions {
  seed: number;
  /** Share of customers held out for evaluation. */
  testShare?: number;
  maxDepth?: number;
  /** Training customers the tree sees at most; ml-cart's split search grows quadratically with it. */
  maxTrain?: number;
}

/** Accuracy and macro-averaged F1 of predicted tiers on the held-out customers. */
export interface TierScore {
  accuracy: number;
  macroF1: number;
}

export interface ValueTierEvaluation {
  customers: number;
  trainCustomers: number;
  testCustomers: number;
  /** Tier centroids in log1p(revenue) units, Low → High, and the tier sizes over all customers. */
  centroidsLog1p: number[];
  tierSizes: number[];
  tree: TierScore;
  /** Every held-out customer given the most frequent training tier. */
  majority: TierScore;
  /** Held-out customers ranked by CLV and cut into tiers of the training tiers' shares. */
  clvRank: TierScore;
  /** Spearman correlation with next-period revenue on the held-out customers; null when a side is constant. */
  rfmRevenueSpearman: number | null;
  clvRevenueSpearman: number | null;
}

const K = VALUE_TIERS.length;

/**
 * Revenue tiers 0..2 (Low, Mid, High) by seeded 1-D k-means on log1p of the revenue (negatives as 0):
 * on raw revenue a few very large buyers take two of the three clusters and nearly everyone is Low.
 */
export function revenueTiers(revenue: ArrayLike<number>, seed: number): { tier: Uint8Array; centroidsLog1p: number[] } {
  const scaled = Float64Array.from({ length: revenue.length }, (_, i) => Math.log1p(Math.max(0, revenue[i]!)));
  const clusters = kmeans1d(scaled, K, seed);
  return { tier: clusters.cluster, centroidsLog1p: clusters.centroids };
}

/** Accuracy and macro-F1 over the tiers present in `actual` or `predicted` (F1 = 0 for a tier never hit). */
export function tierScore(actual: ArrayLike<number>, predicted: ArrayLike<number>): TierScore {
  if (actual.length !== predicted.length) throw new RangeError(`${actual.length} labels but ${predicted.length} predictions`);
  if (actual.length === 0) throw new RangeError('no customers to score');
  const tp = new Array<number>(K).fill(0);
  const actualCount = new Array<number>(K).fill(0);
  const predictedCount = new Array<number>(K).fill(0);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const p = predicted[i]!;
    actualCount[a]!++;
    predictedCount[p]!++;
    if (a === p) tp[a]!++;
  }
  let f1Sum = 0;
  let present = 0;
  for (let k = 0; k < K; k++) {
    if (actualCount[k] === 0 && predictedCount[k] === 0) continue;
    present++;
    f1Sum += (2 * tp[k]!) / (actualCount[k]! + predictedCount[k]!);
  }
  return { accuracy: tp.reduce((s, v) => s + v, 0) / actual.length, macroF1: f1Sum / present };
}

/**
 * Tiers by rank of `score` (highest first; ties broken by position, so the cut is deterministic),
 * with tier sizes in the proportions of `shares` (Low, Mid, High).
 */
export function tiersByRank(score: ArrayLike<number>, shares: readonly number[]): Uint8Array {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => score[j]! - score[i]! || i - j);
  const high = Math.round(shares[2]! * n);
  const mid = Math.round((shares[1]! + shares[2]!) * n) - high;
  const tier = new Uint8Array(n);
  order.forEach((customer, rank) => {
    tier[customer] = rank < high ? 2 : rank < high + mid ? 1 : 0;
  });
  return tier;
}

const featureRow = (c: ValueTierCustomer): number[] => [c.recencyDays, c.frequency, c.monetary, c.tenureDays];

/**
 * Predicts each customer's revenue tier in the target period from window features with a CART
 * tree, trained on a seeded share of the customers and scored on the rest, next to baselines that
 * need no training: the majority tier, the CLV ranking, and the RFM score's rank correlation.
 */
export function evaluateValueTiers(
  customers: readonly ValueTierCustomer[],
  options: ValueTierOptions,
): ValueTierEvaluation | { skipped: string } {
  const { seed, testShare = 0.3, maxDepth = 4, maxTrain = 5000 } = options;
  const n = customers.length;
  const testSize = Math.round(testShare * n);
  if (testSize < 1 || testSize >= n) throw new RangeError(`cannot hold out ${testShare} of ${n} customers`);
  const { tier, centroidsLog1p } = revenueTiers(customers.map((c) => c.nextRevenue), seed);
  if (centroidsLog1p.length < K) return { skipped: `next-period revenue takes fewer than ${K} distinct values` };
  const isTest = new Uint8Array(n);
  for (const i of sampleIndices(n, testSize, seed)) isTest[i] = 1;
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < n; i++) (isTest[i] ? test : train).push(i);
  const fitOn = train.length > maxTrain ? Array.from(sampleIndices(train.length, maxTrain, seed + 1), (k) => train[k]!) : train;

  const trainSizes = new Array<number>(K).fill(0);
  for (const i of train) trainSizes[tier[i]!]!++;
  const majorityTier = trainSizes.indexOf(Math.max(...trainSizes));
  const actual = test.map((i) => tier[i]!);

  // Nodes under 1% of the training set are not split: a rule for a handful of customers does not generalise.
  const tree = new DecisionTreeClassifier({ maxDepth, minNumSamples: Math.max(3, Math.floor(fitOn.length / 100)) });
  tree.train(fitOn.map((i) => featureRow(customers[i]!)), fitOn.map((i) => tier[i]!));
  const treePredicted = tree.predict(test.map((i) => featureRow(customers[i]!)));

  const shares = trainSizes.map((s) => s / train.length);
  const clvPredicted = tiersByRank(test.map((i) => customers[i]!.clv), shares);
  const revenue = test.map((i) => customers[i]!.nextRevenue);
  const tierSizes = new Array<number>(K).fill(0);
  for (const t of tier) tierSizes[t]!++;
  return {
    customers: n,
    trainCustomers: train.length,
    testCustomers: test.length,
    centroidsLog1p,
    tierSizes,
    tree: tierScore(actual, treePredicted),
    majority: tierScore(actual, actual.map(() => majorityTier)),
    clvRank: tierScore(actual, clvPredicted),
    rfmRevenueSpearman: spearman(test.map((i) => customers[i]!.rfmScore), revenue),
    clvRevenueSpearman: spearman(test.map((i) => customers[i]!.clv), revenue),
  };
}
