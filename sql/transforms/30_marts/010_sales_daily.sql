-- grain: one day per country
TRUNCATE marts.sales_daily;

INSERT INTO marts.sales_daily
SELECT invoice_date,
       country,
       count(DISTINCT invoice_no) FILTER (WHERE NOT is_cancellation),
       count(DISTINCT customer_id),
       sum(revenue),
       coalesce(-sum(revenue) FILTER (WHERE is_cancellation), 0)
FROM marts.fct_sales
GROUP BY invoice_date, country;
