-- grain: one first-purchase month × months since it; a customer counts in a month when they bought then.
TRUNCATE marts.cohort_retention;

INSERT INTO marts.cohort_retention (cohort_month, month_offset, customers, cohort_size, retention)
WITH active AS (
  SELECT DISTINCT customer_id, date_trunc('month', invoice_date)::date AS month
  FROM marts.fct_sales
  WHERE customer_id IS NOT NULL AND NOT is_cancellation AND revenue > 0
),
cohorts AS (
  SELECT customer_id, min(month) AS cohort_month FROM active GROUP BY customer_id
),
sizes AS (
  SELECT cohort_month, count(*) AS cohort_size FROM cohorts GROUP BY cohort_month
),
counts AS (
  SELECT c.cohort_month,
         ((extract(year FROM a.month) - extract(year FROM c.cohort_month)) * 12
           + extract(month FROM a.month) - extract(month FROM c.cohort_month))::integer AS month_offset,
         count(*) AS customers
  FROM active a
  JOIN cohorts c ON c.customer_id = a.customer_id
  GROUP BY 1, 2
)
SELECT n.cohort_month, n.month_offset, n.customers, s.cohort_size, n.customers::float8 / s.cohort_size
FROM counts n
JOIN sizes s ON s.cohort_month = n.cohort_month;
