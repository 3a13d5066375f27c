import type { Session } from '../db/session.js';
import { readSql } from '../db/sql-files.js';
import { fitBgNbd, type BgNbdFit } from '../models/clv/index.js';

/** A customer as of a past date (customer_features.sql), as the backtest and the value-tier check read it. */
export interface PastCustomer {
  customer_id: string;
  recency_days: number;
  frequency: number;
  monetary: number;
  x: number;
  t_x: number;
  t: number;
  monetary_value: number;
}

/** The customers as of a date and BG/NBD fitted on them. */
export interface PastFit {
  readonly rows: PastCustomer[];
  /** Undefined when nobody had purchased by then. */
  readonly bgnbd: BgNbdFit | undefined;
}

/**
 * Customers and a BG/NBD fit as of a past date, computed once per date: the backtest calibrates at
 * as_of − holdout and the value-tier check at as_of − 180 days, by default the same day.
 */
export function pastFits(session: Session): (date: string) => Promise<PastFit> {
  const cache = new Map<string, Promise<PastFit>>();
  return (date) => {
    let fit = cache.get(date);
    if (!fit) {
      fit = session.query<PastCustomer>(readSql('customers/customer_features.sql'), [date]).then((rows) => ({
        rows,
        bgnbd: rows.length > 0 ? fitBgNbd(rows.map((r) => ({ x: r.x, tx: r.t_x, T: r.t }))) : undefined,
      }));
      cache.set(date, fit);
    }
    return fit;
  };
}
