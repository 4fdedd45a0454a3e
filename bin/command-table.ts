import type { Command } from 'commander';

/** Adds one top-level command (with its options and subcommands) to the program. */
export type RegisterCommand = (program: Command) => void;

/**
 * Every top-level command: its name and one-line description for `vigil --help`, and the module that registers
 * it, imported only when that command runs (or shows its own help). bin/command-table.test.ts checks that each
 * module registers the name and description written here.
 */
export interface CommandEntry {
  readonly name: string;
  readonly description: string;
  readonly load: () => Promise<RegisterCommand>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'hub',
    description: 'Run the hub: API, incident workflow, audit (PGlite under VIGIL_DATA_DIR unless DATABASE_URL is set)',
    load: async () => {
      const { registerHubCommand } = await import('../hub/cli/hub-command.js');
      // The hub checks saved store rules with the plugin's rule registry; it never imports the plugin itself.
      const loadRuleCatalog = async () => (await import('../plugin/rules/index.js')).pluginRuleCatalog;
      return (program) => registerHubCommand(program, { loadRuleCatalog });
    },
  },
  {
    name: 'demo',
    description: 'Run the whole system on this machine with simulated cameras, POS and receivers (what npm start runs)',
    load: async () => (await import('./demo/demo-command.js')).registerDemoCommand,
  },
  { name: 'migrate', description: 'Database migrations (same for PGlite and PostgreSQL)', load: async () => (await import('../hub/cli/migrate-command.js')).registerMigrateCommand },
  { name: 'tenants', description: 'Tenants', load: async () => (await import('../hub/cli/tenants-command.js')).registerTenantsCommand },
  { name: 'tokens', description: 'API tokens', load: async () => (await import('../hub/cli/tokens-command.js')).registerTokensCommand },
  { name: 'audit', description: 'The tamper-evident audit trail', load: async () => (await import('../hub/cli/audit-command.js')).registerAuditCommand },
  { name: 'policy', description: 'Tenant policies (CASL rules as data)', load: async () => (await import('../hub/cli/policy-command.js')).registerPolicyCommand },
  { name: 'evidence', description: 'Evidence bundles and their signing keys', load: async () => (await import('../hub/cli/evidence-command.js')).registerEvidenceCommand },
  { name: 'retention', description: 'Evidence retention', load: async () => (await import('../hub/cli/retention-command.js')).registerRetentionCommand },
  { name: 'analytics', description: 'Analytics rollups (what /v1/analytics and the console\'s charts read)', load: async () => (await import('../hub/cli/analytics-command.js')).registerAnalyticsCommand },
  {
    name: 'secrets',
    description: 'Secrets sealed at rest (webhook secrets, header values, ServiceNow credentials, evidence signing keys)',
    load: async () => (await import('../hub/cli/secrets-command.js')).registerSecretsCommand,
  },
  {
    name: 'detect',
    description: 'run an ONNX detector over still images (JPEG, PNG) and print the detections',
    load: async () => (await import('../plugin/cli/detect-command.js')).registerDetectCommand,
  },
  {
    name: 'camera-sim',
    description: 'run virtual ONVIF cameras with RTSP H.264 streams for demos, tests and benchmarks',
    load: async () => (await import('../plugin/cli/camera-sim-command.js')).registerCameraSimCommand,
  },
  {
    name: 'discover',
    description: 'find ONVIF cameras and print their identity, profiles and stream URIs',
    load: async () => (await import('../plugin/cli/discover-command.js')).registerDiscoverCommand,
  },
  {
    name: 'plugin-check',
    description: 'validate a plugin configuration file (YAML + VIGIL_* environment) and list every problem',
    load: async () => (await import('../plugin/config/check-config-command.js')).registerPluginCheckCommand,
  },
  {
    name: 'plugin',
    description: 'run the edge plugin: cameras -> motion -> detector -> tracking -> rules -> clips -> outbox -> hub',
    load: async () => (await import('../plugin/cli/plugin-command.js')).registerPluginCommand,
  },
  {
    name: 'vms',
    description: 'alarms in the store\'s VMS (Milestone XProtect, Genetec Security Center, Nx Witness)',
    load: async () => (await import('../plugin/cli/vms-command.js')).registerVmsCommand,
  },
  {
    name: 'scenes',
    description: 'synthetic retail scenes: videos with ground truth, the detector training set, model publishing',
    load: async () => (await import('../plugin/cli/scenes-command.js')).registerScenesCommand,
  },
  {
    name: 'eval',
    description: 'run held-out synthetic scenarios through the real plugin pipeline and report detection, event and alarm figures against their truth',
    load: async () => (await import('../plugin/cli/eval-command.js')).registerEvalCommand,
  },
];
