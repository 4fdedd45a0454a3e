import { dirname } from 'node:path';

/** What varies between installs of the plugin's systemd unit; everything else is fixed in the text below. */
export interface PluginUnitSettings {
  /** Absolute path of node. */
  readonly nodePath: string;
  /** Absolute path of bin/vigil.mjs. */
  readonly vigilPath: string;
  /** Absolute path of the plugin config (YAML). */
  readonly configPath: string;
  /** Absolute path of the environment file holding the secrets (VIGIL_HUB_TOKEN, camera passwords). */
  readonly envFile: string;
  readonly user: string;
}

export const UNIT_NAME = 'vigil-plugin.service';
/** systemd creates /var/lib/<this>, owned by the service user; the plugin's outbox and recordings live there. */
export const STATE_DIRECTORY = 'vigil-plugin';

export const DEFAULT_UNIT_SETTINGS: PluginUnitSettings = {
  nodePath: '/usr/bin/node',
  vigilPath: '/opt/vigil/bin/vigil.mjs',
  configPath: '/etc/vigil/plugin.yaml',
  envFile: '/etc/vigil/plugin.env',
  user: 'vigil',
};

/** systemd quotes arguments with spaces in double quotes; backslashes and quotes inside are escaped. */
const quote = (value: string): string => (/[\s"\\]/.test(value) ? `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"` : value);

/**
 * The unit `vigil plugin install` writes (deploy/systemd/vigil-plugin.service is this with the defaults).
 * Type=simple: the plugin does not speak sd_notify, so systemd counts it started once the process runs and there
 * is no WatchdogSec; a crash (non-zero exit, signal) restarts it, a clean stop (SIGTERM drains the outbox) does not.
 */
export function renderPluginUnit(settings: PluginUnitSettings): string {
  return `# Vigil edge plugin beside the VMS: cameras -> detector -> rules -> clips -> outbox -> hub.
# Written by \`vigil plugin install\`; see docs/install.md. Secrets live in EnvironmentFile, not in the config.
[Unit]
Description=Vigil edge plugin
Documentation=file://${dirname(dirname(settings.vigilPath))}/docs/install.md
After=network-online.target
Wants=network-online.target
StartLimitIntervalSec=300
StartLimitBurst=10

[Service]
# No sd_notify support in the plugin: Type=simple, no WatchdogSec (docs/install.md).
Type=simple
User=${settings.user}
Group=${settings.user}
StateDirectory=${STATE_DIRECTORY}
StateDirectoryMode=0750
WorkingDirectory=%S/${STATE_DIRECTORY}
EnvironmentFile=${settings.envFile}
Environment=NODE_ENV=production
Environment=VIGIL_DATA_DIR=%S/${STATE_DIRECTORY}
ExecStart=${quote(settings.nodePath)} ${quote(settings.vigilPath)} plugin --config ${quote(settings.configPath)}
Restart=on-failure
RestartSec=5
# SIGTERM stops the cameras and drains the outbox (outbox.drainTimeoutMs, 10 s by default) before exiting.
KillSignal=SIGTERM
TimeoutStopSec=60
LimitNOFILE=65536
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=read-only
PrivateTmp=yes
ProtectKernelTunables=yes
ProtectControlGroups=yes

[Install]
WantedBy=multi-user.target
`;
}
