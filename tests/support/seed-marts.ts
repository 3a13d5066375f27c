import type { Session } from '../../src/db/session.js';
import { mulberry32 } from '../../src/models/random.js';

/** The two snapshots the seed fills: a previous run and the latest one. */
export const SEED_AS_OF = ['2011-11-30', '2011-12-09'] as const;

/** Facts about the seeded data that tests compare the report against. */
export interface SeedFacts {
  readonly asOf: readonly string[];
  /** Customers in marts.customer_rfm per as_of. */
  readonly customers: Readonly<Record<string, number>>;
  readonly insiders: Readonly<Record<string, number>>;
  readonly salesLines: number;
}

const COUNTRIES = ['United Kingdom', 'United Kingdom', 'United Kingdom', 'Germany', 'France', 'Ireland', 'Netherlands'] as const;
const FIRST_DAY = Date.UTC(2010, 11, 1);
const LAST_DAY = Date.UTC(2011, 11, 9);
const DAY_MS = 86_400_000;

type Line = [number, number, string, string, string | null, string, string, string, number, number, number, boolean];

/** Invoice lines of 80 customers over a year: loyal ones buy often, some stop, some start late. */
function salesLines(): Line[] {
  const rand = mulberry32(20111209);
  const lines: Line[] = [];
  let invoiceNo = 536_365;
  const span = (LAST_DAY - FIRST_DAY) / DAY_MS;
  const push = (customer: string | null, country: string, day: number, cancel: boolean) => {
    const invoice = `${cancel ? 'C' : ''}${invoiceNo++}`;
    const date = new Date(FIRST_DAY + day * DAY_MS).toISOString().slice(0, 10);
    const count = 1 + Math.floor(rand() * 4);
    for (let i = 0; i < count; i++) {
      const quantity = (1 + Math.floor(rand() * 24)) * (cancel ? -1 : 1);
      const price = Math.round((0.5 + rand() * 14.5) * 100) / 100;
      const code = `${22_000 + Math.floor(rand() * 900)}`;
      lines.push([2, lines.length + 1, invoice, date, customer, code, `PRODUCT ${code}`, country, quantity, price, Math.round(quantity * price * 100) / 100, cancel]);
    }
  };
  for (let c = 0; c < 80; c++) {
    const customer = String(12_346 + c * 7);
    const country = COUNTRIES[c % COUNTRIES.length]!;
    const first = Math.floor(rand() ** 1.5 * span);
    // A fifth of the customers stop buying well before the end of the data.
    const last = c % 5 === 4 ? first + Math.floor(rand() * (span - first) * 0.4) : span;
    const invoices = 1 + Math.floor(rand() ** 2 * 14);
    for (let i = 0; i < invoices; i++) {
      const day = i === 0 ? first : first + Math.floor(rand() * Math.max(1, last - first));
      push(customer, country, Math.min(day, span), false);
    }
    if (c % 6 === 0) push(customer, country, Math.min(span, first + 5), true);
  }
  for (let i = 0; i < 12; i++) push(null, 'United Kingdom', Math.floor(rand() * span), false);
  return lines;
}

const LINE_CASTS = ['int', 'bigint', 'text', 'date', 'text', 'text', 'text', 'text', 'int', 'numeric', 'numeric', 'boolean'];

/** Lines go into staging (marts.fct_sales is its product-line view), flagged as clean product lines. */
async function insertLines(session: Session, lines: readonly Line[]): Promise<void> {
  for (let start = 0; start < lines.length; start += 200) {
    const chunk = lines.slice(start, start + 200);
    const values = chunk.map((_, r) => {
      const p = (c: number) => `$${r * 12 + c + 1}::${LINE_CASTS[c]}`;
      return `(${LINE_CASTS.map((_, c) => p(c)).join(', ')}, ${p(3)} + time '10:00', ${p(7)}, ${p(4)} IS NULL, false, false, false, true, CASE WHEN ${p(11)} THEN true END)`;
    });
    await session.query(
      `INSERT INTO staging.order_lines (batch_id, line_no, invoice_no, invoice_date, customer_id, stock_code, description, country,
         quantity, unit_price, line_total, is_cancellation, invoiced_at, country_source, is_missing_customer, is_duplicate,
         is_non_product, is_non_positive_price, is_product_line, cancellation_matched) VALUES ${values.join(', ')}`,
      chunk.flat(),
    );
  }
}

