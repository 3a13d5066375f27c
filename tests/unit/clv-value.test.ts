import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  customerLifetimeValue,
  DAYS_PER_MONTH,
  expectedOrderValue,
  expectedPurchases,
  pAlive,
  scoreCustomers,
} from '../../src/models/clv/index.js';
import type { BgNbdParams, CustomerSummary, GammaGammaParams } from '../../src/models/clv/index.js';

/** The published CDNOW BG/NBD fit (weeks) and the same model in days (α × 7). */
const WEEKS: BgNbdParams = { r: 0.2425945, alpha: 4.4136019, a: 0.7929199, b: 2.4258881 };
const DAYS: BgNbdParams = { ...WEEKS, alpha: WEEKS.alpha * 7 };
const SPEND: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.44 };

function close(actual: number, expected: number, relative = 1e-10): boolean {
  return Math.abs(actual - expected) <= relative * Math.max(Math.abs(expected), 1e-12);
}

describe('customerLifetimeValue', () => {
  const customer = { x: 4, tx: 200, T: 270 };
  const value = 30;
  const clv = (months: number, monthlyDiscountRate = 0): number =>
    customerLifetimeValue(DAYS, value, customer.x, customer.tx, customer.T, { months, monthlyDiscountRate });

  it('without discount equals expected purchases over the horizon × order value (a month = 30 days)', () => {
    for (const months of [1, 6, 12, 365 / 30, 24]) {
      const purchases = expectedPurchases(DAYS, months * DAYS_PER_MONTH, customer.x, customer.tx, customer.T);
      assert.ok(close(clv(months), purchases * value), `months=${months}`);
    }
  });

  it('discounts each month’s increment at (1 + d)^month, as lifetimes does', () => {
    const d = 0.01;
    let expected = 0;
    for (let i = 1; i <= 12; i++) {
      const step = (t: number): number => expectedPurchases(DAYS, t, customer.x, customer.tx, customer.T);
      expected += ((step(30 * i) - step(30 * (i - 1))) * value) / (1 + d) ** i;
    }
    assert.ok(close(clv(12, d), expected));
  });

  it('is lower with a positive discount rate, lower still with a higher one, and grows with the horizon', () => {
    assert.ok(clv(12, 0.01) < clv(12) && clv(12, 0.05) < clv(12, 0.01));
    let previous = 0;
    for (let months = 1; months <= 36; months++) {
      const current = clv(months, 0.02);
      assert.ok(current > previous, `months=${months}`);
      previous = current;
    }
    assert.equal(clv(0), 0);
  });

  it('makes the time unit explicit: weekly parameters with 30/7 weeks per month give the daily result', () => {
    const weekly = customerLifetimeValue(WEEKS, value, customer.x, customer.tx / 7, customer.T / 7, {
      months: 12,
      monthlyDiscountRate: 0.01,
      unitsPerMonth: DAYS_PER_MONTH / 7,
    });
    assert.ok(close(weekly, clv(12, 0.01), 1e-9));
  });

  it('rejects a discount rate ≤ −1, a negative horizon and a non-positive unit', () => {
    assert.throws(() => clv(12, -1), RangeError);
    assert.throws(() => clv(-1), RangeError);
    assert.throws(() => customerLifetimeValue(DAYS, 1, 1, 1, 2, { months: 1, unitsPerMonth: 0 }), RangeError);
  });
});

describe('scoreCustomers', () => {
  const customers: CustomerSummary[] = [
    { x: 0, tx: 0, T: 100, monetaryValue: 0 },
    { x: 3, tx: 80, T: 100, monetaryValue: 25 },
    { x: 3, tx: 10, T: 100, monetaryValue: 60 }, // same (x, T) as the previous one, different t_x
    { x: 1, tx: 5, T: 5, monetaryValue: 12.5 },
    { x: 12, tx: 364.5, T: 365.25, monetaryValue: 40 }, // non-integer days
    { x: 0, tx: 0, T: 0, monetaryValue: 0 },
    { x: 250, tx: 700, T: 730, monetaryValue: 18 },
  ];

  it('matches the per-customer functions column by column, with a monthly discount', () => {
    const rate = 0.01;
    const scores = scoreCustomers(DAYS, SPEND, customers, { monthlyDiscountRate: rate });
    customers.forEach((c, i) => {
      const orderValue = expectedOrderValue(SPEND, c.x, c.monetaryValue);
      const horizon = (months: number): number => customerLifetimeValue(DAYS, orderValue, c.x, c.tx, c.T, { months, monthlyDiscountRate: rate });
      const checks: [string, number, number][] = [
        ['pAlive', scores.pAlive[i]!, pAlive(DAYS, c.x, c.tx, c.T)],
        ['90d', scores.expectedPurchases90d[i]!, expectedPurchases(DAYS, 90, c.x, c.tx, c.T)],
        ['180d', scores.expectedPurchases180d[i]!, expectedPurchases(DAYS, 180, c.x, c.tx, c.T)],
        ['365d', scores.expectedPurchases365d[i]!, expectedPurchases(DAYS, 365, c.x, c.tx, c.T)],
        ['order value', scores.expectedOrderValue[i]!, orderValue],
        ['clv180d', scores.clv180d[i]!, horizon(6)],
        ['clv365d', scores.clv365d[i]!, horizon(365 / 30)],
      ];
      for (const [name, got, want] of checks) {
        assert.ok(Number.isFinite(got) && close(got, want, 1e-12), `customer ${i} ${name}: ${got} vs ${want}`);
      }
    });
  });

  it('without discount, 365-day CLV is 365-day expected purchases × expected order value', () => {
    const scores = scoreCustomers(DAYS, SPEND, customers);
    customers.forEach((_, i) => {
      assert.ok(close(scores.clv365d[i]!, scores.expectedPurchases365d[i]! * scores.expectedOrderValue[i]!, 1e-9));
      assert.ok(scores.expectedPurchases90d[i]! <= scores.expectedPurchases180d[i]!);
      assert.ok(scores.expectedPurchases180d[i]! <= scores.expectedPurchases365d[i]!);
    });
  });

  it('rejects an invalid customer, naming its row', () => {
    assert.throws(() => scoreCustomers(DAYS, SPEND, [...customers, { x: 1, tx: 9, T: 5, monetaryValue: 1 }]), /row 7/);
    assert.throws(() => scoreCustomers(DAYS, SPEND, [{ x: 1, tx: 1, T: 5, monetaryValue: Number.NaN }]), RangeError);
  });
});
