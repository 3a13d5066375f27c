-- The default as_of: the date of the last customer invoice in the data.
SELECT max(invoice_date)::text AS as_of FROM marts.fct_sales WHERE customer_id IS NOT NULL