async function seedOps(session: Session, loaded: number): Promise<void> {
  await session.query(
    `INSERT INTO ops.batches (batch_id, source_uri, source_etag, source_bytes, layout, encoding, status, rows_read, rows_loaded, rows_rejected, started_at, finished_at)
     VALUES (1, 's3://insiders-raw/orders/2011.csv', 'etag-1', 51200, 'online_retail', 'utf8', 'replaced', 500, 498, 2, '2011-12-01 02:00+00', '2011-12-01 02:00:05+00'),
            (2, 's3://insiders-raw/orders/2011.csv', 'etag-2', 98304, 'online_retail', 'utf8', 'loaded', $1::bigint + 3, $1, 3, '2011-12-10 02:00+00', '2011-12-10 02:00:06+00')`,
    [loaded],
  );
  await session.query("UPDATE ops.batches SET replaced_by = 2 WHERE batch_id = 1");
  await session.query(
    `INSERT INTO ops.rejected_rows (batch_id, line_no, raw, reason) VALUES
       (2, 117, '536999,85123A,WHITE HANGING HEART,six,12/1/2010 8:26,2.55,17850,United Kingdom', 'quantity is not an integer'),
       (2, 402, '537001,71053,"WHITE METAL LANTERN,6,12/1/2010 8:26', 'unterminated quoted field'),
       (2, 803, '537090,84406B,CREAM CUPID HEARTS COAT HANGER,8,31/31/2010 8:26,2.75,17850,United Kingdom', 'invoice date is not a date')`,
  );
  const runs: Array<[string, string | null, string, string, number, string | null, string | null]> = [];
  for (const [asOf, day] of [[SEED_AS_OF[0], '2011-12-01'], [SEED_AS_OF[1], '2011-12-10']] as const) {
    let offset = 0;
    for (const [job, seconds] of [['ingest', 6.2], ['transform', 3.1], ['rfm', 1.4], ['segment', 2.2], ['clv', 8.9], ['insiders', 0.8], ['report', 1.9]] as const) {
      runs.push([job, asOf, 'succeeded', `${day} 02:00:${String(offset).padStart(2, '0')}+00`, seconds, null, null]);
      offset += Math.ceil(seconds);
    }
  }
  runs.push(['clv', SEED_AS_OF[1], 'failed', '2011-12-10 03:00:00+00', 2.5, 'fit', 'BG/NBD did not converge after 200 iterations']);
  for (const [job, asOf, status, started, seconds, step, error] of runs) {
    await session.query(
      `INSERT INTO ops.job_runs (job, as_of, status, started_at, finished_at, step, stats, error)
       VALUES ($1, $2::date, $3, $4::timestamptz, $4::timestamptz + make_interval(secs => $5), $6, '{}'::jsonb, $7)`,
      [job, asOf, status, started, seconds, step, error],
    );
  }
}

