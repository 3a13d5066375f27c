-- Each cleaning rule summed over current batches.
SELECT rule, sum(rows) AS rows
FROM marts.dq_report
GROUP BY rule
ORDER BY rule
