import { ProtocolError, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { IpcError } from '../../../shared/contract';

/** Runs one request to a server; its failure becomes an IpcError (TIMEOUT or PROTOCOL_ERROR) the renderer can show. */
export async function protocol<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof IpcError) throw error;
    if (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout) throw new IpcError('TIMEOUT', error.message);
    // The SDK error stays attached as the cause (never sent): a -32042's elicitations are read from it (client-features).
    if (error instanceof ProtocolError) throw Object.assign(new IpcError('PROTOCOL_ERROR', error.message, { code: error.code }), { cause: error });
    throw new IpcError('PROTOCOL_ERROR', (error as Error)?.message ?? String(error));
  }
}
