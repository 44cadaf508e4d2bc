import { ProtocolError, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { IpcError } from '../../../shared/contract';

/** Runs one request to a server; its failure becomes an IpcError (TIMEOUT or PROTOCOL_ERROR) the renderer can show. */
export async function protocol<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof IpcError) throw error;
    if (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout) throw new IpcError('TIMEOUT', error.message);
    if (error instanceof ProtocolError) throw new IpcError('PROTOCOL_ERROR', error.message, { code: error.code });
    throw new IpcError('PROTOCOL_ERROR', (error as Error)?.message ?? String(error));
  }
}
