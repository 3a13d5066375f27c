import { z } from 'zod';

import type { Session } from '../db/session.js';
import { readSql } from '../db/sql-files.js';
import {
  bgnbdLogLikelihood,
  fitBgNbd,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  type BgNbdParams,
  type BtydRow,
  type GammaGammaParams,
  type SpendRow,
} from '../models/clv/index.js';

/** One row of marts.clv_models: the parameters the scores use (time in days) and how they were obtained. */
export interface ClvModelRow<P> {
  readonly model: 'bgnbd' | 'gamma_gamma';
  readonly params: P;
  readonly logLikelihood: number;
  readonly customers: number;
  readonly status: 'converged' | 'degraded';
  /** Why the fit is degraded and which as_of's converged fit the scores use instead; null when converged. */
  readonly detail: { reason: string; params_from: string | null; fitted: P | null } | null;
}

/** The two fits the CLV scores come from. */
export interface ClvModels {
  readonly bgnbd: ClvModelRow<BgNbdParams>;
  readonly gammaGamma: ClvModelRow<GammaGammaParams>;
}

const positive = z.number().positive().finite();
const bgnbdSchema = z.object({ r: positive, alpha: positive, a: positive, b: positive });
const gammaGammaSchema = z.object({ p: positive, q: positive.gt(1), gamma: positive });

/** A fit as the models return it, or no fit at all (nothing to fit on). */
type Attempt<P> =
  | { readonly params: P; readonly logLikelihood: number; readonly customers: number; readonly status: 'converged' | 'degraded'; readonly reason: string | null }
  | { readonly params: null; readonly customers: number; readonly reason: string };

interface ModelSpec<P> {
  readonly model: 'bgnbd' | 'gamma_gamma';
  readonly schema: z.ZodType<P>;
  /** Log-likelihood of kept parameters on this as_of's data, so the row describes today's customers. */
  readonly logLikelihood: (params: P) => number;
}

/**
 * A converged fit is used as is. A degraded one (or none) gives way to the latest converged fit of
 * the same model before asOf; only when there is none are the degraded parameters used — they are
 * finite by construction — and with no parameters at all the run fails rather than guess.
 */
async function guarded<P>(session: Session, asOf: string, spec: ModelSpec<P>, attempt: Attempt<P>): Promise<ClvModelRow<P>> {
  if (attempt.params !== null && 'status' in attempt && attempt.status === 'converged') {
    return { model: spec.model, params: attempt.params, logLikelihood: attempt.logLikelihood, customers: attempt.customers, status: 'converged', detail: null };
  }
  const reason = attempt.reason ?? 'the fit is degraded';
  const [previous] = await session.query<{ as_of: string; params: unknown }>(readSql('customers/clv_last_good_fit.sql'), [asOf, spec.model]);
  let params: P;
  let from: string | null = null;
  if (previous) {
    const parsed = spec.schema.safeParse(typeof previous.params === 'string' ? JSON.parse(previous.params) : previous.params);
    if (!parsed.success) throw new Error(`marts.clv_models ${spec.model} of ${previous.as_of} has unusable params: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    params = parsed.data;
    from = previous.as_of;
  } else if (attempt.params !== null) {
    params = attempt.params;
  } else {
    throw new Error(`${spec.model} cannot be fitted for ${asOf} (${reason}) and there is no earlier converged fit to keep`);
  }
  const logLikelihood = spec.logLikelihood(params);
  if (!Number.isFinite(logLikelihood)) throw new Error(`${spec.model} for ${asOf}: the kept parameters give a non-finite log-likelihood`);
  return {
    model: spec.model,
    params,
    logLikelihood,
    customers: attempt.customers,
    status: 'degraded',
    detail: { reason, params_from: from, fitted: attempt.params },
  };
}

/** A customer's BTYD inputs in days, as marts.customer_rfm holds them. */
export interface BtydInput extends BtydRow, SpendRow {}

/** Fits BG/NBD (days) and Gamma-Gamma (repeat customers with positive spend) with the degraded-fit guard. */
export async function fitClvModels(session: Session, asOf: string, rows: readonly BtydInput[]): Promise<ClvModels> {
  const btyd = rows.map((r) => ({ x: r.x, tx: r.tx, T: r.T }));
  const spend = rows.map((r) => ({ x: r.x, monetaryValue: r.monetaryValue }));
  const spenders = spend.filter((r) => r.x > 0 && r.monetaryValue > 0).length;
  const bgnbd = await guarded(
    session,
    asOf,
    {
      model: 'bgnbd',
      schema: bgnbdSchema,
      logLikelihood: (p: BgNbdParams) => bgnbdLogLikelihood(p, btyd),
    },
    fitBgNbd(btyd),
  );
  const gammaGamma = await guarded(
    session,
    asOf,
    { model: 'gamma_gamma', schema: gammaGammaSchema, logLikelihood: (p: GammaGammaParams) => gammaGammaLogLikelihood(p, spend) },
    spenders > 0
      ? fitGammaGamma(spend)
      : { params: null, customers: 0, reason: 'no customer has a repeat purchase day with positive spend' },
  );
  return { bgnbd, gammaGamma };
}
