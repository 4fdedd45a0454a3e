import type { VideoSize } from './scene.js';
import { escapeXml as x } from './soap-envelope.js';

export interface OnvifProfileModel {
  readonly token: string;
  readonly name: string;
  /** The physical input (NVR channel) the profile encodes. */
  readonly videoSource: { readonly token: string; readonly size: VideoSize };
  readonly size: VideoSize;
  readonly streamUri: string;
  readonly snapshotUri: string;
}

export interface OnvifDeviceModel {
  readonly manufacturer: string;
  readonly model: string;
  readonly firmware: string;
  readonly serial: string;
  readonly hardwareId: string;
  readonly name: string;
  readonly location: string;
  readonly deviceUrl: string;
  readonly mediaUrl: string;
  /** Media2 (ver20/media/wsdl) service URL. */
  readonly media2Url: string;
  /** Media2 only: the Media1 service is not offered (GetCapabilities lists no Media; its actions answer ActionNotSupported, as such devices do). */
  readonly media2Only: boolean;
  /** ONVIF Events service URL (PullPoint). */
  readonly eventsUrl: string;
  readonly profiles: readonly OnvifProfileModel[];
}

const tt = (name: string, value: string | number): string => `<tt:${name}>${typeof value === 'number' ? value : x(value)}</tt:${name}>`;

export function systemDateAndTime(nowMs: number): string {
  const d = new Date(nowMs);
  return (
    '<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>' +
    tt('DateTimeType', 'NTP') + tt('DaylightSavings', 'false') + '<tt:TimeZone>' + tt('TZ', 'UTC0') + '</tt:TimeZone>' +
    '<tt:UTCDateTime><tt:Time>' + tt('Hour', d.getUTCHours()) + tt('Minute', d.getUTCMinutes()) + tt('Second', d.getUTCSeconds()) +
    '</tt:Time><tt:Date>' + tt('Year', d.getUTCFullYear()) + tt('Month', d.getUTCMonth() + 1) + tt('Day', d.getUTCDate()) +
    '</tt:Date></tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>'
  );
}

export function deviceInformation(m: OnvifDeviceModel): string {
  return (
    '<tds:GetDeviceInformationResponse>' +
    `<tds:Manufacturer>${x(m.manufacturer)}</tds:Manufacturer><tds:Model>${x(m.model)}</tds:Model>` +
    `<tds:FirmwareVersion>${x(m.firmware)}</tds:FirmwareVersion><tds:SerialNumber>${x(m.serial)}</tds:SerialNumber>` +
    `<tds:HardwareId>${x(m.hardwareId)}</tds:HardwareId></tds:GetDeviceInformationResponse>`
  );
}

export function capabilities(m: OnvifDeviceModel): string {
  return (
    '<tds:GetCapabilitiesResponse><tds:Capabilities>' +
    `<tt:Device>${tt('XAddr', m.deviceUrl)}</tt:Device>` +
    `<tt:Events>${tt('XAddr', m.eventsUrl)}${tt('WSSubscriptionPolicySupport', 'false')}${tt('WSPullPointSupport', 'true')}` +
    `${tt('WSPausableSubscriptionManagerInterfaceSupport', 'false')}</tt:Events>` +
    (m.media2Only ? '' : `<tt:Media>${tt('XAddr', m.mediaUrl)}<tt:StreamingCapabilities>${tt('RTPMulticast', 'false')}${tt('RTP_TCP', 'true')}` +
    `${tt('RTP_RTSP_TCP', 'true')}</tt:StreamingCapabilities></tt:Media>`) +
    '</tds:Capabilities></tds:GetCapabilitiesResponse>'
  );
}

export function services(m: OnvifDeviceModel): string {
  const service = (ns: string, url: string): string =>
    `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${x(url)}</tds:XAddr>` +
    '<tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>';
  return (
    '<tds:GetServicesResponse>' +
    service('http://www.onvif.org/ver10/device/wsdl', m.deviceUrl) +
    (m.media2Only ? '' : service('http://www.onvif.org/ver10/media/wsdl', m.mediaUrl)) +
    service('http://www.onvif.org/ver20/media/wsdl', m.media2Url) +
    service('http://www.onvif.org/ver10/events/wsdl', m.eventsUrl) +
    '</tds:GetServicesResponse>'
  );
}

function videoSourceConfiguration(m: OnvifDeviceModel, p: OnvifProfileModel, element = 'tt:VideoSourceConfiguration'): string {
  const src = p.videoSource;
  const uses = m.profiles.filter((q) => q.videoSource.token === src.token).length;
  return (
    `<${element} token="vsc_${x(src.token)}">${tt('Name', `VideoSource ${src.token}`)}${tt('UseCount', uses)}${tt('SourceToken', src.token)}` +
    `<tt:Bounds x="0" y="0" width="${src.size.width}" height="${src.size.height}"/></${element}>`
  );
}

