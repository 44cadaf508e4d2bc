// What the conformance client does in each scenario, once connected. The client
// is the app's own (client-features' clientFactory: capabilities, the bounded
// schema validator, era discovery); tools are listed and their schemas checked
// through the core's tool catalogue and validators, so a scenario that checks
// what the client kept of a schema sees what the app would show and send.

import { SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import type { Client, Tool } from '@modelcontextprotocol/client';
import { SkillsClient, SkillVerificationError, type Skill } from '@modelcontextprotocol/client/ext/skills';
import type { ClientRequestView, ToolView } from '../../shared/contract';
import { ClientRequests, Roots, ServerMessages, clientFactory } from '../../electron/core/client-features';
import type { Emit } from '../../electron/core/events';
import type { KeyValueStore } from '../../electron/core/ports';
import { listAllTools, toToolView } from '../../electron/core/servers';
import { SchemaValidators, describeFieldErrors } from '../../electron/core/tools';

function log(msg: string): void {
  process.stderr.write(`[switchboard-conformance] ${msg}\n`);
}

/** Scenario data the runner passes in MCP_CONFORMANCE_CONTEXT (besides the auth fields). */
export interface ScenarioContext {
  /** http-custom-headers: the calls to make, with their arguments. */
  toolCalls?: { name: string; arguments?: Record<string, unknown> }[];
}

type WithAuth = <T>(what: string, op: () => Promise<T>) => Promise<T>;

const validators = new SchemaValidators();

/** The core's client features for the server at `serverUrl`, with `answer` standing in for the user. */
export function conformanceClientFeatures(store: KeyValueStore, serverUrl: string, answer: (request: ClientRequestView, requests: ClientRequests) => void) {
  const now = () => Date.now();
  const emit: Emit = (name, payload) => {
    if (name === 'clientRequest') answer(payload as ClientRequestView, requests);
  };
  // No scenario asks for a URL elicitation; none is ever opened.
  const requests = new ClientRequests({ serverName: () => 'conformance', emit, now, validators, openUrl: async () => undefined });
  const createClient = clientFactory({
    validators,
    roots: new Roots(store),
    requests,
    messages: new ServerMessages({ emit, now }),
    emit,
    serverUrl: () => new URL(serverUrl),
    onToolListChanged: async () => undefined,
  });
  // The protocol setting "Automatic": server/discover first, initialize for 2025-era servers.
  return { requests, createClient: (serverId: string) => createClient(serverId, 'auto') };
}

/** tools/list through the core's catalogue mapping (what the app's tools view holds). */
async function catalogue(client: Client): Promise<ToolView[]> {
  const tools: Tool[] = await listAllTools(client);
  const views = tools.map(toToolView);
  log(`tools: ${views.map((t) => t.name).join(', ') || '(none)'}`);
  return views;
}

/**
 * A tools/call the way the app's tools feature makes it: arguments checked against the schema first,
 * unless the caller skips the check (the app's "send without validation", for arguments given verbatim).
 */
async function call(client: Client, tools: ToolView[], name: string, args: Record<string, unknown>, skipValidation = false): Promise<void> {
  const tool = tools.find((t) => t.name === name);
  if (!tool) throw new Error(`the server did not list ${name}`);
  const check = skipValidation ? undefined : validators.check(tool.inputSchema, args);
  if (check && !check.valid) throw new Error(`arguments for ${name} do not match its schema: ${describeFieldErrors(check.fieldErrors).join('; ')}`);
  const result = await client.callTool({ name, arguments: args });
  log(`${name} → ${JSON.stringify(result.content).slice(0, 200)}`);
}

/** Plausible arguments for a tool: each required property gets a value of its type. */
function sampleArguments(tool: ToolView): Record<string, unknown> {
  const schema = tool.inputSchema as { properties?: Record<string, { type?: unknown }>; required?: unknown };
  const args: Record<string, unknown> = {};
  const required = Array.isArray(schema.required) ? schema.required.filter((k): k is string => typeof k === 'string') : [];
  for (const key of required) {
    const type = schema.properties?.[key]?.type;
    args[key] = type === 'number' || type === 'integer' ? 1 : type === 'boolean' ? true : type === 'object' ? {} : type === 'array' ? [] : 'x';
  }
  return args;
}

/** Every list and one get of each kind the server offers (exercises the per-method HTTP headers). */
async function exerciseAll(client: Client): Promise<void> {
  const caps = client.getServerCapabilities() ?? {};
  const tools = await catalogue(client);
  for (const tool of tools) await call(client, tools, tool.name, sampleArguments(tool));
  if (caps.resources) {
    const { resources } = await client.listResources();
    if (resources[0]) await client.readResource({ uri: resources[0].uri });
  }
  if (caps.prompts) {
    const { prompts } = await client.listPrompts();
    const prompt = prompts[0];
    if (prompt) {
      const args = Object.fromEntries((prompt.arguments ?? []).filter((a) => a.required).map((a) => [a.name, 'x']));
      await client.getPrompt({ name: prompt.name, arguments: args });
    }
  }
}

/**
 * SEP-2640 skills: list, then "load" each skill the way a host does when the
 * user picks it: read SKILL.md (verified against the listing's digest, size and
 * frontmatter) and only then its supporting files. Nothing is read ahead of need.
 */
async function loadSkills(client: Client, load: boolean): Promise<void> {
  const skills = new SkillsClient(client);
  const { skills: listed, invalid } = await skills.list();
  log(`skills: ${listed.map((s) => s.uri).join(', ') || '(none)'}${invalid.length ? `; ${invalid.length} invalid` : ''}`);
  if (!load) return;
  for (const skill of listed) await loadSkill(skills, skill);
}

async function loadSkill(skills: SkillsClient, skill: Skill): Promise<void> {
  try {
    const main = await skills.read(skill);
    log(`loaded ${main.uri} (verified: ${main.verified})`);
  } catch (e) {
    if (e instanceof SkillVerificationError) {
      log(`rejected ${e.uri}: ${e.reason}`);
      return;
    }
    throw e;
  }
  for (const entry of skill.resources ?? []) {
    const uri = typeof entry === 'string' ? entry : entry.uri;
    if (uri === skill.uri) continue;
    const file = await skills.read(skill, uri);
    log(`read ${file.uri} (verified: ${file.verified})`);
  }
}

export async function runScenario(scenario: string, c: Client, ctx: ScenarioContext, withAuth: WithAuth): Promise<void> {
  switch (scenario) {
    case 'initialize':
    case 'request-metadata':
    case 'json-schema-ref-no-deref':
      await catalogue(c);
      return;
    case 'tools_call':
      await call(c, await catalogue(c), 'add_numbers', { a: 5, b: 3 });
      return;
    case 'elicitation-sep1034-client-defaults':
      await call(c, await catalogue(c), 'test_client_elicitation_defaults', {});
      return;
    case 'sse-retry':
      await call(c, await catalogue(c), 'test_reconnection', {});
      return;
    case 'sep-2322-client-request-state': {
      // The SDK answers input_required rounds through the client's elicitation handler, then retries.
      const tools = await catalogue(c);
      for (const name of ['test_mrtr_echo_state', 'test_mrtr_unrelated', 'test_mrtr_no_state']) await call(c, tools, name, {});
      // A 2026-07-28 result without resultType: the scenario checks that the client does not retry it as
      // input_required; the SDK (rightly, for this revision) refuses the result as invalid instead.
      await call(c, tools, 'test_mrtr_no_result_type', {}).catch((e: unknown) => {
        if (!(e instanceof SdkError && e.code === SdkErrorCode.InvalidResult)) throw e;
        log(`test_mrtr_no_result_type refused by the SDK: ${e.message}`);
      });
      return;
    }
    case 'http-custom-headers': {
      const tools = await catalogue(c);
      // The scenario's arguments include a null for a boolean (to see it omitted from the headers): sent as given.
      for (const tc of ctx.toolCalls ?? []) await call(c, tools, tc.name, tc.arguments ?? {}, true);
      return;
    }
    case 'http-standard-headers':
    case 'http-invalid-tool-headers':
      await exerciseAll(c);
      return;
    case 'json-schema-2020-12-preservation': {
      // Send back the focal tool's schema exactly as the catalogue holds it.
      const tools = await catalogue(c);
      const focal = tools.find((t) => t.name === 'json_schema_2020_12_tool');
      if (!focal) throw new Error('the server did not list json_schema_2020_12_tool');
      await call(c, tools, 'json_schema_echo', { schema: focal.inputSchema });
      return;
    }
    case 'sep-2640-client-no-prefetch':
      await loadSkills(c, false);
      return;
    case 'sep-2640-client-verify-digest':
    case 'sep-2640-client-verify-size':
    case 'sep-2640-client-verify-frontmatter':
      await loadSkills(c, true);
      return;
    default: {
      // auth/* and anything else: list tools and call the first one (test-tool in the auth scenarios).
      const tools = await withAuth('tools/list', () => catalogue(c));
      const tool = tools.find((t) => t.name === 'test-tool') ?? tools[0];
      if (tool) await withAuth('tools/call', () => c.callTool({ name: tool.name, arguments: {} }));
    }
  }
}
