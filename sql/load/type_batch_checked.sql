-- The careful path: types each raw row of batch $1 by the rules of staging.raw_parsed; rows that type
-- go to staging.typed_lines (the rest are moved to the quarantine by reject_batch.sql).
INSERT INTO staging.typed_lines
  (batch_id, line_no, invoice_no, stock_code, description, quantity, unit_price, invoiced_at, customer_id, country_source)
SELECT batch_id, line_no, btrim(invoice_no), btrim(stock_code), description, q, p, invoiced_at,
       staging.parse_customer(customer_id),
       nullif(btrim(country), '')
FROM staging.raw_parsed
WHERE batch_id = $1 AND reason IS NULL
