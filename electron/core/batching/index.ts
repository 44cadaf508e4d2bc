export { Batcher, Throttle, type BatcherOptions } from './batcher';
