import type { Envelope, MethodName, ParsedRequestOf, ResponseOf } from '../../../shared/contract';
import { IpcError, methods } from '../../../shared/contract';

// The one entry point for every IPC call, shared by the Electron main process
// and the e2e bridge: zod-parse the request, run the handler, parse the
// response (which also strips any field the contract does not declare, a last
// guard against leaking something), and wrap the outcome in an envelope.

export type Handlers = { [M in MethodName]: (request: ParsedRequestOf<M>) => Promise<ResponseOf<M>> | ResponseOf<M> };

/** The handlers of one feature's method map (e.g. `FeatureHandlers<typeof serversMethods>`); app-core spreads them. */
export type FeatureHandlers<T extends Partial<Record<MethodName, unknown>>> = Pick<Handlers, keyof T & MethodName>;

export async function dispatch(
  handlers: Handlers,
  name: string,
  rawRequest: unknown,
  onInternalError?: (name: string, error: unknown) => void,
): Promise<Envelope> {
  if (!Object.hasOwn(methods, name)) return fail(new IpcError('UNKNOWN_METHOD', `Unknown method "${String(name).slice(0, 100)}".`));
  const def = methods[name as MethodName];
  const parsed = def.request.safeParse(rawRequest);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    return fail(
      new IpcError('INVALID_REQUEST', `Invalid request for ${name}: ${issues.map((i) => (i.path ? `${i.path}: ` : '') + i.message).join('; ')}`, { issues }),
    );
  }
  try {
    const handler = handlers[name as MethodName] as (request: unknown) => Promise<unknown>;
    const value = await handler(parsed.data);
    return { ok: true, value: def.response.parse(value) };
  } catch (error) {
    if (error instanceof IpcError) return fail(error);
    onInternalError?.(name, error);
    return fail(new IpcError('INTERNAL', `Something went wrong in ${name}: ${(error as Error)?.message ?? String(error)}`));
  }
}

function fail(error: IpcError): Envelope {
  return { ok: false, error: error.toShape() };
}
