import type { Session } from '../../src/db/session.js';

/** md5 over the staging rows' content (batch and line numbers left out), in a fixed order. */
export async function stagingChecksum(s: Session): Promise<{ rows: number; md5: string }> {
  const [r] = await s.query<{ rows: number; md5: string }>(
    `SELECT count(*) AS rows, md5(coalesce(string_agg(t, E'\\n' ORDER BY t), '')) AS md5
     FROM (
       SELECT concat_ws('|', invoice_no, stock_code, description, quantity, unit_price, invoiced_at, customer_id,
                        country, is_cancellation, is_duplicate, is_non_product, is_non_positive_price,
                        is_product_line, cancellation_matched) AS t
       FROM staging.order_lines
     ) x`,
  );
  return r!;
}

/** md5 of a whole table's rows in a fixed order (for "rerun changes nothing"). */
export async function tableChecksum(s: Session, table: string): Promise<{ rows: number; md5: string }> {
  const [r] = await s.query<{ rows: number; md5: string }>(
    `SELECT count(*) AS rows, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS md5 FROM ${table} x`,
  );
  return r!;
}
