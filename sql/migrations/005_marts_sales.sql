-- grain: one cleaning rule per batch
CREATE TABLE marts.dq_report (
  batch_id integer NOT NULL,
  rule     text    NOT NULL,
  rows     bigint  NOT NULL,
  PRIMARY KEY (batch_id, rule)
);

-- grain: one product line (duplicates, non-product codes and non-positive prices left out;
-- cancellations kept with negative revenue so sums are net)
CREATE TABLE marts.fct_sales (
  batch_id        integer NOT NULL,
  line_no         bigint  NOT NULL,
  invoice_no      text    NOT NULL,
  invoice_date    date    NOT NULL,
  invoiced_at     timestamp NOT NULL,
  customer_id     text,
  stock_code      text    NOT NULL,
  description     text,
  country         text    NOT NULL,
  quantity        integer NOT NULL,
  unit_price      numeric NOT NULL,
  revenue         numeric NOT NULL,
  is_cancellation boolean NOT NULL,
  PRIMARY KEY (batch_id, line_no)
);

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
