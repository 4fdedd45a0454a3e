import type { VideoSize } from './scene.js';
import { escapeXml as x } from './soap-envelope.js';

export interface OnvifProfileModel {
  readonly token: string;
  readonly name: string;
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
  readonly deviceUrl: string;
  readonly mediaUrl: string;
  readonly sourceSize: VideoSize;
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
    `<tt:Media>${tt('XAddr', m.mediaUrl)}<tt:StreamingCapabilities>${tt('RTPMulticast', 'false')}${tt('RTP_TCP', 'true')}` +
    `${tt('RTP_RTSP_TCP', 'true')}</tt:StreamingCapabilities></tt:Media>` +
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
    service('http://www.onvif.org/ver10/media/wsdl', m.mediaUrl) +
    '</tds:GetServicesResponse>'
  );
}

function profile(m: OnvifDeviceModel, p: OnvifProfileModel): string {
  const src = m.sourceSize;
  return (
    `<trt:Profiles token="${x(p.token)}" fixed="true">${tt('Name', p.name)}` +
    `<tt:VideoSourceConfiguration token="vsc">${tt('Name', 'VideoSource')}${tt('UseCount', m.profiles.length)}${tt('SourceToken', 'vs')}` +
    `<tt:Bounds x="0" y="0" width="${src.width}" height="${src.height}"/></tt:VideoSourceConfiguration>` +
    `<tt:VideoEncoderConfiguration token="vec_${x(p.token)}">${tt('Name', `H264 ${p.token}`)}${tt('UseCount', 1)}${tt('Encoding', 'H264')}` +
    `<tt:Resolution>${tt('Width', p.size.width)}${tt('Height', p.size.height)}</tt:Resolution>${tt('Quality', 5)}` +
    `<tt:RateControl>${tt('FrameRateLimit', p.size.fps)}${tt('EncodingInterval', 1)}${tt('BitrateLimit', 2048)}</tt:RateControl>` +
    `<tt:H264>${tt('GovLength', Math.max(1, Math.round(p.size.fps)))}${tt('H264Profile', 'Baseline')}</tt:H264>` +
    `${tt('SessionTimeout', 'PT60S')}</tt:VideoEncoderConfiguration></trt:Profiles>`
  );
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
