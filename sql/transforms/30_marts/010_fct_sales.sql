-- grain: one product line (see migration 005); net revenue = sum(revenue).
DELETE FROM marts.fct_sales;

INSERT INTO marts.fct_sales
SELECT batch_id, line_no, invoice_no, invoice_date, invoiced_at, customer_id, stock_code, description,
       country, quantity, unit_price, line_total AS revenue, is_cancellation
FROM staging.order_lines
WHERE is_product_line;
