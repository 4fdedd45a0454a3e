export { meter, usageIncrement, USAGE_METRICS, type UsageMetric } from './meter.js';
export { rollUpUsage, usageByDay, type UsageDay } from './roll-up.js';
