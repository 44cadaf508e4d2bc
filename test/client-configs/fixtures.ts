import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const fixture = (path: string): string => readFileSync(resolve(import.meta.dirname, '../fixtures/client-configs', path), 'utf8');
