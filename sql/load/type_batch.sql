-- Types the raw rows of batch $1 once: rows that type go to staging.typed_lines; rows that do not
-- are moved from raw to ops.rejected_rows with the reason. One statement, so it is all or nothing.
WITH parsed AS MATERIALIZED (
  SELECT r.*,
         staging.parse_int(r.quantity) AS q,
         staging.parse_num(r.unit_price) AS p,
         d.parts
  FROM raw.order_lines r
  -- Dates: ISO `2010-12-01 08:26[:00]` (or with T) and US `12/1/2010 8:26[:00]`; one regex check,
  -- then the digits split without regex. OFFSET 0 keeps the split from being repeated per use.
  CROSS JOIN LATERAL (
    SELECT CASE
      WHEN r.invoice_date ~ '^ *([1-9][0-9]{3}-[0-9]{1,2}-[0-9]{1,2}[ T]|[0-9]{1,2}/[0-9]{1,2}/[1-9][0-9]{3} +)[0-9]{1,2}:[0-9]{2}(:[0-9]{2})? *$'
      THEN string_to_array(translate(btrim(r.invoice_date), '-/T:', '    '), ' ')::integer[]
    END AS parts
    OFFSET 0
  ) d
  WHERE r.batch_id = $1
),
dated AS (
  SELECT x.*,
         CASE WHEN x.parts[1] > 31 THEN x.parts[1] ELSE x.parts[3] END AS y,
         CASE WHEN x.parts[1] > 31 THEN x.parts[2] ELSE x.parts[1] END AS m,
         CASE WHEN x.parts[1] > 31 THEN x.parts[3] ELSE x.parts[2] END AS dd
  FROM parsed x
),
checked AS (
  SELECT t.*,
         CASE
           WHEN coalesce(btrim(t.invoice_no), '') = '' THEN 'empty invoice number'
           WHEN coalesce(btrim(t.stock_code), '') = '' THEN 'empty stock code'
           WHEN t.q IS NULL THEN 'unparseable quantity: ' || coalesce(t.quantity, '(empty)')
           WHEN t.p IS NULL THEN 'unparseable unit price: ' || coalesce(t.unit_price, '(empty)')
           WHEN t.parts IS NULL
             OR t.m NOT BETWEEN 1 AND 12 OR t.dd < 1 OR t.parts[4] > 23 OR t.parts[5] > 59 OR coalesce(t.parts[6], 0) > 59
             OR (t.dd > 28 AND t.dd > extract(day FROM make_date(t.y, t.m, 1) + interval '1 month - 1 day'))
             THEN 'unparseable invoice date: ' || coalesce(t.invoice_date, '(empty)')
         END AS reason
  FROM dated t
),
rejected AS (
  INSERT INTO ops.rejected_rows (batch_id, line_no, raw, reason)
  SELECT batch_id, line_no,
         concat_ws(',', staging.csv_field(invoice_no), staging.csv_field(stock_code), staging.csv_field(description),
                   staging.csv_field(quantity), staging.csv_field(invoice_date), staging.csv_field(unit_price),
                   staging.csv_field(customer_id), staging.csv_field(country)),
         reason
  FROM checked
  WHERE reason IS NOT NULL
  RETURNING batch_id, line_no
),
unloaded AS (
  DELETE FROM raw.order_lines r
  USING rejected j
  WHERE r.batch_id = j.batch_id AND r.line_no = j.line_no
)
INSERT INTO staging.typed_lines
  (batch_id, line_no, invoice_no, stock_code, description, quantity, unit_price, invoiced_at, customer_id, country_source)
SELECT batch_id, line_no, btrim(invoice_no), btrim(stock_code), description, q, p,
       make_timestamp(y, m, dd, parts[4], parts[5], coalesce(parts[6], 0)),
       staging.parse_customer(customer_id),
       nullif(btrim(country), '')
FROM checked
WHERE reason IS NULL
