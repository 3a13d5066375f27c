-- The Insiders list of as_of $1: members and their share of customers and of revenue.
SELECT count(i.customer_id) AS members,
       (SELECT count(*) FROM marts.customer_rfm WHERE as_of = $1::date) AS customers,
       coalesce(sum(r.monetary), 0) AS revenue,
       (SELECT coalesce(sum(monetary), 0) FROM marts.customer_rfm WHERE as_of = $1::date) AS total_revenue
FROM marts.insiders i
JOIN marts.customer_rfm r ON r.as_of = i.as_of AND r.customer_id = i.customer_id
WHERE i.as_of = $1::date
