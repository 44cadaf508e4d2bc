import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';

// What a stdio server inherits: the SDK's safe list (HOME, PATH, USER, …) taken
// from the login-shell environment, plus locale, temp dirs, proxies and CA
// settings that servers commonly need. Everything else in our environment
// (other apps' tokens, for instance) stays out unless the user adds it.

const EXTRA_INHERITED = [
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TMPDIR',
  'TMP',
  'TEMP',
  'XDG_RUNTIME_DIR',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'XDG_CACHE_HOME',
  'NVM_DIR',
  'NVM_BIN',
  'VOLTA_HOME',
  'PNPM_HOME',
  'BUN_INSTALL',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'SystemRoot',
  'ComSpec',
  'PATHEXT',
  'windir',
];

export function childEnv(shellEnv: NodeJS.ProcessEnv, serverEnv: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const defaults = getDefaultEnvironment();
  for (const key of Object.keys(defaults)) {
    const value = shellEnv[key] ?? defaults[key];
    if (value !== undefined && !value.startsWith('()')) env[key] = value;
  }
  for (const key of EXTRA_INHERITED) if (shellEnv[key] !== undefined) env[key] = shellEnv[key];
  return { ...env, ...serverEnv };
}
