export { DURATION_BOUNDS, HISTOGRAM_SIZE, durationBucket, noJit, rebuildAnalytics, rollUpAllAnalytics, rollUpAnalytics } from './roll-up.js';
export { addHistograms, quantile, summarise, type DurationSummary } from './percentiles.js';
export {
  DIMENSIONS, INTERVALS, incidentHeatmap, incidentSeries, labelsFor, outcomes, responseTimes,
  type AnalyticsFilter, type Dimension, type HeatmapCell, type Interval, type OutcomeRow, type ResponseTimeRow, type ScopeFilter, type SeriesRow,
} from './queries.js';
