// Public API of the CLV models: BG/NBD, Gamma-Gamma, CLV scoring and backtest metrics.

export { hyp2f1 } from './hyp2f1.js';
export type { FitStatus } from './optimize.js';
export {
  bgnbdLogLikelihood,
  checkBgNbdParams,
  checkBtydRow,
  compressPatterns,
  expectedPurchases,
  expectedPurchasesIfAlive,
  expectedPurchasesUnconditional,
  fitBgNbd,
  pAlive,
} from './bgnbd.js';
export type { BgNbdFit, BgNbdFitOptions, BgNbdParams, BtydPatterns, BtydRow } from './bgnbd.js';
export { compressSpendPatterns, expectedOrderValue, fitGammaGamma, gammaGammaLogLikelihood } from './gamma-gamma.js';
export type { GammaGammaFit, GammaGammaFitOptions, GammaGammaParams, SpendPatterns, SpendRow } from './gamma-gamma.js';
export { DAYS_PER_MONTH, customerLifetimeValue, scoreCustomers } from './clv.js';
export type { ClvOptions, ClvScores, CustomerSummary, ScoreOptions } from './clv.js';
export { averageRanks, backtestMetrics, calibrationTable, spearman } from './metrics.js';
export type { BacktestMetrics, CalibrationRow } from './metrics.js';
