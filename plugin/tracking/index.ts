export { ByteTracker, trackerConfigSchema } from './byte-tracker.js';
export type { TrackerConfig, TrackerConfigInput } from './byte-tracker.js';
export type { Track, Tracker, TrackerFrameOptions, TrackerUpdate, TrackState, Box } from './track.js';
export { boxIou, greedyMatch } from './matching.js';
export { ZONE_TYPES, zoneTypeSchema, zoneSchema, pointInPolygon, anchorPoint, zonesAt, DEFAULT_CENTRE_LABELS } from './zones.js';
export type { Zone, ZoneType } from './zones.js';
export { ZoneDwellTracker } from './zone-dwell-tracker.js';
export type { ZoneVisit, ZoneTransition, ZoneDwellOptions } from './zone-dwell-tracker.js';
