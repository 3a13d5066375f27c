-- RFM segments of as_of $1 by revenue.
SELECT segment, customers, revenue_share
FROM marts.segment_summary
WHERE as_of = $1::date AND kind = 'rfm'
ORDER BY revenue DESC, segment
