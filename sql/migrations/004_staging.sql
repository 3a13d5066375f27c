-- Typing functions: total (never raise), so one bad value is a rejected row, not a failed statement.
-- Each is a single expression so the planner inlines it (a non-inlined SQL function costs far more per row).

-- Integer quantity: exactly what a cast to integer accepts, NULL otherwise.
CREATE FUNCTION staging.parse_int(s text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN s ~ '^\s*[-+]?[0-9]{1,10}\s*$' AND btrim(s, E' \t\n\r\v\f')::bigint BETWEEN -2147483648 AND 2147483647
              THEN s::integer END
$$;

-- Decimal price in plain notation (no exponent, NaN or Infinity), NULL otherwise.
CREATE FUNCTION staging.parse_num(s text) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN length(s) <= 40 AND s ~ '^ *[-+]?([0-9]+\.?[0-9]*|\.[0-9]+) *$' THEN btrim(s)::numeric END
$$;

-- Customer id: `17850.0` and `17850` are the same customer; empty is NULL.
CREATE FUNCTION staging.parse_customer(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT nullif(CASE WHEN strpos(s, '.') > 0 AND rtrim(split_part(btrim(s), '.', 2), '0') = '' AND split_part(btrim(s), '.', 3) = ''
                     THEN split_part(btrim(s), '.', 1) ELSE btrim(s) END, '')
$$;

-- One CSV field as it would be written back (for the raw text of rejected rows).
CREATE FUNCTION staging.csv_field(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN s ~ '[",\r\n]' THEN '"' || replace(s, '"', '""') || '"' ELSE coalesce(s, '') END
$$;

-- Every raw row with its values parsed once and the reason it does not type (NULL when it does).
-- Parsing is plain SQL over each value once (LATERAL … OFFSET 0 keeps a parsed value from being
-- recomputed at every use); simple regexes only, since regex matching dominates the cost.
CREATE VIEW staging.raw_parsed AS
WITH parsed AS (
  SELECT r.batch_id, r.line_no, r.invoice_no, r.stock_code, r.description, r.quantity, r.invoice_date,
         r.unit_price, r.customer_id, r.country, v.q, v.p, d.parts, d.us
  FROM raw.order_lines r
  CROSS JOIN LATERAL (
    SELECT staging.parse_int(r.quantity) AS q, staging.parse_num(r.unit_price) AS p
    OFFSET 0
  ) v
  -- Dates: ISO `2010-12-01 08:26[:00]` (or with T) and US `12/1/2010 8:26[:00]`.
  CROSS JOIN LATERAL (
    SELECT CASE
             WHEN length(r.invoice_date) <= 30
              AND r.invoice_date ~ '^ *[0-9]+(-[0-9]+-[0-9]+[ T]|/[0-9]+/[0-9]+ +)[0-9]+:[0-9]+(:[0-9]+)? *$'
             THEN string_to_array(translate(btrim(r.invoice_date), '-/T:', '    '), ' ')::integer[]
           END AS parts,
           strpos(r.invoice_date, '/') > 0 AS us
    OFFSET 0
  ) d
),
dated AS (
  SELECT x.*,
         CASE WHEN x.us THEN x.parts[3] ELSE x.parts[1] END AS y,
         CASE WHEN x.us THEN x.parts[1] ELSE x.parts[2] END AS m,
         CASE WHEN x.us THEN x.parts[2] ELSE x.parts[3] END AS dd
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
             OR t.y NOT BETWEEN 1000 AND 9999 OR t.m NOT BETWEEN 1 AND 12 OR t.dd < 1
             OR t.parts[4] > 23 OR t.parts[5] > 59 OR coalesce(t.parts[6], 0) > 59
             OR (t.dd > 28 AND t.dd > extract(day FROM make_date(t.y, t.m, 1) + interval '1 month - 1 day'))
             THEN 'unparseable invoice date: ' || coalesce(t.invoice_date, '(empty)')
         END AS reason
  FROM dated t
)
SELECT c.*,
       CASE WHEN c.reason IS NULL THEN make_timestamp(c.y, c.m, c.dd, c.parts[4], c.parts[5], coalesce(c.parts[6], 0)) END AS invoiced_at
FROM checked c;

-- Small dimension: source spellings of countries and the name reported.
CREATE TABLE staging.country_map (
  source  text PRIMARY KEY,
  country text NOT NULL
);
INSERT INTO staging.country_map (source, country) VALUES
  ('EIRE', 'Ireland'), ('RSA', 'South Africa'), ('USA', 'United States'), ('Unspecified', 'Unknown');

-- Non-product stock codes in force (refreshed from configuration before each transform).
CREATE TABLE staging.non_product_codes (
  code      text PRIMARY KEY,
  is_prefix boolean NOT NULL DEFAULT false
);

-- grain: one input line that typed, per batch; filled at ingest (sql/load/type_batch_*.sql), so
-- values are parsed once per batch and transforms never parse text again.
CREATE TABLE staging.typed_lines (
  batch_id       integer   NOT NULL,
  line_no        bigint    NOT NULL,
  invoice_no     text      NOT NULL CHECK (invoice_no <> ''),
  stock_code     text      NOT NULL CHECK (stock_code <> ''),
  description    text,
  quantity       integer   NOT NULL,
  unit_price     numeric   NOT NULL,
  invoiced_at    timestamp NOT NULL,
  customer_id    text,
  country_source text
);
-- (batch_id, line_no) is unique by construction (one batch, one line-number sequence); a BRIN index
-- on the batch, which arrives in id order, costs far less to keep than a unique btree.
CREATE INDEX typed_lines_by_batch ON staging.typed_lines USING brin (batch_id);

-- grain: one loaded input line of the current batches; flags say which cleaning rules it meets.
CREATE TABLE staging.order_lines (
  batch_id              integer NOT NULL,
  line_no               bigint  NOT NULL,
  invoice_no            text    NOT NULL,
  stock_code            text    NOT NULL,
  description           text,
  quantity              integer NOT NULL,
  unit_price            numeric NOT NULL,
  line_total            numeric NOT NULL,
  invoiced_at           timestamp NOT NULL,
  invoice_date          date    NOT NULL,
  customer_id           text,
  country               text    NOT NULL,
  country_source        text,
  is_cancellation       boolean NOT NULL,
  is_duplicate          boolean NOT NULL,
  is_missing_customer   boolean NOT NULL,
  is_non_product        boolean NOT NULL,
  is_non_positive_price boolean NOT NULL,
  is_product_line       boolean NOT NULL,
  cancellation_matched  boolean
);
-- No primary key: (batch_id, line_no) is already unique in staging.typed_lines, this table is
-- rebuilt whole from it each run, and nothing looks lines up by key (an index costs a tenth of the rebuild).
