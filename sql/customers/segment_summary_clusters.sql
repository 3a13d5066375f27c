-- grain: one behavioural cluster and one value tier per as_of ($1)
INSERT INTO marts.segment_summary
  (as_of, kind, segment, customers, customer_share, revenue, revenue_share, mean_recency, mean_frequency, mean_monetary)
WITH joined AS (
  SELECT c.cluster_name, c.value_tier, r.recency_days, r.frequency, r.monetary
  FROM marts.customer_clusters c
  JOIN marts.customer_rfm r ON r.as_of = c.as_of AND r.customer_id = c.customer_id
  WHERE c.as_of = $1::date
),
grouped AS (
  SELECT 'cluster' AS kind, cluster_name AS segment, count(*) AS customers, sum(monetary) AS revenue,
         avg(recency_days) AS r, avg(frequency) AS f, avg(monetary) AS m
  FROM joined GROUP BY cluster_name
  UNION ALL
  SELECT 'value_tier', value_tier, count(*), sum(monetary), avg(recency_days), avg(frequency), avg(monetary)
  FROM joined GROUP BY value_tier
)
SELECT $1::date, kind, segment, customers,
       customers::float8 / sum(customers) OVER (PARTITION BY kind),
       revenue,
       coalesce(revenue::float8 / nullif(sum(revenue) OVER (PARTITION BY kind), 0), 0),
       r, f, m
FROM grouped