function videoEncoderConfiguration(p: OnvifProfileModel, element = 'tt:VideoEncoderConfiguration'): string {
  return (
    `<${element} token="vec_${x(p.token)}">${tt('Name', `H264 ${p.token}`)}${tt('UseCount', 1)}${tt('Encoding', 'H264')}` +
    `<tt:Resolution>${tt('Width', p.size.width)}${tt('Height', p.size.height)}</tt:Resolution>${tt('Quality', 5)}` +
    `<tt:RateControl>${tt('FrameRateLimit', p.size.fps)}${tt('EncodingInterval', 1)}${tt('BitrateLimit', 2048)}</tt:RateControl>` +
    `<tt:H264>${tt('GovLength', Math.max(1, Math.round(p.size.fps)))}${tt('H264Profile', 'Baseline')}</tt:H264>` +
    `${tt('SessionTimeout', 'PT60S')}</${element}>`
  );
}

function profile(m: OnvifDeviceModel, p: OnvifProfileModel): string {
  return `<trt:Profiles token="${x(p.token)}" fixed="true">${tt('Name', p.name)}${videoSourceConfiguration(m, p)}${videoEncoderConfiguration(p)}</trt:Profiles>`;
}

export function profiles(m: OnvifDeviceModel): string {
  return `<trt:GetProfilesResponse>${m.profiles.map((p) => profile(m, p)).join('')}</trt:GetProfilesResponse>`;
}

export function singleProfile(m: OnvifDeviceModel, p: OnvifProfileModel): string {
  return `<trt:GetProfileResponse>${profile(m, p).replace(/^<trt:Profiles/, '<trt:Profile').replace(/<\/trt:Profiles>$/, '</trt:Profile>')}</trt:GetProfileResponse>`;
}

export function mediaUri(action: 'GetStreamUri' | 'GetSnapshotUri', uri: string): string {
  return (
    `<trt:${action}Response><trt:MediaUri>${tt('Uri', uri)}${tt('InvalidAfterConnect', 'false')}` +
    `${tt('InvalidAfterReboot', 'false')}${tt('Timeout', 'PT0S')}</trt:MediaUri></trt:${action}Response>`
  );
}

// Profile S operations a VMS calls when it adds a camera (ONVIF Device/Media WSDL 2.x shapes).

export function scopes(m: OnvifDeviceModel): string {
  const scope = (def: 'Fixed' | 'Configurable', item: string): string =>
    `<tds:Scopes><tt:ScopeDef>${def}</tt:ScopeDef><tt:ScopeItem>${x(item)}</tt:ScopeItem></tds:Scopes>`;
  return (
    '<tds:GetScopesResponse>' +
    scope('Fixed', 'onvif://www.onvif.org/Profile/Streaming') + scope('Fixed', 'onvif://www.onvif.org/type/video_encoder') +
    scope('Fixed', `onvif://www.onvif.org/hardware/${encodeURIComponent(m.model)}`) +
    scope('Configurable', `onvif://www.onvif.org/name/${encodeURIComponent(m.name)}`) +
    scope('Configurable', `onvif://www.onvif.org/location/${encodeURIComponent(m.location)}`) +
    '</tds:GetScopesResponse>'
  );
}

function distinctSources(m: OnvifDeviceModel): OnvifProfileModel[] {
  return m.profiles.filter((p, i) => m.profiles.findIndex((q) => q.videoSource.token === p.videoSource.token) === i);
}

export function videoSources(m: OnvifDeviceModel): string {
  const source = (p: OnvifProfileModel): string =>
    `<trt:VideoSources token="${x(p.videoSource.token)}">${tt('Framerate', p.videoSource.size.fps)}` +
    `<tt:Resolution>${tt('Width', p.videoSource.size.width)}${tt('Height', p.videoSource.size.height)}</tt:Resolution></trt:VideoSources>`;
  return `<trt:GetVideoSourcesResponse>${distinctSources(m).map(source).join('')}</trt:GetVideoSourcesResponse>`;
}

export function videoSourceConfigurations(m: OnvifDeviceModel): string {
  const body = distinctSources(m).map((p) => videoSourceConfiguration(m, p, 'trt:Configurations')).join('');
  return `<trt:GetVideoSourceConfigurationsResponse>${body}</trt:GetVideoSourceConfigurationsResponse>`;
}

export function videoEncoderConfigurations(m: OnvifDeviceModel): string {
  return `<trt:GetVideoEncoderConfigurationsResponse>${m.profiles.map((p) => videoEncoderConfiguration(p, 'trt:Configurations')).join('')}</trt:GetVideoEncoderConfigurationsResponse>`;
}

