import { Client, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import type { ClientOptions, ConnectOptions, Implementation, Transport } from '@modelcontextprotocol/client';
import type { ProtocolSetting, ServerInfo } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';

// Which protocol era a connection speaks. The SDK does the negotiation
// (versionNegotiation: server/discover, then initialize for 2025-era servers);
// this maps the per-server setting onto it, says afterwards what was chosen
// and why, and turns an era mismatch into an error the user can act on.

export const MODERN_REVISION = '2026-07-28';

export function versionNegotiation(setting: ProtocolSetting): NonNullable<ClientOptions['versionNegotiation']> {
  if (setting === 'modern') return { mode: { pin: MODERN_REVISION } };
  if (setting === 'legacy') return { mode: 'legacy' };
  return { mode: 'auto' };
}

/** The revision, era and the reason it was chosen, for the Overview. */
export function negotiatedInfo(client: Client, setting: ProtocolSetting): Pick<ServerInfo, 'protocolVersion' | 'era' | 'eraReason'> {
  const protocolVersion = client.getNegotiatedProtocolVersion() ?? 'unknown';
  const era = client.getProtocolEra();
  let eraReason: string;
  if (setting === 'modern') eraReason = "pinned by this server's setting (Modern only); the server answered server/discover";
  else if (setting === 'legacy') eraReason = "pinned by this server's setting (Legacy only): initialize, without discovery";
  else if (era === 'modern') eraReason = 'the server answered server/discover';
  else eraReason = 'the server does not support server/discover; fell back to initialize';
  return { protocolVersion, era, eraReason };
}

/** A connect failure caused by the era setting, explained; undefined for any other failure. */
export function explainEraFailure(error: unknown, setting: ProtocolSetting): IpcError | undefined {
  if (setting === 'modern' && error instanceof SdkError && error.code === SdkErrorCode.EraNegotiationFailed)
    return new IpcError(
      'PROTOCOL_ERROR',
      `The server does not offer MCP ${MODERN_REVISION} (it did not answer server/discover with that revision), and this server is set to "Modern only". Edit the server and set Protocol to Automatic to connect with the 2025 initialize handshake.`,
      { protocol: setting },
    );
  if (setting === 'legacy' && refusedLegacyVersion(error)) {
    const supported = supportedVersions(error);
    return new IpcError(
      'PROTOCOL_ERROR',
      `The server refused the 2025 initialize handshake${supported ? `: it only supports ${supported}` : ''}, and this server is set to "Legacy only". Edit the server and set Protocol to Automatic (or Modern only) to connect.`,
      { protocol: setting },
    );
  }
  return undefined;
}

/** True for an IpcError from explainEraFailure (a transport fallback would not help). */
export function isEraMismatch(error: unknown): boolean {
  return error instanceof IpcError && error.code === 'PROTOCOL_ERROR' && (error.details as { protocol?: unknown } | undefined)?.protocol !== undefined;
}

const UNSUPPORTED_VERSION = -32022;

/** How long a local (stdio) server has to answer server/discover before it counts as a 2025 server. */
export const STDIO_PROBE_TIMEOUT_MS = 5000;

/** The marks the SDK itself reads to tell a local child from HTTP (see stdio-process-transport.ts). */
function isLocalChild(transport: Transport): boolean {
  return 'pid' in transport && 'stderr' in transport;
}

/** -32022 (unsupported protocol version) as a JSON-RPC error, or in an HTTP 400 body the SDK quotes. */
function refusedLegacyVersion(error: unknown): boolean {
  if ((error as { code?: unknown } | null)?.code === UNSUPPORTED_VERSION) return true;
  const message = error instanceof Error ? error.message : '';
  return message.includes(`"code":${UNSUPPORTED_VERSION}`);
}

function supportedVersions(error: unknown): string | undefined {
  const data = (error as { data?: { supported?: unknown } } | null)?.data;
  let supported = data?.supported;
  if (!Array.isArray(supported)) {
    const match = /"supported":(\[[^\]]{0,400}\])/.exec(error instanceof Error ? error.message : '');
    try {
      supported = match?.[1] ? JSON.parse(match[1]) : undefined;
    } catch {
      supported = undefined;
    }
  }
  if (!Array.isArray(supported)) return undefined;
  const versions = supported.filter((v): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)).slice(0, 8);
  return versions.length ? versions.join(', ') : undefined;
}

/** The SDK client with the era setting applied; a mismatch fails connect() with an actionable message. */
export class EraClient extends Client {
  constructor(
    info: Implementation,
    options: ClientOptions,
    readonly protocolSetting: ProtocolSetting,
  ) {
    super(info, { ...options, versionNegotiation: versionNegotiation(protocolSetting) });
  }

  override async connect(transport: Transport, options?: ConnectOptions): Promise<void> {
    // A local child that ignores the unknown server/discover is a 2025 server; do not let the
    // probe spend the whole connect timeout finding that out (on HTTP silence is an outage: no change).
    if (this.protocolSetting === 'auto' && isLocalChild(transport))
      this.setVersionNegotiation({ ...versionNegotiation('auto'), probe: { timeoutMs: STDIO_PROBE_TIMEOUT_MS } });
    try {
      await super.connect(transport, options);
    } catch (error) {
      throw explainEraFailure(error, this.protocolSetting) ?? error;
    }
  }
}
