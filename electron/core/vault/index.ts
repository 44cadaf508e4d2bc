// The encrypted vault and the one place its keys are spelled. Plain Node.
export { Vault, type VaultRecord, type VaultRead, type ReadOptions } from './vault';
export { vaultKey, type VaultKeyPurpose } from './keys';
