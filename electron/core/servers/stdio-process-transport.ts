import type { ChildProcess } from 'node:child_process';
import crossSpawn from 'cross-spawn';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import {
  JSONRPCErrorResponseSchema,
  JSONRPCMessageSchema,
  JSONRPCNotificationSchema,
  JSONRPCRequestSchema,
  JSONRPCResultResponseSchema,
} from '@modelcontextprotocol/core';
import type { ProcessWatch } from './process-guard';
import { groupAlive, signalTree } from './process-tree';

// Our own stdio transport instead of the SDK's: we need the child in its own
// process group (so stop reaches grandchildren), stderr as lines, and stdout
// lines that are not JSON-RPC reported with the offending text quoted instead of
// a bare parse error. Messages are newline-delimited JSON per the spec.
// It reports its traffic as those lines (observeTraffic): the text it read or
// wrote anyway, so recording holds one string per message on the call path.

export interface StdioLaunch {
  command: string;
  args: string[];
  cwd?: string;
  env: NodeJS.ProcessEnv;
}

export interface StdioHooks {
  onStderrLine?: (line: string) => void;
  /** A stdout line that is not a JSON-RPC message. */
  onProtocolError?: (line: string, reason: string) => void;
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

const MAX_LINE = 16 * 1024 * 1024;

/** Sees each message as its JSON line: outgoing before it is written, incoming before the client gets it. */
export type LineObserver = (direction: 'in' | 'out', line: string) => void;

export class StdioProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;
  setProtocolVersion?: (version: string) => void;

  private child?: ChildProcess;
  private stdoutRest = '';
  private stderrRest = '';
  private exited?: Promise<void>;
  private closing = false;
  private closed = false;
  private drained?: Promise<void>;
  private observer?: LineObserver;

  constructor(
    private readonly launch: StdioLaunch,
    private readonly hooks: StdioHooks = {},
    private readonly graceMs = 2000,
    /** Records the process tree so nothing outlives a stop or a crash of the core. */
    private readonly watch?: ProcessWatch,
  ) {}

  /** Traffic recording (see recording-transport's TrafficSource). */
  observeTraffic(observer: LineObserver): void {
    this.observer = observer;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * stderr is consumed here, as lines. The property exists because the SDK's
   * version negotiation tells a local child (`stderr` and `pid`) from HTTP: a
   * child that stays silent on the server/discover probe is a legacy server.
   */
  get stderr(): null {
    return null;
  }

  start(): Promise<void> {
    if (this.child) throw new Error('StdioProcessTransport already started');
    return new Promise((resolve, reject) => {
      const child = crossSpawn(this.launch.command, this.launch.args, {
        cwd: this.launch.cwd,
        env: this.launch.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        // Own process group on POSIX so the whole tree can be signalled.
        detached: process.platform !== 'win32',
        windowsHide: true,
        shell: false,
      });
      this.child = child;
      let spawned = false;
      this.exited = new Promise((done) => child.once('close', () => done()));
      child.once('spawn', () => {
        spawned = true;
        if (child.pid) this.watch?.spawned(child.pid);
        resolve();
      });
      child.once('error', (error: NodeJS.ErrnoException) => {
        const friendly = describeSpawnError(error, this.launch.command);
        if (!spawned) reject(friendly);
        else this.onerror?.(friendly);
      });
      child.once('exit', (code, signal) => {
        this.hooks.onExit?.(code, signal);
        if (child.pid && !this.closing) this.watch?.snapshot(child.pid);
        // A wrapper that exited may leave its children behind in the group.
        if (child.pid && process.platform !== 'win32' && groupAlive(child.pid)) signalTree(child.pid, 'SIGTERM');
      });
      child.once('close', () => {
        this.flushStderr();
        // Exited on its own: what escaped its group goes too (close() does this itself).
        if (child.pid && !this.closing) void this.watch?.stopped(child.pid).catch(() => undefined);
        this.finish();
      });
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => this.onStdout(chunk));
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (chunk: string) => this.onStderr(chunk));
      // EPIPE when the server died between our write and its exit: reported via exit instead.
      child.stdin!.on('error', () => undefined);
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.closed || stdin.destroyed) throw new Error('Server process is not running');
    const line = JSON.stringify(message);
    this.observer?.('out', line);
    // One shared drain wait: a thousand concurrent sends must not add a thousand listeners.
    if (!stdin.write(line + '\n')) await (this.drained ??= new Promise<void>((resolve) => stdin.once('drain', () => ((this.drained = undefined), resolve()))));
  }

