import type { CandidateBecomes, RegistryVariable, ServerInput } from '../../../shared/contract';
import { assertSafeUrl } from '../net/url-policy';
import type { ArgumentSpec, InputSpec, KeyValueSpec, PackageSpec, RemoteSpec } from './server-json';

// server.json → what Switchboard runs. Always an argv array: the command is a
// known runtime, every argument is one array element, and `{placeholders}` are
// filled in one pass from the user's answers, so a value with shell
// metacharacters (`; rm -rf ~`, `$(…)`, backticks) stays one literal argument.
// Nothing is ever joined into a shell string. Secrets go to env vars or
// headers (the vault), never onto the command line.

/** The runtimes a package may name (runtimeHint), per registry type; the first is the default. */
const RUNTIMES: Record<string, readonly string[]> = {
  npm: ['npx', 'bunx', 'pnpx'],
  pypi: ['uvx', 'pipx'],
  oci: ['docker', 'podman'],
  nuget: ['dnx'],
};

// Package names and versions as the registries define them; none may start with `-` (an option to the runtime).
const IDENTIFIER: Record<string, RegExp> = {
  npm: /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/i,
  pypi: /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/i,
  oci: /^[a-z0-9][a-z0-9._\-/:@]*$/i,
  nuget: /^[a-z0-9][a-z0-9._-]*$/i,
};
const VERSION = /^[a-z0-9][a-z0-9.+_-]*$/i;
const PLACEHOLDER = /\{([A-Za-z0-9_.-]{1,64})\}/g;

export type Answers = Record<string, string>;

export interface Mapped {
  becomes?: CandidateBecomes;
  input?: ServerInput;
  variables: RegistryVariable[];
  refused?: string;
}

class Refusal extends Error {}

const variable = (kind: RegistryVariable['kind'], name: string, spec: InputSpec): RegistryVariable => ({
  key: `${kind}:${name}`,
  name,
  kind,
  description: spec.description,
  required: Boolean(spec.isRequired),
  secret: Boolean(spec.isSecret),
  // A secret's default is not shown back (it would be a shared secret).
  default: spec.isSecret ? undefined : spec.default,
  choices: spec.choices?.length ? spec.choices : undefined,
});

/** Fills `{name}` from answers (then defaults); in one pass, so an answer is never expanded again. */
function fill(template: string, vars: Record<string, InputSpec>, answers: Answers | undefined, asked: Map<string, RegistryVariable>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const spec = vars[name];
    if (!spec) return whole; // not declared: literal text
    if (!asked.has(`arg:${name}`)) asked.set(`arg:${name}`, variable('arg', name, spec));
    if (!answers) return whole;
    const value = answers[`arg:${name}`] ?? spec.default ?? spec.value;
    if (value === undefined || value === '') {
      if (spec.isRequired) throw new Refusal(`A value for "${name}" is required.`);
      return '';
    }
    return value;
  });
}

function noNul(value: string, what: string): string {
  if (value.includes('\u0000')) throw new Refusal(`${what} contains a NUL character.`);
  return value;
}

/** One runtime/package argument as argv elements. */
function argv(arg: ArgumentSpec, answers: Answers | undefined, asked: Map<string, RegistryVariable>): string[] {
  const vars = arg.variables ?? {};
  for (const [name, spec] of Object.entries(vars))
    if (spec.isSecret)
      throw new Refusal(`An argument asks for a secret ("${name}"): Switchboard keeps secrets in the vault and never puts them on the command line.`);
  let value = arg.value !== undefined ? fill(arg.value, vars, answers, asked) : undefined;
  if (value === undefined) {
    // No fixed value: the user supplies it (or its default).
    const name = arg.type === 'named' ? (arg.name ?? '').replace(/^-+/, '') : (arg.valueHint ?? arg.name ?? 'value');
    if (arg.isSecret) throw new Refusal(`The argument "${name}" is a secret: Switchboard keeps secrets in the vault and never puts them on the command line.`);
    asked.set(`arg:${name}`, variable('arg', name, arg));
    value = answers ? (answers[`arg:${name}`] ?? arg.default) : `{${name}}`;
    if ((value === undefined || value === '') && answers) {
      if (arg.isRequired) throw new Refusal(`A value for "${name}" is required.`);
      return [];
    }
  }
  if (arg.type === 'named') {
    const flag = noNul(arg.name ?? '', 'An argument name');
    if (!flag) throw new Refusal('A named argument has no name.');
    return value === '' || value === undefined ? [flag] : [flag, noNul(value, flag)];
  }
  return [noNul(value ?? '', 'An argument')];
}

/** Env vars or headers: non-secret values inline, secret ones as answers the core stores in the vault. */
function keyValues(kind: 'env' | 'header', list: KeyValueSpec[], answers: Answers | undefined, asked: Map<string, RegistryVariable>) {
  const out: { name: string; value?: string; secret: boolean }[] = [];
  for (const kv of list) {
    const v = variable(kind, kv.name, kv);
    // A fixed value (possibly templated) is not asked for; a missing one is.
    const fixed = kv.value !== undefined ? fill(kv.value, kv.variables ?? {}, answers, asked) : undefined;
    if (fixed === undefined) asked.set(v.key, v);
    if (!answers) {
      out.push({ name: kv.name, secret: v.secret, value: v.secret ? undefined : (fixed ?? v.default) });
      continue;
    }
    const value = fixed ?? answers[v.key] ?? kv.default;
    if (value === undefined || value === '') {
      if (v.required) throw new Refusal(`A value for ${kind === 'env' ? 'the environment variable' : 'the header'} ${kv.name} is required.`);
      continue;
    }
    out.push({ name: kv.name, value: noNul(value, kv.name), secret: v.secret });
  }
  return out;
}

