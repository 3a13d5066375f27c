-- grain: one input row as landed; every field text so COPY never rejects a value, only a malformed row.
-- batch_id and line_no come from column defaults the loader sets per COPY, so the clean path
-- streams bytes straight in without touching rows in JavaScript.
CREATE SEQUENCE raw.order_lines_line_no;
CREATE TABLE raw.order_lines (
  batch_id     integer NOT NULL DEFAULT current_setting('insiders.batch_id')::integer,
  line_no      bigint  NOT NULL DEFAULT nextval('raw.order_lines_line_no'),
  invoice_no   text,
  stock_code   text,
  description  text,
  quantity     text,
  invoice_date text,
  unit_price   text,
  customer_id  text,
  country      text
);
-- Batches arrive in id order, so a BRIN index finds a batch's rows for almost nothing on load
-- (a btree here costs a tenth of the COPY).
CREATE INDEX order_lines_by_batch ON raw.order_lines USING brin (batch_id);
