export { probe, parseProbeMatches, ipv4Interfaces, selectInterfaces, WS_DISCOVERY_GROUP, WS_DISCOVERY_PORT, type ProbeInterface, type ProbeOptions } from './ws-discovery-probe.js';
export { describeCamera, type DescribeOptions } from './onvif-client.js';
export { chooseStreams, chooseStreamsPerSource, profilesBySource, MIN_ANALYSIS_HEIGHT, type SourceChoice, type VideoSourceSelector } from './profile-chooser.js';
export { readMediaProfiles, type MediaProfile, type ProfileReading, type SkippedProfile } from './media-profiles.js';
export { ffmpegCodecOf, normaliseEncoding } from './vendor-quirks.js';
export { resolveCameraStreams, cameraSourceSchema, videoSourceSchema, type CameraSource } from './camera-streams.js';
export * from './types.js';
export { DeviceEventWatch, PullPointSubscription, readNotifications, type DeviceEvent, type DeviceEventWatchOptions, type EventsClientOptions, type VideoSourceEventState } from './onvif-events.js';
export { classifyTopic, PROBE_TYPES, type EventKind, type ProbeType } from './vendor-quirks.js';