const view = (items: { name: string; value?: string; secret: boolean }[]) =>
  items.map((i) => ({ name: i.name, secret: i.secret, value: i.secret ? undefined : i.value, needsValue: i.value === undefined }));

/** A package (npm, pypi, oci, nuget; mcpb bundles go through mcpb.ts) as a stdio server. Without answers: the plan. */
export function mapPackage(name: string, pkg: PackageSpec, answers?: Answers): Mapped {
  const asked = new Map<string, RegistryVariable>();
  try {
    const type = pkg.registryType;
    if (pkg.transport.type !== 'stdio')
      throw new Refusal(`This package serves ${pkg.transport.type.slice(0, 40)} on its own port; only stdio packages can be installed.`);
    const env = keyValues('env', pkg.environmentVariables ?? [], answers, asked);
    const runtimeArgs = (pkg.runtimeArguments ?? []).flatMap((a) => argv(a, answers, asked));
    const packageArgs = (pkg.packageArguments ?? []).flatMap((a) => argv(a, answers, asked));
    let command: string;
    let args: string[];
    {
      const runtimes = RUNTIMES[type];
      if (!runtimes) throw new Refusal(`Packages from ${type.slice(0, 40)} are not supported.`);
      command = pkg.runtimeHint ?? runtimes[0]!;
      if (!runtimes.includes(command))
        throw new Refusal(`The runtime "${command.slice(0, 40)}" is not one Switchboard runs for ${type} packages (${runtimes.join(', ')}).`);
      if (!IDENTIFIER[type]!.test(pkg.identifier)) throw new Refusal(`"${pkg.identifier.slice(0, 100)}" is not a valid ${type} package name.`);
      const version = pkg.version;
      if (version !== undefined && !VERSION.test(version)) throw new Refusal(`"${version.slice(0, 40)}" is not an exact version.`);
      if (type === 'npm')
        args = [...(command === 'npx' ? ['-y'] : []), ...runtimeArgs, version ? `${pkg.identifier}@${version}` : pkg.identifier, ...packageArgs];
      else if (type === 'pypi') args = [...runtimeArgs, version ? `${pkg.identifier}==${version}` : pkg.identifier, ...packageArgs];
      else if (type === 'nuget') args = [...runtimeArgs, version ? `${pkg.identifier}@${version}` : pkg.identifier, '--yes', '--', ...packageArgs];
      else {
        // oci: env vars pass by name (`-e NAME`): their values come from the server's env, so secrets stay out of argv.
        const tagged = /[:@][^/]*$/.test(pkg.identifier) || !version ? pkg.identifier : `${pkg.identifier}:${version}`;
        args = ['run', '-i', '--rm', ...runtimeArgs, ...env.flatMap((e) => ['-e', e.name]), tagged, ...packageArgs];
      }
    }
    const becomes: CandidateBecomes = { transport: 'stdio', command, args, env: view(env) };
    const input: ServerInput | undefined = answers
      ? { transport: 'stdio', name, command, args, env: env.map((e) => ({ name: e.name, value: e.value, secret: e.secret })) }
      : undefined;
    return { becomes, input, variables: [...asked.values()] };
  } catch (error) {
    if (error instanceof Refusal) return { variables: [...asked.values()], refused: error.message };
    throw error;
  }
}

/**
 * The one URL policy for a URL a registry supplied (a remote, a bundle): https or
 * loopback http, and only a registry on this machine may point at this machine
 * (a public registry cannot aim Switchboard at local services).
 */
export function registryUrlProblem(url: string, registryUrl: URL, what: string): string | undefined {
  try {
    assertSafeUrl(url, 'auth-metadata', { what, serverUrl: registryUrl });
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(
      /, but the MCP server (\S+) is not on this computer; a remote server may/,
      ', but the registry $1 is not on this computer; a registry may',
    );
  }
}

/** A remote as an http server; its URL (after filling) must pass the one URL policy. */
export function mapRemote(name: string, remote: RemoteSpec, registryUrl: URL, answers?: Answers): Mapped {
  const asked = new Map<string, RegistryVariable>();
  try {
    const mode = remote.type === 'sse' ? 'sse' : remote.type === 'streamable-http' ? 'streamable-http' : undefined;
    if (!mode) throw new Refusal(`The remote type "${remote.type.slice(0, 40)}" is not supported.`);
    const vars = remote.variables ?? {};
    // The URL is kept in the settings file: a secret in it could not be kept in the vault.
    for (const [key, spec] of Object.entries(vars))
      if (spec.isSecret) throw new Refusal(`The remote URL asks for a secret ("${key}"): Switchboard keeps secrets in the vault, not in URLs.`);
    const filled = fill(remote.url, vars, answers, asked);
    // The plan checks the template with placeholders stood in for, so a javascript: URL is refused before anyone types anything.
    const checked = answers ? filled : filled.replace(PLACEHOLDER, 'x');
    const problem = registryUrlProblem(checked, registryUrl, 'remote URL');
    if (problem) throw new Refusal(problem);
    const headers = keyValues('header', remote.headers ?? [], answers, asked);
    const becomes: CandidateBecomes = { transport: 'http', url: filled, mode, headers: view(headers) };
    const input: ServerInput | undefined = answers
      ? { transport: 'http', name, url: filled, mode, headers: headers.map((h) => ({ name: h.name, value: h.value, secret: h.secret })) }
      : undefined;
    return { becomes, input, variables: [...asked.values()] };
  } catch (error) {
    if (error instanceof Refusal) return { variables: [...asked.values()], refused: error.message };
    throw error;
  }
}
