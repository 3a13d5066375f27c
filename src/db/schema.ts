import type { ColumnType, Generated } from 'kysely';

/** Dates and timestamps as the drivers return them. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface BatchesTable {
  batch_id: Generated<number>;
  source_uri: string;
  source_etag: string;
  source_bytes: number | null;
  layout: string | null;
  encoding: string | null;
  status: 'loading' | 'loaded' | 'replaced';
  rows_read: Generated<number>;
  rows_loaded: Generated<number>;
  rows_rejected: Generated<number>;
  started_at: Generated<Timestamp>;
  finished_at: Timestamp | null;
  replaced_by: number | null;
}

export interface RejectedRowsTable {
  batch_id: number;
  line_no: number;
  raw: string;
  reason: string;
}

export interface JobRunsTable {
  run_id: Generated<number>;
  job: string;
  as_of: Timestamp | null;
  status: 'running' | 'succeeded' | 'failed' | 'skipped';
  started_at: Generated<Timestamp>;
  finished_at: Timestamp | null;
  step: string | null;
  stats: ColumnType<Record<string, unknown>, string | undefined, string>;
  error: string | null;
}

export interface DqReportTable {
  batch_id: number;
  rule: string;
  rows: number;
}

export interface SalesDailyTable {
  sales_date: Timestamp;
  country: string;
  invoices: number;
  customers: number;
  net_revenue: number;
  cancelled_revenue: number;
}

/** The tables code reads or writes through Kysely. */
export interface Database {
  'ops.batches': BatchesTable;
  'ops.rejected_rows': RejectedRowsTable;
  'ops.job_runs': JobRunsTable;
  'marts.dq_report': DqReportTable;
  'marts.sales_daily': SalesDailyTable;
}
