-- The behavioural cluster centroids of the latest snapshot before as_of $1 (what today's names are matched to).
SELECT as_of::text AS as_of, cluster, cluster_name, recency_log1p, frequency_log1p, monetary_log1p
FROM marts.cluster_centroids
WHERE as_of = (SELECT max(as_of) FROM marts.cluster_centroids WHERE as_of < $1::date)
ORDER BY cluster
