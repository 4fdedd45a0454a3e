import { z } from 'zod';
import { AppError } from '../../contracts/errors.js';
import { authenticatedRequest } from './authenticated-request.js';
import { parseGenetecResponse } from './genetec-response.js';
import { basicAuthorization, deadline, httpRequest, joinUrl, type HttpAnswer } from './http-request.js';
import { safeJson } from './json-text.js';
import { errorCode } from './outcome.js';
import { compactGuid } from './genetec-adapter.js';

/** A camera as the VMS knows it. `address` is the host its stream comes from, when the VMS says. */
export interface VmsCamera {
  readonly id: string;
  readonly name: string;
  readonly address: string | null;
  readonly url?: string | undefined;
  readonly physicalId?: string | undefined;
  readonly mac?: string | undefined;
}

export type CameraListTarget =
  | { readonly adapter: 'nx'; readonly url: string; readonly username: string; readonly password: string; readonly api: 'legacy' | 'rest'; readonly restVersion: number; readonly timeoutMs: number; readonly allowSelfSignedCertificate?: boolean }
  | { readonly adapter: 'genetec'; readonly url: string; readonly username: string; readonly password: string; readonly applicationId: string; readonly timeoutMs: number; readonly allowSelfSignedCertificate?: boolean };

/** The host part of a camera URL (`rtsp://u:p@10.0.0.5:554/…`, `http://10.0.0.5/onvif/…`) or of a bare `10.0.0.5:80`. */
export function hostOf(text: string | undefined): string | null {
  if (!text) return null;
  try {
    const host = new URL(text.includes('://') ? text : `http://${text}`).hostname.toLowerCase();
    return host.replace(/^\[|\]$/g, '') || null;
  } catch {
    return null; // not a URL: no address to match on
  }
}

const nxDeviceSchema = z.object({ id: z.string(), name: z.string(), url: z.string().optional(), physicalId: z.string().optional(), mac: z.string().optional() }).passthrough();

function failed(what: string, answer: HttpAnswer): AppError {
  const code = answer.status === 401 || answer.status === 403 ? 'unauthenticated' : 'unavailable';
  return new AppError(code, `${what}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
}

async function nxDevices(target: Extract<CameraListTarget, { adapter: 'nx' }>, signal: AbortSignal): Promise<unknown> {
  const tls = { allowSelfSignedCertificate: target.allowSelfSignedCertificate === true };
  if (target.api === 'legacy') {
    const answer = await authenticatedRequest({ method: 'GET', url: joinUrl(target.url, 'ec2/getCamerasEx'), ...tls }, target, signal);
    if (answer.status !== 200) throw failed('GET /ec2/getCamerasEx', answer);
    return safeJson(answer.body);
  }
  const rest = (path: string): string => joinUrl(target.url, `rest/v${target.restVersion}/${path}`);
  const login = await httpRequest({
    method: 'POST', url: rest('login/sessions'), headers: { 'Content-Type': 'application/json' }, ...tls,
    body: JSON.stringify({ username: target.username, password: target.password }),
  }, signal);
  const token = z.object({ token: z.string() }).safeParse(safeJson(login.body));
  if (login.status !== 200 || !token.success) throw failed('login', login);
  const answer = await httpRequest({ method: 'GET', url: rest('devices'), headers: { Authorization: `Bearer ${token.data.token}`, Accept: 'application/json' }, ...tls }, signal);
  if (answer.status !== 200) throw failed('GET devices', answer);
  return safeJson(answer.body);
}

async function nxCameras(target: Extract<CameraListTarget, { adapter: 'nx' }>, signal: AbortSignal): Promise<VmsCamera[]> {
  const devices = z.array(nxDeviceSchema).safeParse(await nxDevices(target, signal));
  if (!devices.success) throw new AppError('unavailable', 'the Nx server answered a device list in an unknown shape');
  return devices.data.map((d) => ({ id: d.id, name: d.name, address: hostOf(d.url), url: d.url, physicalId: d.physicalId, mac: d.mac }));
}

const guidListSchema = z.array(z.object({ Guid: z.string() }));
const nameListSchema = z.array(z.object({ Name: z.string() }).passthrough());

/** Genetec: the camera GUIDs from an EntityConfiguration report, then their names from /entity. */
async function genetecCameras(target: Extract<CameraListTarget, { adapter: 'genetec' }>, signal: AbortSignal): Promise<VmsCamera[]> {
  const headers = { Authorization: basicAuthorization(`${target.username};${target.applicationId}`, target.password), Accept: 'text/json' };
  const tls = { allowSelfSignedCertificate: target.allowSelfSignedCertificate === true };
  const report = await httpRequest({ method: 'GET', url: `${joinUrl(target.url, 'report/EntityConfiguration')}?q=EntityTypes@Camera`, headers, ...tls }, signal);
  const guids = guidListSchema.safeParse(report.status === 200 ? parseGenetecResponse(report.body)?.result : null);
  if (!guids.success) throw failed('GET report/EntityConfiguration', report);
  if (guids.data.length === 0) return [];
  const q = guids.data.map((g) => `entity=${compactGuid(g.Guid)},Name`).join(',');
  const entities = await httpRequest({ method: 'GET', url: `${joinUrl(target.url, 'entity')}?q=${q}`, headers, ...tls }, signal);
  const names = nameListSchema.safeParse(entities.status === 200 ? parseGenetecResponse(entities.body)?.result : null);
  return guids.data.map((g, i) => ({ id: g.Guid, name: names.success ? (names.data[i]?.Name ?? g.Guid) : g.Guid, address: null }));
}

/** Lists the cameras of an Nx or Genetec system; throws `unauthenticated` or `unavailable` with what the server said. */
export async function listVmsCameras(target: CameraListTarget, signal?: AbortSignal): Promise<VmsCamera[]> {
  const bounded = deadline(signal, target.timeoutMs);
  try {
    return target.adapter === 'nx' ? await nxCameras(target, bounded) : await genetecCameras(target, bounded);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = errorCode(error);
    throw new AppError('unavailable', `${target.url}: ${code ?? (error instanceof Error ? error.message : String(error))}`, { cause: error });
  }
}

/** A plugin camera with the URLs it is read from. */
export interface LocalCamera {
  readonly id: string;
  readonly name?: string | undefined;
  readonly urls: readonly string[];
}

export interface CameraMappingProposal {
  readonly cameraId: string;
  readonly cameraName: string | null;
  readonly vms: { readonly id: string; readonly name: string } | null;
  readonly matchedBy: 'host' | 'name' | null;
}

const normalise = (name: string): string => name.trim().toLowerCase().replace(/\s+/g, ' ');

/** Proposes, for each plugin camera, the VMS camera on the same host (else with the same name). */
export function proposeCameraMapping(local: readonly LocalCamera[], vms: readonly VmsCamera[]): CameraMappingProposal[] {
  return local.map((camera) => {
    const hosts = new Set(camera.urls.map(hostOf).filter((h): h is string => h !== null));
    const byHost = vms.find((v) => v.address !== null && hosts.has(v.address));
    const byName = camera.name === undefined ? undefined : vms.find((v) => normalise(v.name) === normalise(camera.name ?? ''));
    const match = byHost ?? byName;
    return {
      cameraId: camera.id,
      cameraName: camera.name ?? null,
      vms: match ? { id: match.id, name: match.name } : null,
      matchedBy: byHost ? 'host' : byName ? 'name' : null,
    };
  });
}
