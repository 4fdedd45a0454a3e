export { DURATION_BOUNDS, HISTOGRAM_SIZE, durationBucket, noJit, rebuildAnalytics, rollUpAllAnalytics, rollUpAnalytics } from './roll-up.js';
export { addHistograms, quantile, summarise, type DurationSummary } from './percentiles.js';
export {
  DIMENSIONS, INTERVALS, incidentHeatmap, incidentSeries, labelsFor, namesIn, outcomes, responseTimes,
  type AnalyticsFilter, type Dimension, type HeatmapCell, type Interval, type OutcomeRow, type ResponseTimeRow, type ScopeFilter, type SeriesRow, type Source,
} from './queries.js';
export { FIGURE_LEVELS, HOURS, REGION_DAYS, STORE_DAYS, STORE_WEEKS, ZONE_HOURS, chooseLevel, slices, type Level } from './levels-choice.js';
export { COARSE_TABLES } from './levels.js';
export { POS_EXCEPTION_FIELDS, REPEAT_DIMENSIONS, repeatExceptions, type PosExceptionFilter, type RepeatDimension, type RepeatRow } from './pos-exceptions.js';
export { CAMERA_HEALTH_TABLES } from './camera-health.js';
export {
  CAMERA_HEALTH_FIELDS, cameraHealth, rawCameraDowntime, rawCameraReports, type CameraHealthFilter, type CameraHealthRow, type CameraHealthSource, type CameraState,
} from './camera-uptime.js';
export { cameraHealthByStore, type StoreHealthRow } from './camera-stores.js';
