-- grain: one cleaning rule per batch
CREATE TABLE marts.dq_report (
  batch_id integer NOT NULL,
  rule     text    NOT NULL,
  rows     bigint  NOT NULL,
  PRIMARY KEY (batch_id, rule)
);

-- grain: one product line (duplicates, non-product codes and non-positive prices left out;
-- cancellations kept with negative revenue so sums are net). A view: staging is rebuilt in the
-- same transaction as the marts, so it is as consistent as a copy and costs no second write.
CREATE VIEW marts.fct_sales AS
SELECT batch_id, line_no, invoice_no, invoice_date, invoiced_at, customer_id, stock_code, description,
       country, quantity, unit_price, line_total AS revenue, is_cancellation
FROM staging.order_lines
WHERE is_product_line;

-- grain: one day per country
CREATE TABLE marts.sales_daily (
  sales_date           date    NOT NULL,
  country              text    NOT NULL,
  invoices             bigint  NOT NULL,
  customers            bigint  NOT NULL,
  net_revenue          numeric NOT NULL,
  cancelled_revenue    numeric NOT NULL,
  PRIMARY KEY (sales_date, country)
);
