import { createRequire } from 'node:module';

import { sampleIndices } from './random.js';
import { featureColumn, type CustomerFeatures, type FeatureKey } from './rfm-scores.js';

interface CartClassifier {
  train(features: number[][], labels: number[]): void;
  toJSON(): unknown;
}

interface CartModule {
  DecisionTreeClassifier: new (options: { maxDepth: number; minNumSamples: number }) => CartClassifier;
}

// ml-cart ships no type declarations: requiring it lets this file state the small surface it uses.
const { DecisionTreeClassifier } = createRequire(import.meta.url)('ml-cart') as CartModule;

const FEATURES: readonly FeatureKey[] = ['recencyDays', 'frequency', 'monetary'];
const COLUMN_NAMES = ['recency_days', 'frequency', 'monetary'] as const;

type TreeNode =
  | { split: true; column: number; threshold: number; left: TreeNode; right: TreeNode }
  | { split: false; label: number; leaf: number };

/** One feature's bounds on a rule: min ≤ value < max. */
export interface RuleCondition {
  feature: (typeof COLUMN_NAMES)[number];
  min?: number;
  max?: number;
}

export interface ExplanationRule {
  conditions: RuleCondition[];
  cluster: number;
  name: string;
  /** e.g. "recency_days < 30.5 and frequency ≥ 6.5 → Champions" */
  text: string;
  /** Customers the rule covers, and how many of them are in its cluster. */
  customers: number;
  correct: number;
}

export interface ClusterExplanation {
  rules: ExplanationRule[];
  /** Share of all customers whose cluster the rules reproduce. */
  fidelity: number;
  trainedOn: number;
}

export interface ExplainOptions {
  seed: number;
  maxDepth?: number;
  /** Customers the tree is trained on; ml-cart's split search grows quadratically with it. */
  sampleSize?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Reads ml-cart's serialised tree; sibling leaves that agree are folded into one. */
function parseNode(raw: unknown): TreeNode {
  if (!isRecord(raw)) throw new TypeError('decision tree node is not an object');
  const { left, right, splitColumn, splitValue, distribution } = raw;
  if (isRecord(left) && isRecord(right) && typeof splitColumn === 'number' && typeof splitValue === 'number') {
    const l = parseNode(left);
    const r = parseNode(right);
    if (!l.split && !r.split && l.label === r.label) return l;
    return { split: true, column: splitColumn, threshold: splitValue, left: l, right: r };
  }
  const probabilities = Array.isArray(distribution) ? (distribution[0] as unknown) : undefined;
  if (!Array.isArray(probabilities) || !probabilities.every((p) => typeof p === 'number')) {
    throw new TypeError('decision tree leaf has no class distribution');
  }
  // First maximum, as ml-cart predicts.
  const label = probabilities.reduce((best: number, p: number, i) => (p > probabilities[best]! ? i : best), 0);
  return { split: false, label, leaf: -1 };
}

function formatNumber(value: number): string {
  return String(Number(value.toPrecision(4)));
}

function describe(conditions: readonly RuleCondition[], name: string): string {
  const parts = conditions.map(({ feature, min, max }) => {
    if (min !== undefined && max !== undefined) return `${formatNumber(min)} ≤ ${feature} < ${formatNumber(max)}`;
    if (min !== undefined) return `${feature} ≥ ${formatNumber(min)}`;
    return `${feature} < ${formatNumber(max!)}`;
  });
  return `${parts.length > 0 ? parts.join(' and ') : 'all customers'} → ${name}`;
}

/** Numbers the leaves left to right and lists each with its path, one bound pair per feature. */
function collectLeaves(
  node: TreeNode,
  bounds: RuleCondition[],
  out: { conditions: RuleCondition[]; label: number }[],
): void {
  if (!node.split) {
    node.leaf = out.length;
    out.push({ conditions: bounds.filter((b) => b.min !== undefined || b.max !== undefined), label: node.label });
    return;
  }
  const tighten = (side: 'min' | 'max') =>
    bounds.map((b, column) => {
      if (column !== node.column) return b;
      const current = b[side] ?? node.threshold;
      return { ...b, [side]: side === 'min' ? Math.max(current, node.threshold) : Math.min(current, node.threshold) };
    });
  collectLeaves(node.left, tighten('max'), out);
  collectLeaves(node.right, tighten('min'), out);
}

/** The leaf number customer i falls into. */
function leafOf(node: TreeNode, columns: readonly Float64Array[], i: number): number {
  let current = node;
  while (current.split) current = columns[current.column]![i]! < current.threshold ? current.left : current.right;
  return current.leaf;
}

/**
 * Explains clusters with a shallow CART tree on recency_days, frequency and monetary in their
 * own units: readable rules, and fidelity measured on every customer, not only the training sample.
 */
export function explainClusters(
  rows: readonly CustomerFeatures[],
  labels: ArrayLike<number>,
  names: readonly string[],
  options: ExplainOptions,
): ClusterExplanation {
  const { seed, maxDepth = 3, sampleSize = 3000 } = options;
  if (labels.length !== rows.length) throw new RangeError(`${rows.length} customers but ${labels.length} labels`);
  if (rows.length === 0) throw new RangeError('cannot explain clusters of no customers');
  const columns = FEATURES.map((key) => featureColumn(rows, key));
  const sample = sampleIndices(rows.length, sampleSize, seed);
  const x = Array.from(sample, (i) => columns.map((column) => column[i]!));
  const y = Array.from(sample, (i) => labels[i]!);
  // Nodes under 1% of the sample are not split: a rule for a handful of customers explains nothing.
  const tree = new DecisionTreeClassifier({ maxDepth, minNumSamples: Math.max(3, Math.floor(sample.length / 100)) });
  tree.train(x, y);
  const root = parseNode((JSON.parse(JSON.stringify(tree.toJSON())) as { root?: unknown }).root);

  const leaves: { conditions: RuleCondition[]; label: number }[] = [];
  collectLeaves(root, COLUMN_NAMES.map((feature) => ({ feature })), leaves);
  const customers = new Array<number>(leaves.length).fill(0);
  const correct = new Array<number>(leaves.length).fill(0);
  for (let i = 0; i < rows.length; i++) {
    const leaf = leafOf(root, columns, i);
    customers[leaf]!++;
    if (labels[i] === leaves[leaf]!.label) correct[leaf]!++;
  }
  const rules = leaves.map(({ conditions, label }, i) => {
    const name = names[label] ?? `cluster ${label}`;
    const text = describe(conditions, name);
    return { conditions, cluster: label, name, text, customers: customers[i]!, correct: correct[i]! };
  });
  return { rules, fidelity: correct.reduce((a, b) => a + b, 0) / rows.length, trainedOn: sample.length };
}
