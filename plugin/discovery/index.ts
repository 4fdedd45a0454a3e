export { probe, parseProbeMatches, WS_DISCOVERY_GROUP, WS_DISCOVERY_PORT, type ProbeOptions } from './ws-discovery-probe.js';
export { describeCamera, type DescribeOptions } from './onvif-client.js';
export { chooseStreams, MIN_ANALYSIS_HEIGHT } from './profile-chooser.js';
export { resolveCameraStreams, cameraSourceSchema, type CameraSource } from './camera-streams.js';
export * from './types.js';
