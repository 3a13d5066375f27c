import { customerSegments } from './dashboards/customer-segments.js';
import { customerValue } from './dashboards/customer-value.js';
import { dataQuality } from './dashboards/data-quality.js';
import { insiders } from './dashboards/insiders.js';
import { salesCohorts } from './dashboards/sales-cohorts.js';
import type { DashboardSpec } from './spec-types.js';

/** The dashboards published to Metabase and rendered into the static report, in reading order. */
export const DASHBOARDS: readonly DashboardSpec[] = [customerSegments, customerValue, insiders, salesCohorts, dataQuality];