/** Sales marts, cohorts and the cleaning-rule counts, from the generated lines. */
const DERIVE_SALES_MARTS = `
INSERT INTO marts.sales_daily (sales_date, country, invoices, customers, net_revenue, cancelled_revenue)
SELECT invoice_date, country, count(DISTINCT invoice_no) FILTER (WHERE NOT is_cancellation), count(DISTINCT customer_id),
       sum(line_total), coalesce(-sum(line_total) FILTER (WHERE is_cancellation), 0)
FROM staging.order_lines GROUP BY invoice_date, country;

INSERT INTO marts.cohort_retention (cohort_month, month_offset, customers, cohort_size, retention)
WITH buys AS (
  SELECT customer_id, date_trunc('month', invoice_date)::date AS month
  FROM staging.order_lines WHERE customer_id IS NOT NULL AND NOT is_cancellation GROUP BY 1, 2
), firsts AS (SELECT customer_id, min(month) AS cohort_month FROM buys GROUP BY 1),
sizes AS (SELECT cohort_month, count(*) AS cohort_size FROM firsts GROUP BY 1)
SELECT f.cohort_month,
       ((extract(year FROM b.month) - extract(year FROM f.cohort_month)) * 12 + extract(month FROM b.month) - extract(month FROM f.cohort_month))::int,
       count(*), s.cohort_size, count(*)::float8 / s.cohort_size
FROM buys b JOIN firsts f ON f.customer_id = b.customer_id JOIN sizes s ON s.cohort_month = f.cohort_month
GROUP BY 1, 2, s.cohort_size;

INSERT INTO marts.dq_report (batch_id, rule, rows)
SELECT 2, r.rule, r.rows FROM (VALUES
  ('rows_read', (SELECT rows_read FROM ops.batches WHERE batch_id = 2)),
  ('rows_loaded', (SELECT rows_loaded FROM ops.batches WHERE batch_id = 2)),
  ('rows_rejected', (SELECT rows_rejected FROM ops.batches WHERE batch_id = 2)),
  ('duplicate', 4), ('non_product', 9), ('non_positive_price', 2), ('country_normalised', 5),
  ('missing_customer', (SELECT count(*) FROM staging.order_lines WHERE customer_id IS NULL)),
  ('cancellation', (SELECT count(*) FROM staging.order_lines WHERE is_cancellation)),
  ('product_line', (SELECT count(*) FROM staging.order_lines))
) AS r(rule, rows);`;