export function videoEncoderConfiguration1(p: OnvifProfileModel): string {
  return `<trt:GetVideoEncoderConfigurationResponse>${videoEncoderConfiguration(p, 'trt:Configuration')}</trt:GetVideoEncoderConfigurationResponse>`;
}

export function videoEncoderConfigurationOptions(m: OnvifDeviceModel): string {
  const sizes = [...new Map(m.profiles.map((p) => [`${p.size.width}x${p.size.height}`, p.size])).values()];
  const resolutions = sizes.map((s) => `<tt:ResolutionsAvailable>${tt('Width', s.width)}${tt('Height', s.height)}</tt:ResolutionsAvailable>`).join('');
  const range = (name: string, min: number, max: number): string => `<tt:${name}>${tt('Min', min)}${tt('Max', max)}</tt:${name}>`;
  return (
    '<trt:GetVideoEncoderConfigurationOptionsResponse><trt:Options>' + range('QualityRange', 1, 10) +
    `<tt:H264>${resolutions}${range('GovLengthRange', 1, 60)}${range('FrameRateRange', 1, 30)}${range('EncodingIntervalRange', 1, 1)}` +
    `${tt('H264ProfilesSupported', 'Baseline')}</tt:H264></trt:Options></trt:GetVideoEncoderConfigurationOptionsResponse>`
  );
}

export function networkInterfaces(m: OnvifDeviceModel): string {
  const host = new URL(m.deviceUrl).hostname;
  return (
    '<tds:GetNetworkInterfacesResponse><tds:NetworkInterfaces token="eth0">' + tt('Enabled', 'true') +
    `<tt:Info>${tt('Name', 'eth0')}${tt('HwAddress', '02:00:00:00:00:01')}${tt('MTU', 1500)}</tt:Info>` +
    `<tt:IPv4>${tt('Enabled', 'true')}<tt:Config><tt:Manual>${tt('Address', host)}${tt('PrefixLength', 24)}</tt:Manual>` +
    `${tt('DHCP', 'false')}</tt:Config></tt:IPv4></tds:NetworkInterfaces></tds:GetNetworkInterfacesResponse>`
  );
}

export function hostname(m: OnvifDeviceModel): string {
  const name = m.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'camera-sim';
  return `<tds:GetHostnameResponse><tds:HostnameInformation>${tt('FromDHCP', 'false')}${tt('Name', name)}</tds:HostnameInformation></tds:GetHostnameResponse>`;
}

export function users(user: string | null): string {
  const entry = user === null ? '' : `<tds:User>${tt('Username', user)}${tt('UserLevel', 'Administrator')}</tds:User>`;
  return `<tds:GetUsersResponse>${entry}</tds:GetUsersResponse>`;
}

// Media2 (ver20/media/wsdl): profiles carry their configurations under tr2:Configurations; URIs are bare tr2:Uri.

function profile2(m: OnvifDeviceModel, p: OnvifProfileModel): string {
  const src = p.videoSource;
  const uses = m.profiles.filter((q) => q.videoSource.token === src.token).length;
  return (
    `<tr2:Profiles token="${x(p.token)}" fixed="true">${tt('Name', p.name).replace(/tt:Name/g, 'tr2:Name')}<tr2:Configurations>` +
    `<tr2:VideoSource token="vsc_${x(src.token)}">${tt('Name', `VideoSource ${src.token}`)}${tt('UseCount', uses)}${tt('SourceToken', src.token)}` +
    `<tt:Bounds x="0" y="0" width="${src.size.width}" height="${src.size.height}"/></tr2:VideoSource>` +
    `<tr2:VideoEncoder token="vec_${x(p.token)}" GovLength="${Math.max(1, Math.round(p.size.fps))}" Profile="Baseline">${tt('Name', `H264 ${p.token}`)}` +
    `${tt('UseCount', 1)}${tt('Encoding', 'H264')}<tt:Resolution>${tt('Width', p.size.width)}${tt('Height', p.size.height)}</tt:Resolution>` +
    `<tt:RateControl ConstantBitRate="false">${tt('FrameRateLimit', p.size.fps)}${tt('BitrateLimit', 2048)}</tt:RateControl>${tt('Quality', 5)}</tr2:VideoEncoder>` +
    '</tr2:Configurations></tr2:Profiles>'
  );
}

/** GetProfiles (Media2); `token` narrows it to one profile, as the request's Token element does. */
export function profiles2(m: OnvifDeviceModel, token?: string): string {
  const list = token === undefined ? m.profiles : m.profiles.filter((p) => p.token === token);
  return `<tr2:GetProfilesResponse>${list.map((p) => profile2(m, p)).join('')}</tr2:GetProfilesResponse>`;
}

export function mediaUri2(action: 'GetStreamUri' | 'GetSnapshotUri', uri: string): string {
  return `<tr2:${action}Response><tr2:Uri>${x(uri)}</tr2:Uri></tr2:${action}Response>`;
}
