/**
 * The per-camera analysis path and what turns its rule hits into queued events. The composition root
 * (plugin/app.ts) builds one CameraRunner per camera around a shared detector pool and the outbox.
 */
export { CameraPipeline, type ConfiguredRule, type FrameTiming, type PipelineStats } from './camera-pipeline.js';
export { CameraRunner, type CameraRunnerOptions, type CameraStatus } from './camera-runner.js';
export { resolveCameras, resolveCameraSet, type MissingCamera, type ResolvedCamera } from './camera-resolver.js';
export { MissingCameraWatch, type MissingCameraStatus } from './missing-cameras.js';
export { rulesForCamera } from './camera-rules.js';
export { EventRaiser, clipDirFor, type EventSink, type EvidenceUploadJob, type ClipSource } from './event-raiser.js';
export { buildHitEvent, buildHealthEvent, evidenceRefs, type EventCamera, type RuleLabel } from './event-builder.js';
export { HealthReporter, missingCameraHealth } from './health-reporter.js';
export { programRulesFor, rulesFromStoreDocument, type RuleCamera } from './store-rules.js';
export { StoreRulesSync, type StoreRulesPull, type StoreRulesSource, type StoreRulesSyncOptions } from './store-rules-sync.js';
export { PosFanout, type CameraPosFeed, type ScanObserver } from './pos-fanout.js';