/** Customer marts of one snapshot ($1 = as_of), each statement reading the ones before it. */
const DERIVE_CUSTOMER_MARTS = [
  `INSERT INTO marts.customer_rfm (as_of, customer_id, country, recency_days, frequency, monetary, first_purchase, last_purchase,
     r_score, f_score, m_score, segment, x, t_x, t, monetary_value)
   WITH lines AS (SELECT * FROM staging.order_lines WHERE customer_id IS NOT NULL AND invoice_date <= $1::date),
   purchases AS (
     SELECT customer_id, invoice_no, min(invoice_date) AS day, sum(line_total) AS total
     FROM lines WHERE NOT is_cancellation GROUP BY customer_id, invoice_no HAVING sum(line_total) > 0),
   per AS (
     SELECT customer_id, count(*)::int AS frequency, min(day) AS first_purchase, max(day) AS last_purchase,
            (count(DISTINCT day) - 1)::int AS x, sum(total) AS purchased
     FROM purchases GROUP BY customer_id),
   spend AS (SELECT customer_id, sum(line_total) AS monetary, min(country) AS country FROM lines GROUP BY customer_id),
   scored AS (
     SELECT p.*, s.monetary, s.country,
            ntile(5) OVER (ORDER BY p.last_purchase, p.customer_id) AS r,
            ntile(5) OVER (ORDER BY p.frequency, p.customer_id) AS f,
            ntile(5) OVER (ORDER BY s.monetary, p.customer_id) AS m
     FROM per p JOIN spend s ON s.customer_id = p.customer_id)
   SELECT $1::date, customer_id, country, $1::date - last_purchase, frequency, monetary, first_purchase, last_purchase, r, f, m,
          CASE WHEN r >= 4 AND f >= 4 THEN 'Champions' WHEN f >= 4 THEN 'Loyal' WHEN r = 5 AND f = 1 THEN 'New'
               WHEN r >= 4 AND f >= 2 THEN 'Potential Loyalist' WHEN r >= 4 THEN 'Promising' WHEN r = 3 THEN 'Need Attention'
               WHEN m >= 4 THEN 'Can''t Lose' WHEN r = 2 AND f >= 3 THEN 'At Risk' WHEN r = 2 THEN 'About to Sleep'
               WHEN f >= 2 THEN 'Hibernating' ELSE 'Lost' END,
          x, last_purchase - first_purchase, $1::date - first_purchase,
          CASE WHEN x = 0 THEN 0 ELSE round(purchased / frequency, 2) END
   FROM scored`,
  `INSERT INTO marts.customer_clusters (as_of, customer_id, cluster, cluster_name, r_cluster, f_cluster, m_cluster, dimension_score, value_tier)
   SELECT as_of, customer_id, cluster, (ARRAY['Dormant', 'Occasional', 'Regular', 'Best'])[cluster + 1],
          r_score - 1, f_score - 1, m_score - 1, r_score + f_score + m_score,
          CASE WHEN m_score = 5 THEN 'High' WHEN m_score >= 3 THEN 'Mid' ELSE 'Low' END
   FROM (SELECT r.*, CASE WHEN r_score + f_score >= 8 THEN 3 WHEN r_score >= 3 THEN 2 WHEN f_score >= 3 THEN 1 ELSE 0 END AS cluster
         FROM marts.customer_rfm r WHERE as_of = $1::date) c`,
  `INSERT INTO marts.customer_clv (as_of, customer_id, p_alive, expected_purchases_90d, expected_purchases_180d, expected_purchases_365d,
     expected_order_value, clv_180d, clv_365d)
   SELECT as_of, customer_id, p_alive, p_alive * rate * 90, p_alive * rate * 180, p_alive * rate * 365,
          order_value, p_alive * rate * 180 * order_value, p_alive * rate * 365 * order_value
   FROM (SELECT as_of, customer_id, least(0.99, greatest(0.02, 1 - recency_days::float8 / (t + 60))) AS p_alive,
                frequency::float8 / greatest(t, 30) AS rate, greatest(monetary::float8, 0) / frequency AS order_value
         FROM marts.customer_rfm WHERE as_of = $1::date) s`,
  `INSERT INTO marts.clv_calibration (as_of, frequency_bin, bin_order, customers, mean_actual, mean_predicted)
   SELECT $1::date, CASE WHEN r.x >= 5 THEN '5+' ELSE r.x::text END, least(r.x, 5), count(*), avg(r.x * 0.32 + 0.05), avg(v.expected_purchases_90d)
   FROM marts.customer_rfm r JOIN marts.customer_clv v ON v.as_of = r.as_of AND v.customer_id = r.customer_id
   WHERE r.as_of = $1::date GROUP BY 2, 3`,
  `INSERT INTO marts.insiders (as_of, customer_id, rank, score, reasons)
   SELECT as_of, customer_id, row_number() OVER (ORDER BY clv_365d DESC, customer_id), score, reasons
   FROM (SELECT v.as_of, v.customer_id, v.clv_365d, v.clv_365d / max(v.clv_365d) OVER () AS score,
                format('365-day CLV %s; P(alive) %s; %s', round(v.clv_365d::numeric), round(v.p_alive::numeric, 2), r.segment) AS reasons
         FROM marts.customer_clv v JOIN marts.customer_rfm r ON r.as_of = v.as_of AND r.customer_id = v.customer_id
         WHERE v.as_of = $1::date AND v.p_alive >= 0.5
         ORDER BY v.clv_365d DESC, v.customer_id LIMIT 15) top`,
  `INSERT INTO marts.segment_summary (as_of, kind, segment, customers, customer_share, revenue, revenue_share, mean_recency, mean_frequency, mean_monetary)
   WITH joined AS (
     SELECT r.segment, c.cluster_name, c.value_tier, r.recency_days, r.frequency, r.monetary
     FROM marts.customer_rfm r JOIN marts.customer_clusters c ON c.as_of = r.as_of AND c.customer_id = r.customer_id
     WHERE r.as_of = $1::date),
   grouped AS (
     SELECT 'rfm' AS kind, segment, count(*) AS customers, sum(monetary) AS revenue, avg(recency_days) AS r, avg(frequency) AS f, avg(monetary) AS m FROM joined GROUP BY segment
     UNION ALL SELECT 'cluster', cluster_name, count(*), sum(monetary), avg(recency_days), avg(frequency), avg(monetary) FROM joined GROUP BY cluster_name
     UNION ALL SELECT 'value_tier', value_tier, count(*), sum(monetary), avg(recency_days), avg(frequency), avg(monetary) FROM joined GROUP BY value_tier)
   SELECT $1::date, kind, segment, customers, customers::float8 / sum(customers) OVER (PARTITION BY kind), revenue,
          coalesce(revenue::float8 / nullif(sum(revenue) OVER (PARTITION BY kind), 0), 0), r, f, m
   FROM grouped`,
];

