-- Customer marts. Every table is one snapshot per as_of (the last day included), replaced whole in
-- one transaction on rerun; customer_id is never NULL and is in every key (distributable on Citus).

-- grain: one customer per as_of
CREATE TABLE marts.customer_rfm (
  as_of          date    NOT NULL,
  customer_id    text    NOT NULL,
  country        text    NOT NULL,
  recency_days   integer NOT NULL,
  frequency      integer NOT NULL,
  monetary       numeric NOT NULL,
  first_purchase date    NOT NULL,
  last_purchase  date    NOT NULL,
  r_score        smallint NOT NULL CHECK (r_score BETWEEN 1 AND 5),
  f_score        smallint NOT NULL CHECK (f_score BETWEEN 1 AND 5),
  m_score        smallint NOT NULL CHECK (m_score BETWEEN 1 AND 5),
  segment        text    NOT NULL,
  x              integer NOT NULL,
  t_x            integer NOT NULL,
  t              integer NOT NULL,
  monetary_value numeric NOT NULL,
  PRIMARY KEY (as_of, customer_id)
);

-- grain: one customer per as_of
CREATE TABLE marts.customer_clusters (
  as_of           date     NOT NULL,
  customer_id     text     NOT NULL,
  cluster         smallint NOT NULL,
  cluster_name    text     NOT NULL,
  r_cluster       smallint NOT NULL,
  f_cluster       smallint NOT NULL,
  m_cluster       smallint NOT NULL,
  dimension_score smallint NOT NULL,
  value_tier      text     NOT NULL CHECK (value_tier IN ('Low', 'Mid', 'High')),
  PRIMARY KEY (as_of, customer_id)
);

-- grain: one behavioural cluster per as_of (centroids in log1p units: tomorrow's names are matched to these)
CREATE TABLE marts.cluster_centroids (
  as_of           date     NOT NULL,
  cluster         smallint NOT NULL,
  cluster_name    text     NOT NULL,
  customers       integer  NOT NULL,
  recency_log1p   float8   NOT NULL,
  frequency_log1p float8   NOT NULL,
  monetary_log1p  float8   NOT NULL,
  PRIMARY KEY (as_of, cluster)
);

-- grain: one leaf rule of the tree that explains the clusters, per as_of
CREATE TABLE marts.cluster_rules (
  as_of        date     NOT NULL,
  rule_no      smallint NOT NULL,
  rule         text     NOT NULL,
  cluster_name text     NOT NULL,
  customers    integer  NOT NULL,
  correct      integer  NOT NULL,
  PRIMARY KEY (as_of, rule_no)
);

-- grain: one customer per as_of
CREATE TABLE marts.customer_clv (
  as_of                   date   NOT NULL,
  customer_id             text   NOT NULL,
  p_alive                 float8 NOT NULL CHECK (p_alive BETWEEN 0 AND 1),
  expected_purchases_90d  float8 NOT NULL,
  expected_purchases_180d float8 NOT NULL,
  expected_purchases_365d float8 NOT NULL,
  expected_order_value    float8 NOT NULL,
  clv_180d                float8 NOT NULL,
  clv_365d                float8 NOT NULL,
  PRIMARY KEY (as_of, customer_id)
);

-- grain: one fitted model per as_of (time in days)
CREATE TABLE marts.clv_models (
  as_of          date   NOT NULL,
  model          text   NOT NULL,
  params         jsonb  NOT NULL,
  log_likelihood float8 NOT NULL,
  customers      integer NOT NULL,
  status         text   NOT NULL DEFAULT 'converged' CHECK (status IN ('converged', 'degraded')),
  PRIMARY KEY (as_of, model)
);

-- grain: one calibration-frequency bin of the backtest per as_of
CREATE TABLE marts.clv_calibration (
  as_of          date    NOT NULL,
  frequency_bin  text    NOT NULL,
  bin_order      smallint NOT NULL,
  customers      integer NOT NULL,
  mean_actual    float8  NOT NULL,
  mean_predicted float8  NOT NULL,
  PRIMARY KEY (as_of, frequency_bin)
);

-- grain: one metric of one model per as_of
CREATE TABLE marts.model_metrics (
  as_of  date   NOT NULL,
  model  text   NOT NULL,
  metric text   NOT NULL,
  value  float8 NOT NULL,
  detail jsonb,
  PRIMARY KEY (as_of, model, metric)
);

-- grain: one eligible customer per as_of
CREATE TABLE marts.insiders (
  as_of       date    NOT NULL,
  customer_id text    NOT NULL,
  rank        integer NOT NULL,
  score       float8  NOT NULL,
  reasons     text    NOT NULL,
  PRIMARY KEY (as_of, customer_id)
);

-- grain: one customer who joined or left the Insiders list since the previous as_of
CREATE TABLE marts.insiders_changes (
  as_of          date NOT NULL,
  customer_id    text NOT NULL,
  previous_as_of date,
  change         text NOT NULL CHECK (change IN ('joined', 'left')),
  reason         text NOT NULL,
  PRIMARY KEY (as_of, customer_id)
);

-- grain: one segment (or cluster) per as_of
CREATE TABLE marts.segment_summary (
  as_of          date    NOT NULL,
  kind           text    NOT NULL CHECK (kind IN ('rfm', 'cluster', 'value_tier')),
  segment        text    NOT NULL,
  customers      integer NOT NULL,
  customer_share float8  NOT NULL,
  revenue        numeric NOT NULL,
  revenue_share  float8  NOT NULL,
  mean_recency   float8  NOT NULL,
  mean_frequency float8  NOT NULL,
  mean_monetary  float8  NOT NULL,
  PRIMARY KEY (as_of, kind, segment)
);

-- grain: one (segment at the previous as_of, segment now) pair per as_of
CREATE TABLE marts.segment_transitions (
  as_of          date    NOT NULL,
  previous_as_of date    NOT NULL,
  from_segment   text    NOT NULL,
  to_segment     text    NOT NULL,
  customers      integer NOT NULL,
  PRIMARY KEY (as_of, from_segment, to_segment)
);

-- grain: one first-purchase month × months since, for the retention heatmap
CREATE TABLE marts.cohort_retention (
  cohort_month date    NOT NULL,
  month_offset integer NOT NULL,
  customers    integer NOT NULL,
  cohort_size  integer NOT NULL,
  retention    float8  NOT NULL,
  PRIMARY KEY (cohort_month, month_offset)
);
