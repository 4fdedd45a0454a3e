import { z } from 'zod';

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
  /** Camera clock minus ours (ms), from GetSystemDateAndTime; WS-Security Created times are corrected by it. */
  timeOffsetMs: z.number(),
});
export type CameraDescription = z.infer<typeof cameraDescriptionSchema>;

/** The two streams the plugin uses from a camera. */
export const cameraStreamsSchema = z.object({
  /** Decoded continuously for detection: small but detailed enough. */
  analysis: z.object({ uri: z.string().min(1), profileToken: z.string().nullable(), width: z.number().nullable(), height: z.number().nullable() }),
  /** Recorded for evidence clips: the best quality the camera offers. */
  evidence: z.object({ uri: z.string().min(1), profileToken: z.string().nullable(), width: z.number().nullable(), height: z.number().nullable() }),
});
export type CameraStreams = z.infer<typeof cameraStreamsSchema>;
