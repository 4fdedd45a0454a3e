export { buildDigest } from './builder.js';
export { digestContentSchema, digestLineSchema, TOP_LINES, type DigestContent, type DigestLine } from './content.js';
export type { DigestScope } from './figures.js';
export { renderDigestHtml, periodLabel } from './html.js';
export { DIGEST_CADENCES, lastClosedPeriod, periodFrom, type DigestCadence, type DigestPeriod } from './period.js';
export { publishDueDigests, publishScopeDigests } from './schedule.js';
export { digestCadenceOf, digestSettingsSchema, type DigestSettings } from './settings.js';
