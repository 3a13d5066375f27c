-- grain: one RFM segment per as_of ($1)
INSERT INTO marts.segment_summary
  (as_of, kind, segment, customers, customer_share, revenue, revenue_share, mean_recency, mean_frequency, mean_monetary)
SELECT $1::date, 'rfm', segment,
       count(*),
       count(*)::float8 / sum(count(*)) OVER (),
       sum(monetary),
       coalesce(sum(monetary)::float8 / nullif(sum(sum(monetary)) OVER (), 0), 0),
       avg(recency_days), avg(frequency), avg(monetary)
FROM marts.customer_rfm
WHERE as_of = $1::date
GROUP BY segment
