import { randomUUID } from 'node:crypto';
import { redactSecrets, redactString, type KnownSecrets } from '../traffic';
import type { HistoryRecord, HistoryRecordInput } from './record';

/** The record as it may be stored: secrets redacted, the server's own injected values scrubbed. */
export function redactRecord(input: HistoryRecordInput, secrets?: KnownSecrets): HistoryRecord {
  const scrub = secrets?.scrubberFor(input.serverId);
  const record: HistoryRecord = {
    id: input.id ?? randomUUID(),
    serverId: input.serverId,
    serverName: input.serverName,
    tool: input.tool,
    arguments: redactSecrets(input.arguments, { scrub }),
    status: input.status,
    startedAt: input.startedAt,
    durationMs: input.durationMs,
  };
  if (input.task)
    record.task = input.task.createdBy ? { taskId: String(input.task.taskId), createdBy: String(input.task.createdBy) } : { taskId: String(input.task.taskId) };
  if (input.result !== undefined) record.result = redactSecrets(input.result, { scrub });
  if (input.error !== undefined) {
    // Rebuilt field by field: an Error instance would serialize as {} and fail to load.
    const { code } = input.error;
    const message = redactString(scrub ? scrub(String(input.error.message)) : String(input.error.message));
    record.error = code === undefined ? { message } : { code, message };
  }
  return record;
}
