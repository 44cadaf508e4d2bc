import type { GrantView } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import { AuthRequiredError, StepUpRequiredError } from '../auth';
import { serverInfo, type ConnectionContext, type RemoteConnector, type StoredHttpServer } from '../servers';
import { connectRemote } from './remote-connection';

// The connector the ServerManager uses for HTTP servers: a Streamable HTTP (or
// legacy SSE) session over auth's authorized fetch. A server that wants
// credentials ends the attempt with AUTH_REQUIRED or STEP_UP_REQUIRED, which
// the UI turns into a sign-in.

export interface RemoteConnectionsDeps {
  /** The authorized fetch for this server (Bearer, refresh, challenge capture). */
  fetchFor: (serverId: string) => typeof fetch;
  getGrant: (serverId: string) => Promise<GrantView | undefined>;
}

export class RemoteConnections implements RemoteConnector {
  constructor(private readonly deps: RemoteConnectionsDeps) {}

  async connect(server: StoredHttpServer, ctx: ConnectionContext) {
    const client = ctx.createClient();
    try {
      const session = await connectRemote({
        url: server.url,
        mode: server.mode,
        headers: ctx.headers,
        fetch: this.deps.fetchFor(server.id),
        client,
        timeoutMs: ctx.timeoutMs,
        // Traffic is recorded the way it is for stdio servers: through the inspector's transport wrapper.
        wrapTransport: ctx.wrapTransport,
        // Only a prefix of a session id is logged: the whole id lets anyone holding it speak in this session.
        onReconnected: (info) =>
          ctx.log.push('system', `The server lost our session; started a new one (${info.sessionId ? `${info.sessionId.slice(0, 8)}…` : 'no session id'}).`),
      });
      ctx.log.push(
        'system',
        `Connected over ${session.transportKind === 'sse' ? 'legacy HTTP+SSE' : 'Streamable HTTP'}${session.sessionId ? ` (session ${session.sessionId.slice(0, 8)}…)` : ''}`,
      );
      return { client, info: serverInfo(client, server.protocol ?? 'auto', session.transportKind), close: () => session.close() };
    } catch (error) {
      await client.close().catch(() => undefined);
      if (
        error instanceof AuthRequiredError ||
        error instanceof StepUpRequiredError ||
        (error instanceof IpcError && (error.code === 'AUTH_REQUIRED' || error.code === 'STEP_UP_REQUIRED'))
      ) {
        const grant = await this.deps.getGrant(server.id);
        const stepUp = error instanceof StepUpRequiredError || (error instanceof IpcError && error.code === 'STEP_UP_REQUIRED');
        throw new IpcError(
          stepUp ? 'STEP_UP_REQUIRED' : 'AUTH_REQUIRED',
          grant && !grant.needsSignIn ? `${server.name} needs more permissions. Sign in again to continue.` : `Sign in to ${server.name} to connect.`,
          { serverId: server.id },
        );
      }
      throw error;
    }
  }
}