/** Marts that compare a snapshot with the previous one ($1 = the later as_of). */
const DERIVE_LATEST_ONLY = [
  `INSERT INTO marts.insiders_changes (as_of, customer_id, previous_as_of, change, reason)
   WITH prev AS (SELECT max(as_of) AS as_of FROM marts.insiders WHERE as_of < $1::date),
   now_ids AS (SELECT customer_id FROM marts.insiders WHERE as_of = $1::date),
   prev_ids AS (SELECT i.customer_id FROM marts.insiders i JOIN prev p ON i.as_of = p.as_of)
   SELECT $1::date, coalesce(n.customer_id, b.customer_id), (SELECT as_of FROM prev),
          CASE WHEN b.customer_id IS NULL THEN 'joined' ELSE 'left' END,
          CASE WHEN b.customer_id IS NULL THEN 'entered the top 15 by 365-day CLV' ELSE 'left the top 15 or P(alive) fell below 0.5' END
   FROM now_ids n FULL JOIN prev_ids b ON b.customer_id = n.customer_id
   WHERE n.customer_id IS NULL OR b.customer_id IS NULL`,
  `INSERT INTO marts.segment_transitions (as_of, previous_as_of, from_segment, to_segment, customers)
   WITH prev AS (SELECT max(as_of) AS as_of FROM marts.customer_rfm WHERE as_of < $1::date),
   now_rows AS (SELECT customer_id, segment FROM marts.customer_rfm WHERE as_of = $1::date),
   prev_rows AS (SELECT r.customer_id, r.segment FROM marts.customer_rfm r JOIN prev p ON r.as_of = p.as_of)
   SELECT $1::date, (SELECT as_of FROM prev), coalesce(b.segment, '(new)'), coalesce(n.segment, '(gone)'), count(*)
   FROM now_rows n FULL JOIN prev_rows b ON b.customer_id = n.customer_id
   GROUP BY 3, 4`,
];

/**
 * Fills every mart the dashboards read, consistently, for two as_of dates: invoice lines are
 * generated, and the customer marts are derived from them with SQL (so counts agree across marts).
 */
export async function seedMarts(session: Session): Promise<SeedFacts> {
  const lines = salesLines();
  await session.transaction(async () => {
    await insertLines(session, lines);
    await seedOps(session, lines.length);
    await session.exec(DERIVE_SALES_MARTS);
    for (const asOf of SEED_AS_OF) {
      for (const statement of DERIVE_CUSTOMER_MARTS) await session.query(statement, [asOf]);
    }
    for (const statement of DERIVE_LATEST_ONLY) await session.query(statement, [SEED_AS_OF[1]]);
  });
  const count = async (table: string) => Object.fromEntries(
    (await session.query<{ as_of: string; n: number }>(`SELECT as_of::text AS as_of, count(*) AS n FROM ${table} GROUP BY as_of`)).map((r) => [r.as_of, Number(r.n)]),
  );
  return { asOf: SEED_AS_OF, customers: await count('marts.customer_rfm'), insiders: await count('marts.insiders'), salesLines: lines.length };
}
