import {
  boolSetting,
  optionalBoolSetting,
  optionalStringSetting,
  type Setting,
  stringSetting,
} from './setting.js';

/**
 * Settings of the plugin framework (issue 7), under ContextForge's `PLUGINS_` names. The plugins themselves,
 * their hooks, modes and `plugin_settings` live in the YAML file `PLUGINS_CONFIG_FILE` names.
 */
export const PLUGIN_SETTINGS = {
  PLUGINS_ENABLED: boolSetting(
    false,
    'Load the plugins of PLUGINS_CONFIG_FILE at start and run their hooks on tools/call, prompts/get and resources/read.',
  ),
  PLUGINS_CONFIG_FILE: stringSetting(
    'plugins/config.yaml',
    'Plugin configuration (ContextForge format), relative to the working directory. A bad file stops start-up.',
  ),
  PLUGINS_CONFIG_WATCH: boolSetting(
    false,
    'Re-read PLUGINS_CONFIG_FILE when it changes, without dropping requests (a bad edit is logged and the running plugins stay).',
  ),
  PLUGINS_CLIENT_MTLS_CERTFILE: optionalStringSetting(
    'Client certificate (PEM) presented to external plugin servers over https that have no `mcp.tls` block.',
  ),
  PLUGINS_CLIENT_MTLS_KEYFILE: optionalStringSetting('Private key (PEM) of PLUGINS_CLIENT_MTLS_CERTFILE.'),
  PLUGINS_CLIENT_MTLS_CA_BUNDLE: optionalStringSetting(
    'CA bundle (PEM) that signed the external plugin servers’ certificates.',
  ),
  PLUGINS_CLIENT_MTLS_KEYFILE_PASSWORD: optionalStringSetting(
    'Passphrase of PLUGINS_CLIENT_MTLS_KEYFILE.',
    true,
  ),
  PLUGINS_CLIENT_MTLS_VERIFY: optionalBoolSetting(
    'Verify external plugin servers’ certificates (unset: true).',
  ),
  PLUGINS_CLIENT_MTLS_CHECK_HOSTNAME: optionalBoolSetting(
    'Check the host name in external plugin servers’ certificates (unset: true).',
  ),
} as const satisfies Record<string, Setting>;
