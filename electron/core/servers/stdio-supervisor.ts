import type { Client, Transport } from '@modelcontextprotocol/client';
import type { ServerStatus } from '../../../shared/contract';
import type { LogBuffer } from './log-buffer';
import type { ProcessWatch } from './process-guard';
import { StdioProcessTransport, type StdioLaunch } from './stdio-process-transport';
import { isEraMismatch } from './protocol-era';

// One stdio server's lifecycle: stopped → starting → connected, with error
// (failed to start) and crashed (exited after it was up). A crash restarts
// with exponential backoff up to a cap; a connection that stays up for a while
// resets the count.

export interface RestartPolicy {
  maxRestarts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Uptime after which the restart count resets. */
  stableAfterMs: number;
}

export const defaultRestartPolicy: RestartPolicy = { maxRestarts: 5, baseDelayMs: 1000, maxDelayMs: 30_000, stableAfterMs: 60_000 };

export interface SupervisorDeps {
  log: LogBuffer;
  /** Called on every status change. */
  onChange: () => void;
  /** Builds the launch (env with secrets) fresh for every start. */
  prepareLaunch: () => Promise<StdioLaunch>;
  createClient: () => Client;
  /** Lets the caller observe traffic by wrapping the transport. */
  wrapTransport?: (transport: Transport) => Transport;
  /** Runs once connected: list tools, snapshot, etc. */
  onConnected: (client: Client) => Promise<void>;
  connectTimeoutMs: number;
  restart?: RestartPolicy;
  now?: () => number;
  /** Records each server's process tree (registry, watchdog, setsid helpers). */
  watch?: ProcessWatch;
}

export class StdioSupervisor {
  status: ServerStatus;
  client?: Client;
  private transport?: StdioProcessTransport;
  private generation = 0;
  private restartTimer?: NodeJS.Timeout;
  private stableTimer?: NodeJS.Timeout;
  private restartAttempt = 0;
  /** The last non-JSON-RPC stdout line of this run; kept across status changes until the next start. */
  private protocolError?: string;
  private readonly policy: RestartPolicy;
  private readonly now: () => number;

  constructor(private readonly deps: SupervisorDeps) {
    this.policy = deps.restart ?? defaultRestartPolicy;
    this.now = deps.now ?? Date.now;
    this.status = { state: 'stopped', since: this.now() };
  }

  get running(): boolean {
    return this.status.state === 'starting' || this.status.state === 'connected';
  }

  get pid(): number | undefined {
    return this.transport?.pid;
  }

  /** Starts (or restarts) the server; resolves once connected, rejects with the reason otherwise. */
  async start(isRestart = false): Promise<void> {
    if (!isRestart) {
      this.clearTimers();
      this.restartAttempt = 0;
    }
    await this.stopProcess();
    const generation = ++this.generation;
    this.protocolError = undefined;
    this.setStatus({
      state: 'starting',
      reason: isRestart ? `Restarting (attempt ${this.restartAttempt} of ${this.policy.maxRestarts})` : 'Starting',
      restart: this.restartInfo(false),
      timeoutSec: Math.round(this.deps.connectTimeoutMs / 1000),
    });

    let launch: StdioLaunch;
    try {
      launch = await this.deps.prepareLaunch();
    } catch (error) {
      this.setStatus({ state: 'error', reason: (error as Error).message });
      throw error;
    }
    const { log } = this.deps;
    let connected = false;
    let exitedDuringStart: string | undefined;
    // A line on stdout that is not JSON-RPC before the handshake finished: the server logs to the
    // wrong stream, and every later message would be suspect. Stop now instead of waiting for the timeout.
    let failEarly: (error: StartFailure) => void = () => undefined;
    const earlyFailure = new Promise<never>((_, reject) => (failEarly = reject));
    earlyFailure.catch(() => undefined);
    const transport = new StdioProcessTransport(
      launch,
      {
        onStderrLine: (line) => this.deps.log.push('stderr', line),
        onProtocolError: (line, reason) => {
          log.push('protocol', `Protocol error (${reason}): ${line}`);
          if (generation !== this.generation) return;
          this.protocolError = `${reason}: ${log.scrub(line).slice(0, 500)}`;
          if (!connected) {
            failEarly(
              new StartFailure(
                'stdout-before-initialize',
                `The server wrote to stdout before it finished initializing (${reason}), so Switchboard stopped it: servers must log to stderr, because stdout carries the protocol. It wrote: “${quoteLine(log.scrub(line))}”`,
              ),
            );
            return;
          }
          this.setStatus({ ...this.status });
        },
        onExit: (code, signal) => {
          if (generation !== this.generation) return;
          const how = describeExit(code, signal);
          log.push('system', `Process ${how}`);
          if (!connected) exitedDuringStart = how;
          else this.onUnexpectedExit(code, signal);
        },
      },
      undefined,
      this.deps.watch,
    );
    this.transport = transport;
    const client = this.deps.createClient();
    this.client = client;
    log.push('system', `Starting ${launch.command} ${launch.args.map(quoteArg).join(' ')}`.trim());

    const timeoutSec = Math.round(this.deps.connectTimeoutMs / 1000);
    try {
      await withTimeout(
        Promise.race([client.connect(this.deps.wrapTransport ? this.deps.wrapTransport(transport) : transport), earlyFailure]),
        this.deps.connectTimeoutMs,
        () =>
          new StartFailure(
            'timed-out',
            `Stopped by Switchboard after ${timeoutSec} s: the server did not finish initializing in time. Check the log for what it was doing, or raise its connect timeout.`,
          ),
      );
      if (generation !== this.generation) return;
      connected = true;
      this.deps.watch?.scanSoon(); // helpers started during initialize
      await this.deps.onConnected(client);
      if (generation !== this.generation) return;
      this.setStatus({ state: 'connected', restart: this.restartAttempt ? this.restartInfo(false) : undefined });
      this.stableTimer = setTimeout(() => (this.restartAttempt = 0), this.policy.stableAfterMs);
      this.stableTimer.unref?.();
    } catch (error) {
      if (generation !== this.generation) return;
      const lastStderr = log.tail(20, 'stderr');
      // An era mismatch closes the connection itself (so the child exits); its explanation is the useful one.
      const exited = exitedDuringStart && !(error instanceof StartFailure) && !isEraMismatch(error);
      const message = exited ? `The server ${exitedDuringStart} before it finished initializing.` : (error as Error).message;
      const failure = error instanceof StartFailure ? error.kind : exited ? 'exited-before-initialize' : undefined;
      if (failure === 'stdout-before-initialize' || failure === 'timed-out') log.push('system', message);
      await this.stopProcess();
      this.setStatus({ state: 'error', reason: message, lastStderr, ...(failure ? { failure } : {}) });
      throw new Error(message);
    }
  }

