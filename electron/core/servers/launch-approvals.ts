import type { LaunchChange } from '../../../shared/contract';
import { vaultKey, type Vault, type VaultRecord } from '../vault';
import { approvedSpecOf, parseApprovedSpec, specChanges, specHash, type ApprovedSpec } from './launch-spec';
import type { ServerRepo, StoredStdioServer } from './server-repo';

// Launch approvals live in the vault, not next to the spec in the settings file.
// A program that can write the settings file can change a server's command, but
// it cannot write a vault record: records are encrypted by safeStorage and bound
// to their key, so it can neither forge an approval nor move another server's
// approval onto this one. The record holds the approved spec itself (its
// non-secret parts), so the dialog can show exactly what changed, and a forged
// "previous spec" cannot hide a change.
//
// Without secure storage the vault keeps records in memory: approvals then last
// for this session only, and the trust view says so (`sessionOnly`).
//
// Wave-1 approvals (a plain SHA-256 under `approvals` in settings) are not
// honoured: anyone could have written them. They only explain why we ask again.

export interface ApprovalState {
  approved: boolean;
  changedSinceApproval: boolean;
  changes: LaunchChange[];
  note?: string;
  sessionOnly?: boolean;
}

export interface ApprovalContext {
  legacy?: Record<string, unknown>;
  /** Whether approvals reach disk (the cipher is secure). */
  persists?: boolean;
  records?: Readonly<Record<string, VaultRecord>>;
}

// Approvals are never kept on disk under a fixed key, even when the user allowed
// weak storage for secrets: a forged approval runs code.
const SECURE_ONLY = { secureOnly: true } as const;

export class LaunchApprovals {
  constructor(
    private readonly vault: Vault,
    private readonly repo: ServerRepo,
  ) {}

  async approve(server: StoredStdioServer): Promise<void> {
    await this.vault.put(vaultKey.launchApproval(server.id), JSON.stringify({ v: 1, spec: approvedSpecOf(server) }), SECURE_ONLY);
    this.repo.setApproval(server.id, undefined); // drop any old-format entry
  }

  async isApproved(server: StoredStdioServer): Promise<boolean> {
    const approved = await this.approvedSpec(server.id);
    return 'spec' in approved && specHash(approved.spec) === specHash(approvedSpecOf(server));
  }

  /** A list passes one settings snapshot and one cipher check for all its servers. */
  async state(server: StoredStdioServer, context: ApprovalContext = {}): Promise<ApprovalState> {
    const current = approvedSpecOf(server);
    const records = context.records ?? this.vault.snapshot();
    const approved = await this.approvedSpec(server.id, records);
    const persists = context.persists ?? (await this.vault.persists(SECURE_ONLY));
    if ('spec' in approved) {
      const same = specHash(approved.spec) === specHash(current);
      const sessionOnly = this.vault.location(vaultKey.launchApproval(server.id), records) === 'memory';
      return { approved: same, changedSinceApproval: !same, changes: same ? [] : specChanges(approved.spec, current), ...(sessionOnly ? { sessionOnly } : {}) };
    }
    const base = { approved: false, changedSinceApproval: false, changes: [], ...(persists ? {} : { sessionOnly: true }) };
    if ('reason' in approved) return { ...base, note: `The stored approval could not be verified: ${approved.reason}. Review the command again.` };
    const legacy = context.legacy ?? this.repo.approvals();
    if (Object.hasOwn(legacy, server.id))
      return {
        ...base,
        note: 'Switchboard now keeps launch approvals in its encrypted vault so that other programs cannot forge them. Approvals from the earlier version are asked for once more.',
      };
    return base;
  }

  private async approvedSpec(
    id: string,
    records?: Readonly<Record<string, VaultRecord>>,
  ): Promise<{ spec: ApprovedSpec } | { reason: string } | { missing: true }> {
    const read = await this.vault.get(vaultKey.launchApproval(id), records, SECURE_ONLY);
    if (read.status === 'missing') return { missing: true };
    if (read.status === 'undecryptable') return { reason: read.reason };
    const spec = parseApprovedSpec(read.value);
    return spec ? { spec } : { reason: 'the record is not an approval' };
  }
}
