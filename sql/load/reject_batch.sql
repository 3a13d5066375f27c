-- Moves the raw rows of batch $1 that do not type to ops.rejected_rows with the reason (run only
-- when typing left rows behind, so a clean batch never pays for it). One statement: all or nothing.
WITH bad AS (
  SELECT batch_id, line_no, reason,
         concat_ws(',', staging.csv_field(invoice_no), staging.csv_field(stock_code), staging.csv_field(description),
                   staging.csv_field(quantity), staging.csv_field(invoice_date), staging.csv_field(unit_price),
                   staging.csv_field(customer_id), staging.csv_field(country)) AS raw
  FROM staging.raw_parsed
  WHERE batch_id = $1 AND reason IS NOT NULL
),
moved AS (
  INSERT INTO ops.rejected_rows (batch_id, line_no, raw, reason)
  SELECT batch_id, line_no, raw, reason FROM bad
  RETURNING batch_id, line_no
)
DELETE FROM raw.order_lines r
USING moved m
WHERE r.batch_id = m.batch_id AND r.line_no = m.line_no
