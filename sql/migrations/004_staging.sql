-- Typing functions: total (never raise), so one bad value is a rejected row, not a failed statement.
-- Each is a single expression so the planner inlines it (a non-inlined SQL function costs far more per row).

-- Integer quantity, NULL when the text is not an integer that fits.
CREATE FUNCTION staging.parse_int(s text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN s ~ '^\s*[+-]?\d{1,9}\s*$' THEN btrim(s)::integer END
$$;

-- Decimal price, NULL unless plain decimal notation (optionally with a small exponent).
CREATE FUNCTION staging.parse_num(s text) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN s ~ '^\s*[+-]?(\d{1,15}(\.\d{0,12})?|\.\d{1,12})([eE][+-]?\d{1,2})?\s*$' THEN btrim(s)::numeric END
$$;

-- Customer id: `17850.0` and `17850` are the same customer; empty is NULL.
CREATE FUNCTION staging.parse_customer(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT nullif(regexp_replace(btrim(s), '^(\d+)\.0*$', '\1'), '')
$$;

-- One CSV field as it would be written back (for the raw text of rejected rows).
CREATE FUNCTION staging.csv_field(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN s ~ '[",\r\n]' THEN '"' || replace(s, '"', '""') || '"' ELSE coalesce(s, '') END
$$;

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

-- grain: one input line that typed, per batch; filled at ingest (sql/load/type_batch.sql), so
-- values are parsed once per batch and transforms never parse text again.
CREATE TABLE staging.typed_lines (
  batch_id       integer   NOT NULL,
  line_no        bigint    NOT NULL,
  invoice_no     text      NOT NULL,
  stock_code     text      NOT NULL,
  description    text,
  quantity       integer   NOT NULL,
  unit_price     numeric   NOT NULL,
  invoiced_at    timestamp NOT NULL,
  customer_id    text,
  country_source text,
  PRIMARY KEY (batch_id, line_no)
);

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
  cancellation_matched  boolean,
  PRIMARY KEY (batch_id, line_no)
);
