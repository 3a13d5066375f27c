-- The fast path: types batch $1 with plain casts, guarded so that it accepts exactly what the careful
-- path (staging.raw_parsed) accepts and raises on anything else; the loader then rolls back to its
-- savepoint and takes the careful path. A clean batch pays for casts only, a dirty one for both.
INSERT INTO staging.typed_lines
  (batch_id, line_no, invoice_no, stock_code, description, quantity, unit_price, invoiced_at, customer_id, country_source)
SELECT r.batch_id,
       r.line_no,
       btrim(r.invoice_no),
       btrim(r.stock_code),
       r.description,
       r.quantity::integer,
       (CASE WHEN translate(r.unit_price, '0123456789.+- ', '') = '' THEN r.unit_price
             ELSE 'not plain: ' || r.unit_price END)::numeric,
       (CASE
          -- 2010-12-01 08:26:00 and 2010-12-01 08:26 (hour 24, which a cast accepts, is not a time)
          WHEN translate(r.invoice_date, '0123456789', '') IN ('-- ::', '-- :')
           AND length(r.invoice_date) IN (19, 16) AND substr(r.invoice_date, 12, 2) <> '24'
            THEN r.invoice_date
          -- 12/1/2010 8:26[:00] → 2010-12-1 8:26[:00]
          WHEN translate(r.invoice_date, '0123456789', '') IN ('// :', '// ::') AND strpos(r.invoice_date, ' 24:') = 0
           AND length(r.invoice_date) BETWEEN 13 AND 19
            THEN regexp_replace(r.invoice_date, '^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}) ', '\3-\1-\2 ')
          ELSE 'not a time: ' || r.invoice_date
        END)::timestamp,
       staging.parse_customer(r.customer_id),
       nullif(btrim(r.country), '')
FROM raw.order_lines r
WHERE r.batch_id = $1