  /** User stop: no restart. */
  async stop(): Promise<void> {
    this.clearTimers();
    this.generation++;
    await this.stopProcess();
    this.setStatus({ state: 'stopped' });
  }

  private onUnexpectedExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stableTimer) clearTimeout(this.stableTimer);
    this.client = undefined;
    const lastStderr = this.deps.log.tail(20, 'stderr');
    const reason = `The server ${describeExit(code, signal)}.`;
    if (this.restartAttempt >= this.policy.maxRestarts) {
      this.setStatus({
        state: 'crashed',
        reason: `${reason} Gave up after ${this.policy.maxRestarts} restarts.`,
        exitCode: code,
        signal,
        lastStderr,
        restart: this.restartInfo(true),
      });
      return;
    }
    this.restartAttempt++;
    const delay = Math.min(this.policy.baseDelayMs * 2 ** (this.restartAttempt - 1), this.policy.maxDelayMs);
    const generation = this.generation;
    this.setStatus({
      state: 'crashed',
      reason: `${reason} Restarting in ${Math.ceil(delay / 1000)} s.`,
      exitCode: code,
      signal,
      lastStderr,
      restart: { attempt: this.restartAttempt, max: this.policy.maxRestarts, gaveUp: false, nextAt: this.now() + delay },
    });
    this.restartTimer = setTimeout(() => {
      if (generation !== this.generation) return;
      this.start(true).catch(() => undefined);
    }, delay);
  }

  private restartInfo(gaveUp: boolean): ServerStatus['restart'] {
    return this.restartAttempt || gaveUp ? { attempt: this.restartAttempt, max: this.policy.maxRestarts, gaveUp } : undefined;
  }

  private async stopProcess(): Promise<void> {
    const client = this.client;
    const transport = this.transport;
    this.client = undefined;
    this.transport = undefined;
    if (client) await client.close().catch(() => undefined);
    if (transport) await transport.close().catch(() => undefined);
  }

  private clearTimers(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.stableTimer) clearTimeout(this.stableTimer);
    this.restartTimer = this.stableTimer = undefined;
  }

  private setStatus(next: Omit<ServerStatus, 'since'> & { since?: number }): void {
    this.status = { ...next, since: this.now(), protocolError: this.protocolError };
    if (!this.status.protocolError) delete this.status.protocolError;
    this.deps.onChange();
  }
}

export function describeExit(code: number | null, signal: NodeJS.Signals | null | string): string {
  if (signal) return `was killed by ${signal}`;
  return `exited with code ${code ?? 'unknown'}`;
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg);
}

/** Why a start failed, when Switchboard knows more than the error text. */
class StartFailure extends Error {
  constructor(
    readonly kind: NonNullable<ServerStatus['failure']>,
    message: string,
  ) {
    super(message);
  }
}

/** One stdout line as quoted in a status: bounded, without terminal escapes or control characters. */
function quoteLine(line: string): string {
  const plain = line
    .replace(/\u001b\[[0-9;?]*[ -\/]*[@-~]/g, '')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .trim();
  return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, failure: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(failure()), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
