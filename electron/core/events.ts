import type { EventName, PayloadOf } from '../../shared/contract';

export type Emit = <E extends EventName>(name: E, payload: PayloadOf<E>) => void;
