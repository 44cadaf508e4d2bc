import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { FieldErrors, HttpServerConfig, StdioServerConfig } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import { isLoopbackHost } from '../net/loopback';
import { resolveCommand } from './resolve-command';
import { commandProblem, workingDirectoryOf } from './working-directory';

// Validation that needs the machine (PATH, file system) or other servers
// (unique names). Shape checks already happened in the contract's zod schema.

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function checkName(name: string, otherNames: string[], errors: FieldErrors): void {
  if (!name.trim()) errors.name = 'Give the server a name.';
  else if (otherNames.some((n) => n.toLowerCase() === name.trim().toLowerCase())) errors.name = `A server named "${name.trim()}" already exists.`;
}

export function validateStdio(input: StdioServerConfig, otherNames: string[], env: NodeJS.ProcessEnv, hasStoredSecret: (name: string) => boolean): void {
  const errors: FieldErrors = {};
  checkName(input.name, otherNames, errors);
  if (input.cwd) {
    if (!isAbsolute(input.cwd)) errors.cwd = 'Use an absolute path for the working directory.';
    else {
      try {
        if (!statSync(input.cwd).isDirectory()) errors.cwd = `Not a directory: ${input.cwd}`;
      } catch {
        errors.cwd = `The working directory does not exist: ${input.cwd}`;
      }
    }
  }
  if (!input.command.trim()) errors.command = 'Enter the command to run, e.g. npx or /usr/local/bin/my-server.';
  else if (/^\s*\{/.test(input.command)) errors.command = 'This is a JSON config, not a command: paste it into Add server to review it as an import.';
  else if (/\s/.test(input.command.trim()) && !resolveCommand(input.command.trim(), env, workingDirectoryOf(input.cwd, env)))
    errors.command = 'Put only the program in Command; arguments go in Arguments, one per line.';
  else {
    const problem = commandProblem(input.command.trim(), env, errors.cwd ? undefined : input.cwd);
    if (problem) errors.command = problem;
  }
  const seen = new Set<string>();
  input.env.forEach((entry, i) => {
    if (!ENV_NAME.test(entry.name)) errors[`env.${i}.name`] = `"${entry.name}" is not a valid environment variable name.`;
    else if (seen.has(entry.name)) errors[`env.${i}.name`] = `${entry.name} is set twice.`;
    seen.add(entry.name);
    if (entry.secret && entry.value === undefined && !hasStoredSecret(entry.name)) errors[`env.${i}.value`] = `Enter a value for the secret ${entry.name}.`;
  });
  if (Object.keys(errors).length) throw new IpcError('VALIDATION', firstMessage(errors), errors);
}

export function validateHttp(input: HttpServerConfig, otherNames: string[], hasStoredSecret: (name: string) => boolean): URL {
  const errors: FieldErrors = {};
  checkName(input.name, otherNames, errors);
  let url: URL | undefined;
  try {
    url = new URL(input.url.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') errors.url = `Use an http(s) URL; "${url.protocol}" is not supported.`;
    else if (url.protocol === 'http:' && !isLoopbackHost(url.hostname))
      errors.url = 'Use https: plain http is only allowed for servers on this machine (127.0.0.1, localhost).';
    else if (url.username || url.password) errors.url = 'Do not put credentials in the URL; add a header instead.';
    else if (url.hash) errors.url = 'Remove the #fragment from the URL.';
  } catch {
    errors.url = input.url.trim()
      ? `Not a valid URL: "${input.url.trim()}". Example: https://example.com/mcp`
      : 'Enter the server URL, e.g. https://example.com/mcp';
  }
  if (input.clientMetadataUrl) {
    try {
      const cimd = new URL(input.clientMetadataUrl);
      if (cimd.protocol !== 'https:' || cimd.pathname === '/' || cimd.hash || cimd.username || cimd.password) throw new Error('shape');
    } catch {
      errors.clientMetadataUrl = 'A client metadata document URL must be https with a path, e.g. https://example.com/oauth/switchboard.json';
    }
  }
  const seen = new Set<string>();
  input.headers.forEach((entry, i) => {
    const lower = entry.name.toLowerCase();
    if (!HEADER_NAME.test(entry.name)) errors[`headers.${i}.name`] = `"${entry.name}" is not a valid header name.`;
    else if (seen.has(lower)) errors[`headers.${i}.name`] = `${entry.name} is set twice.`;
    else if (['host', 'content-length', 'mcp-session-id', 'mcp-protocol-version'].includes(lower))
      errors[`headers.${i}.name`] = `${entry.name} is managed by Switchboard.`;
    seen.add(lower);
    if (entry.value !== undefined && /[\r\n]/.test(entry.value)) errors[`headers.${i}.value`] = 'Header values cannot contain line breaks.';
    if (entry.secret && entry.value === undefined && !hasStoredSecret(entry.name))
      errors[`headers.${i}.value`] = `Enter a value for the secret header ${entry.name}.`;
  });
  if (Object.keys(errors).length || !url) throw new IpcError('VALIDATION', firstMessage(errors), errors);
  return url;
}

function firstMessage(errors: FieldErrors): string {
  return Object.values(errors)[0] ?? 'Invalid server configuration.';
}