  /** Spec shutdown: close stdin, then SIGTERM, then SIGKILL, applied to the whole tree. */
  async close(): Promise<void> {
    if (this.closing) return this.stoppedTree;
    this.closing = true;
    this.stoppedTree = this.stopTree();
    return this.stoppedTree;
  }

  private stoppedTree?: Promise<void>;

  private async stopTree(): Promise<void> {
    const child = this.child;
    const pid = child?.pid;
    if (pid) this.watch?.snapshot(pid);
    try {
      if (!child || child.exitCode !== null || child.signalCode !== null) {
        if (pid && groupAlive(pid)) await this.killGroup(pid);
        this.finish();
        return;
      }
      child.stdin?.end();
      if (await this.waitExit(this.graceMs)) {
        if (pid && groupAlive(pid)) await this.killGroup(pid);
        return;
      }
      if (pid) await this.killGroup(pid);
      await this.exited;
    } finally {
      // Helpers that left the process group (setsid) are not reached by the group signal.
      if (pid) await this.watch?.stopped(pid).catch(() => undefined);
    }
  }

  private async killGroup(pid: number): Promise<void> {
    signalTree(pid, 'SIGTERM');
    const deadline = Date.now() + this.graceMs;
    while (Date.now() < deadline) {
      if (!groupAlive(pid)) return;
      await sleep(25);
    }
    signalTree(pid, 'SIGKILL');
    const killDeadline = Date.now() + 2000;
    while (Date.now() < killDeadline && groupAlive(pid)) await sleep(25);
  }

  private async waitExit(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const result = await Promise.race([this.exited!.then(() => true as const), timeout]);
    clearTimeout(timer);
    return result;
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }

  private onStdout(chunk: string): void {
    const data = this.stdoutRest + chunk;
    // Walk the lines with an index: re-slicing the rest after every line is quadratic in a chunk of many small ones.
    let start = 0;
    let newline: number;
    while ((newline = data.indexOf('\n', start)) >= 0) {
      const end = newline > start && data.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      const line = data.slice(start, end);
      start = newline + 1;
      if (line.trim()) this.handleLine(line);
    }
    this.stdoutRest = start === 0 ? data : data.slice(start);
    if (this.stdoutRest.length > MAX_LINE) {
      this.hooks.onProtocolError?.(this.stdoutRest.slice(0, 200), `a stdout line exceeded ${MAX_LINE} bytes`);
      this.stdoutRest = '';
    }
  }

  private handleLine(line: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.hooks.onProtocolError?.(line, 'not JSON');
      return;
    }
    const message = parseMessage(parsed);
    if (!message.success) {
      this.hooks.onProtocolError?.(line, 'not a JSON-RPC message');
      return;
    }
    this.observer?.('in', line);
    this.onmessage?.(message.data);
  }

  private onStderr(chunk: string): void {
    this.stderrRest += chunk;
    let newline: number;
    while ((newline = this.stderrRest.indexOf('\n')) >= 0) {
      const line = this.stderrRest.slice(0, newline).replace(/\r$/, '');
      this.stderrRest = this.stderrRest.slice(newline + 1);
      this.hooks.onStderrLine?.(line);
    }
    if (this.stderrRest.length > 64 * 1024) this.flushStderr();
  }

  private flushStderr(): void {
    if (this.stderrRest) this.hooks.onStderrLine?.(this.stderrRest);
    this.stderrRest = '';
  }
}

/**
 * JSONRPCMessageSchema, without trying every member first: the four members
 * are strict and disjoint (method+id, method, result, error), so the one the
 * shape names decides; anything else gets the full union and its verdict.
 */
function parseMessage(value: unknown): { success: true; data: JSONRPCMessage } | { success: false } {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const member =
      'method' in value
        ? 'id' in value
          ? JSONRPCRequestSchema
          : JSONRPCNotificationSchema
        : 'result' in value
          ? JSONRPCResultResponseSchema
          : 'error' in value
            ? JSONRPCErrorResponseSchema
            : undefined;
    const parsed = member?.safeParse(value);
    if (parsed?.success) return { success: true, data: parsed.data as JSONRPCMessage };
  }
  return JSONRPCMessageSchema.safeParse(value);
}

function describeSpawnError(error: NodeJS.ErrnoException, command: string): Error {
  if (error.code === 'ENOENT') return new Error(`Command not found: "${command}". Check the command name, or use an absolute path.`);
  if (error.code === 'EACCES') return new Error(`Command is not executable: "${command}".`);
  return new Error(`Could not start "${command}": ${error.message}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
