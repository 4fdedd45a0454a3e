import { z } from 'zod';

/** Service namespaces as GetServices names them. */
export const MEDIA1_NS = 'http://www.onvif.org/ver10/media/wsdl';
export const MEDIA2_NS = 'http://www.onvif.org/ver20/media/wsdl';
export const EVENTS_NS = 'http://www.onvif.org/ver10/events/wsdl';

/** Which media service the profiles were read from. */
export type MediaService = 'media1' | 'media2';

/** A device that answered a WS-Discovery Probe. */
export const discoveredDeviceSchema = z.object({
  /** EndpointReference address, e.g. urn:uuid:…; stable across reboots and address changes. */
  endpoint: z.string().min(1),
  /** Device service URL chosen among the advertised XAddrs. */
  xaddr: z.url(),
  xaddrs: z.array(z.string()),
  scopes: z.array(z.string()),
  name: z.string().nullable(),
  hardware: z.string().nullable(),
  location: z.string().nullable(),
  /** Address the ProbeMatch came from. */
  address: z.string(),
});
export type DiscoveredDevice = z.infer<typeof discoveredDeviceSchema>;

export const cameraProfileSchema = z.object({
  token: z.string().min(1),
  name: z.string(),
  /** The video source (NVR channel) the profile encodes; analysis and evidence always share one. */
  videoSourceToken: z.string().nullable(),
  /** H264, H265, MJPEG (normalised, see vendor-quirks.ts) or what the device said. */
  encoding: z.string(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  fps: z.number().nonnegative(),
  streamUri: z.string().nullable(),
  snapshotUri: z.string().nullable(),
});
export type CameraProfile = z.infer<typeof cameraProfileSchema>;

export const cameraIdentitySchema = z.object({
  manufacturer: z.string(),
  model: z.string(),
  firmware: z.string(),
  serial: z.string(),
  hardwareId: z.string(),
});
export type CameraIdentity = z.infer<typeof cameraIdentitySchema>;

export const cameraDescriptionSchema = z.object({
  xaddr: z.url(),
  identity: cameraIdentitySchema,
  profiles: z.array(cameraProfileSchema),
  /** Profiles the device listed that could not be read (e.g. an empty encoder configuration), with the reason. */
  skippedProfiles: z.array(z.object({ token: z.string().nullable(), reason: z.string() })).default([]),
  /** Media2 when GetServices lists it and it answers; Media1 otherwise (or when Media2 fails). */
  mediaService: z.enum(['media1', 'media2']).default('media1'),
  /** The ONVIF Events service (PullPoint subscriptions for motion and tamper), when the device has one. */
  eventsXaddr: z.string().nullable().default(null),
  /** Camera clock minus ours (ms), from GetSystemDateAndTime; WS-Security Created times are corrected by it. */
  timeOffsetMs: z.number(),
});
export type CameraDescription = z.infer<typeof cameraDescriptionSchema>;

const chosenStreamSchema = z.object({
  uri: z.string().min(1),
  profileToken: z.string().nullable(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  /** H264, H265, MJPEG, or null when unknown (given RTSP URLs). */
  encoding: z.string().nullable(),
});

/** The two streams the plugin uses from a camera, both from one video source. */
export const cameraStreamsSchema = z.object({
  /** The video source both streams encode (null when unknown: given RTSP URLs, devices without source tokens). */
  videoSourceToken: z.string().nullable(),
  /** Decoded continuously for detection: small but detailed enough. */
  analysis: chosenStreamSchema,
  /** Recorded for evidence clips: the best quality the same video source offers. */
  evidence: chosenStreamSchema,
});
export type CameraStreams = z.infer<typeof cameraStreamsSchema>;
